#!/bin/bash
# SPDX-License-Identifier: MIT
# cg.sh: instructions of the MPI fast path, counted by callgrind (deterministic, unlike a clock
# on a loaded machine). bench/src/osu_latency.c, osu_bw.c, self.c and msgwin.c built against
# libmpi-host-mpbc.a:
# lib/mpi over the real mpb-channels, each rank a Linux process under fakerun. Collected: the
# instructions inside MPI_Send/Recv/Isend/Irecv/Waitall, less those spent waiting (mpii_idle,
# which counts the polls of a core that has nothing to do). Two runs of different lengths,
# differenced, give the cost per iteration, start-up excluded.
# The two-rank counts of osu_* move with who waited for whom (a ring found full sends through
# the general path, a receiver that runs ahead polls); bench/src/self.c's counts (one rank to
# itself) do not: they come first; nor do msgwin's (two ranks, the receiver's windows found
# whole in its ring): they come last.
# Usage: bench/cg.sh [BYTES]   (prints the Ir per message of each rank)
set -eu
cd "$(dirname "$0")/.."
B=build
bytes=${1:-8}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for p in osu_latency osu_bw self msgwin; do
	gcc -std=gnu11 -O2 -Ilib/mpi -o "$dir/$p" bench/src/$p.c $B/tests/mpi/libmpi-host-mpbc.a -lm
done
# self: everything between MPI_Init and MPI_Finalize of one rank (nothing waits there)
self_run() {
	valgrind --tool=callgrind --trace-children=yes --collect-atstart=no \
		--toggle-collect='PMPI_Send' --toggle-collect='PMPI_Recv' \
		--toggle-collect='PMPI_Isend' --toggle-collect='PMPI_Irecv' \
		--toggle-collect='PMPI_Waitall' \
		--callgrind-out-file="$dir/self.$1.$2.%p" \
		$B/tests/mpi/fakerun -n 1 "$dir/self" $1 $bytes $2 >/dev/null 2>&1
	sed -n 's/^summary: //p' $(ls "$dir"/self.$1.$2.* | sort -t. -k4 -n | sed -n 2p)
}
for mode in blocking window; do
	a=$(self_run $mode 500) b=$(self_run $mode 1000)
	if [ $mode = blocking ]; then per=1 unit="send + receive"; else per=16 unit="Isend + Irecv + 2/32 Waitall"; fi
	echo "self $mode $bytes B: $(( (b - a) / 500 / per )) Ir per $unit"
done
# One run under callgrind: files PROG.ITERS.PID, fakerun's first, then rank 0's, rank 1's
# (PROG: the program, or msgwin-MODE; its arguments after the iterations)
collect() {
	local prog=$1 iters=$2
	shift 2
	valgrind --tool=callgrind --trace-children=yes --collect-atstart=no \
		--toggle-collect='PMPI_Send' --toggle-collect='PMPI_Recv' \
		--toggle-collect='PMPI_Isend' --toggle-collect='PMPI_Irecv' \
		--toggle-collect='PMPI_Waitall' --toggle-collect='mpii_idle' \
		--toggle-collect='mpii_idle_from' \
		--callgrind-out-file="$dir/$prog.$iters.%p" \
		$B/tests/mpi/fakerun -n 2 "$dir/${prog%%-*}" "$@" >/dev/null 2>&1
}
total() { sed -n 's/^summary: //p' "$dir/$1"; }
# Ir per unit of rank r of the runs PROG.N1 and PROG.N2: per_rank PROG N1 N2 R DIV (DIV: the
# units of one iteration, times 10 / 11 for osu_*'s warm-up of a tenth)
per_rank() {
	local a b
	a=($(cd "$dir" && ls $1.$2.* | sort -t. -k3 -n)) b=($(cd "$dir" && ls $1.$3.* | sort -t. -k3 -n))
	echo $(( ($(total "${b[$(($4 + 1))]}") - $(total "${a[$(($4 + 1))]}")) * 10 / $5 / ($3 - $2) ))
}
# osu_latency: an iteration is a round trip (per rank one send, one receive); osu_bw: a
# window of 64 messages (per message: Ir / 64). Iterations counted: 1.1 x (n2 - n1).
for p in osu_latency osu_bw; do
	if [ $p = osu_latency ]; then n1=1000 n2=2000 per=1 unit="round trip"
	else n1=200 n2=400 per=64 unit=message; fi
	collect $p $n1 $bytes $bytes $n1
	collect $p $n2 $bytes $bytes $n2
	for r in 0 1; do
		echo "$p $bytes B rank $r: $(per_rank $p $n1 $n2 $r $((11 * per))) Ir per $unit"
	done
done
# msgwin (bench/src/msgwin.c): windows of 32 that the receiver (rank 1) finds whole in its
# ring, posted before they came, unexpected, or taken from the ring by each MPI_Irecv: no
# timing moves these. Per message; rank 0 is the sender.
for m in posted unexpected ring; do
	collect msgwin-$m 100 $m $bytes 100
	collect msgwin-$m 200 $m $bytes 200
	echo "msgwin $m $bytes B: $(per_rank msgwin-$m 100 200 1 320) Ir per message received," \
		"$(per_rank msgwin-$m 100 200 0 320) sent"
done
