#!/bin/bash
# SPDX-License-Identifier: MIT
# cg.sh: instructions of the MPI fast path, counted by callgrind (deterministic, unlike a clock
# on a loaded machine). bench/src/pingpong.c (and msgrate.c) built against libmpi-host-mpbc.a:
# lib/mpi over the real mpb-channels, each rank a Linux process under fakerun. Collected: the
# instructions inside MPI_Send/Recv/Isend/Irecv/Waitall, less those spent waiting (mpii_idle,
# which counts the polls of a core that has nothing to do). Two runs of different lengths,
# differenced, give the cost per iteration, start-up excluded.
# The two-rank counts move with who waited for whom (a ring found full sends through the
# general path); bench/src/self.c's counts (one rank to itself) do not: they come first.
# Usage: bench/cg.sh [BYTES]   (prints the Ir per message of each rank)
set -eu
cd "$(dirname "$0")/.."
B=build
bytes=${1:-8}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for p in osu_latency osu_bw self; do
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
collect() {
	local prog=$1 iters=$2
	valgrind --tool=callgrind --trace-children=yes --collect-atstart=no \
		--toggle-collect='PMPI_Send' --toggle-collect='PMPI_Recv' \
		--toggle-collect='PMPI_Isend' --toggle-collect='PMPI_Irecv' \
		--toggle-collect='PMPI_Waitall' --toggle-collect='mpii_idle' \
		--toggle-collect='mpii_idle_from' \
		--callgrind-out-file="$dir/$prog.$iters.%p" \
		$B/tests/mpi/fakerun -n 2 "$dir/$prog" $bytes $bytes $iters >/dev/null 2>&1
}
total() { sed -n 's/^summary: //p' "$dir/$1"; }
# osu_latency: an iteration is a round trip (per rank one send, one receive); osu_bw: a
# window of 64 messages (per message: Ir / 64). Iterations counted: 1.1 x (n2 - n1).
for p in osu_latency osu_bw; do
	if [ $p = osu_latency ]; then n1=1000 n2=2000 per=1 unit="round trip"
	else n1=200 n2=400 per=64 unit=message; fi
	collect $p $n1
	collect $p $n2
	# fakerun is the first pid, then rank 0, rank 1
	a=($(cd "$dir" && ls $p.$n1.* | sort -t. -k3 -n)) b=($(cd "$dir" && ls $p.$n2.* | sort -t. -k3 -n))
	for r in 0 1; do
		ta=$(total "${a[$((r + 1))]}") tb=$(total "${b[$((r + 1))]}")
		echo "$p $bytes B rank $r: $(( (tb - ta) * 10 / 11 / (n2 - n1) / per )) Ir per $unit"
	done
done
