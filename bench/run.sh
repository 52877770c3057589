#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh: tessera against Open MPI on this machine, side by side. Each row runs the two
# alternately (A B A B ..., PAIRS pairs) and takes medians; prints the table (metric, tessera,
# Open MPI, ratio, target), then the raw figures, and writes both to bench/results/<date>.txt.
# QEMU_ONLY=1: only the QEMU tiles' part (bench/results/<date>-qemu.txt).
set -u
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-5}
QEMU_ONLY=${QEMU_ONLY:-0}
MPI_PAIRS=$([ "$QEMU_ONLY" = 1 ] && echo 0 || echo "$PAIRS")	# the rows against Open MPI
load0=$(cut -d' ' -f1-3 /proc/loadavg)
B=build
T="$B/bin/tessera run"
M="timeout 120 mpirun --allow-run-as-root --oversubscribe"
out=$(mktemp)
raw=$(mktemp)
trap 'rm -f "$out" "$raw"' EXIT

. bench/lib.sh
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
now_ns() { date +%s%N; }

# Peak memory of a whole command (every process it starts): a memory cgroup if we may make
# one, else "n/a". Prints KB.
CG=/sys/fs/cgroup/memory/tessera-bench-$$
have_cg=0
if mkdir "$CG" 2>/dev/null; then have_cg=1; fi
cleanup_cg() { [ $have_cg = 1 ] && rmdir "$CG" 2>/dev/null; }
trap 'rm -f "$out" "$raw"; cleanup_cg' EXIT
peak_kb() {
	if [ $have_cg = 0 ]; then "$@" >/dev/null 2>&1; echo n/a; return; fi
	echo 0 > "$CG/memory.max_usage_in_bytes"
	sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$CG" "$@" >/dev/null 2>&1
	echo $(( $(cat "$CG/memory.max_usage_in_bytes") / 1024 ))
}

# row NAME UNIT TARGET BETTER(lower|higher) -- tessera values / Open MPI values
declare -a rows
row() {
	[ "$QEMU_ONLY" = 1 ] && return
	local name=$1 unit=$2 target=$3 better=$4 tv=$5 mv=$6 tm mm ratio
	tm=$(echo "$tv" | median)
	mm=$(echo "$mv" | median)
	if [[ $tm != n/a && $mm != n/a ]] && awk "BEGIN{exit !($mm > 0)}"; then
		ratio=$(awk "BEGIN{printf \"%.3f\", $tm / $mm}")
	else
		ratio=n/a
	fi
	printf '%-44s %12s %12s %9s  %s\n' "$name ($unit)" "$tm" "$mm" "$ratio" "$target" >> "$out"
	printf '%s\n  tessera: %s\n  Open MPI: %s\n' "$name ($unit)" "$tv" "$mv" >> "$raw"
}

lat_t="" lat_m="" bw64_t="" bw64_m="" bw1m_t="" bw1m_m=""
ar_t="" ar_m="" ba_t="" ba_m="" bc_t="" bc_m="" st_t="" st_m="" mem_t="" mem_m=""
declare -A rma_t rma_m
io_t="" io_m=""
# MPI-IO writes into a directory in memory (what is measured is MPI, not the disk)
wd=$(mktemp -d -p /dev/shm tessera-bench-XXXXXX)
trap 'rm -f "$out" "$raw"; cleanup_cg; rm -rf "$wd"' EXIT
for i in $(seq "$MPI_PAIRS"); do
	for sync in fence lock pscw; do
		for bytes in 8 65536 1048576; do
			[ $sync = pscw ] && [ $bytes != 8 ] && continue
			k=$sync.$bytes
			iters=$([ "$bytes" = 1048576 ] && echo 200 || echo 5000)
			f=$([ "$bytes" = 8 ] && echo us || echo MBps)
			rma_t[$k]+=" $($T -n 2 $B/bench/tessera/rma_put $bytes $iters $sync | field $f)"
			rma_m[$k]+=" $($M -np 2 $B/bench/ompi/rma_put $bytes $iters $sync 2>/dev/null | field $f)"
		done
	done
	io_t+=" $($T -n 48 --workdir "$wd" $B/bench/tessera/io_write 64 | field MBps)"
	io_m+=" $($M --wdir "$wd" -np 48 "$PWD/$B/bench/ompi/io_write" 64 2>/dev/null | field MBps)"
	lat_t+=" $($T -n 2 $B/bench/tessera/pingpong 8 20000 | field us)"
	lat_m+=" $($M -np 2 $B/bench/ompi/pingpong 8 20000 2>/dev/null | field us)"
	bw64_t+=" $($T -n 2 $B/bench/tessera/pingpong 65536 500 | field MBps)"
	bw64_m+=" $($M -np 2 $B/bench/ompi/pingpong 65536 500 2>/dev/null | field MBps)"
	bw1m_t+=" $($T -n 2 $B/bench/tessera/pingpong 1048576 50 | field MBps)"
	bw1m_m+=" $($M -np 2 $B/bench/ompi/pingpong 1048576 50 2>/dev/null | field MBps)"
	ar_t+=" $($T -n 48 $B/bench/tessera/collective allreduce 1000 | field us)"
	ar_m+=" $($M -np 48 $B/bench/ompi/collective allreduce 1000 2>/dev/null | field us)"
	ba_t+=" $($T -n 48 $B/bench/tessera/collective barrier 1000 | field us)"
	ba_m+=" $($M -np 48 $B/bench/ompi/collective barrier 1000 2>/dev/null | field us)"
	bc_t+=" $($T -n 48 $B/bench/tessera/collective bcast 2000 | field us)"
	bc_m+=" $($M -np 48 $B/bench/ompi/collective bcast 2000 2>/dev/null | field us)"
	s=$(now_ns); $T -n 48 $B/bench/tessera/init >/dev/null; e=$(now_ns)
	st_t+=" $(( (e - s) / 1000000 ))"
	s=$(now_ns); $M -np 48 $B/bench/ompi/init >/dev/null 2>&1; e=$(now_ns)
	st_m+=" $(( (e - s) / 1000000 ))"
	mem_t+=" $(peak_kb $T -n 48 $B/bench/tessera/init)"
	mem_m+=" $(peak_kb $M -np 48 $B/bench/ompi/init)"
done
floor=""
if [ -x $B/bin/tessera-cacheline-floor ]; then
	for i in $(seq "$MPI_PAIRS"); do
		floor+=" $($B/bin/tessera-cacheline-floor 2>/dev/null | sed -n 's/^one cache line: \([0-9.]*\) us.*/\1/p')"
	done
fi
fm=$(echo "$floor" | median)

{
	echo "tessera $(build/bin/tessera --version | cut -d' ' -f2) against $(mpirun --version 2>/dev/null | head -1)"
	echo "$(date -u +%FT%TZ), $(nproc) host cores, $(uname -r); medians of $PAIRS pairs run alternately"
	echo "load average (1, 5, 15 min) at the start: $load0"
	echo
	printf '%-44s %12s %12s %9s  %s\n' "metric" "tessera" "Open MPI" "ratio" "target"
} > "$out.head"
row "8 B one-way latency, 2 ranks" us "ratio <= 0.5, <= 3x floor" lower "$lat_t" "$lat_m"
[ "$QEMU_ONLY" = 1 ] ||
	printf '%-44s %12s %12s %9s  %s\n' "  cache-line floor, 2 host threads (us)" "$fm" "" "" "" >> "$out"
row "bandwidth 64 KB, 2 ranks" MB/s "" higher "$bw64_t" "$bw64_m"
row "bandwidth 1 MiB, 2 ranks" MB/s "ratio >= 1.0" higher "$bw1m_t" "$bw1m_m"
row "MPI_Allreduce 1 double, 48 ranks" us "ratio <= 0.05" lower "$ar_t" "$ar_m"
row "MPI_Barrier, 48 ranks" us "" lower "$ba_t" "$ba_m"
row "MPI_Bcast 1 double, 48 ranks" us "" lower "$bc_t" "$bc_m"
row "start-up to exit, 48-rank MPI hello" ms "ratio <= 0.1" lower "$st_t" "$st_m"
row "peak memory, 48-rank job" KB "" lower "$mem_t" "$mem_m"
row "MPI_Put 8 B + post-start-complete-wait, 2 ranks" us "" lower "${rma_t[pscw.8]}" \
	"${rma_m[pscw.8]}"
for sync in fence lock; do
	row "MPI_Put 8 B + $sync, 2 ranks" us "" lower "${rma_t[$sync.8]}" "${rma_m[$sync.8]}"
	row "MPI_Put 64 KB + $sync, 2 ranks" MB/s "" higher "${rma_t[$sync.65536]}" \
		"${rma_m[$sync.65536]}"
	row "MPI_Put 1 MiB + $sync, 2 ranks" MB/s "" higher "${rma_t[$sync.1048576]}" \
		"${rma_m[$sync.1048576]}"
done
row "MPI_File_write_all 64 MB, 48 ranks" MB/s "" higher "$io_t" "$io_m"
# QEMU tiles (docs/qemu.md): no Open MPI column; the targets of issue 18 on 2 host CPUs.
Q=$B/bench/tessera-i386
qrow() { printf '%-44s %12s %12s %9s  %s\n' "$1" "$(echo "$2" | median)" "" "" "$3" >> "$out"; }
if [ -x $B/apps/i386/hello ] && $T --backend=qemu -n 1 $B/apps/i386/hello >/dev/null 2>&1; then
	q=""; qm=""; qar=""; qlat=""; qch=""; qmix=""
	for i in $(seq "$PAIRS"); do
		s=$(now_ns); $T --backend=qemu -n 48 $B/apps/i386/hello >/dev/null 2>&1; e=$(now_ns)
		q+=" $(( (e - s) / 1000000 ))"
		qm+=" $(peak_kb $T --backend=qemu -n 48 $B/apps/i386/hello)"
		if [ -x $Q/collective ]; then
			qar+=" $($T --backend=qemu -n 48 $Q/collective allreduce 200 | field us)"
			qlat+=" $($T --backend=qemu -n 2 $Q/pingpong 8 20000 | field us)"
			qch+=" $($T --backend=qemu -n 2 $B/apps/i386/mpbc-pingpong --max 8 |
				awk '$1 == 8 { print $3 }')"
			qmix+=" $($T --backend=qemu:0,emu -n 2 --image-i386 $Q/pingpong \
				$B/bench/tessera/pingpong 8 20000 | field us)"
		fi
	done
	qrow "QEMU: 48 tiles boot + hello, wall (ms)" "$q" "< 5000"
	qrow "QEMU: 48 tiles boot + hello, memory (KB)" "$qm" ""
	qrow "QEMU: MPI_Allreduce 1 double, 48 tiles (us)" "$qar" "< 5000"
	qrow "QEMU: 8 B one-way latency, 2 tiles (us)" "$qlat" "< 10"
	qrow "  same, mpb-channels, best of 5 batches (us)" "$qch" ""
	qrow "QEMU: 8 B one-way, tile to emulated core (us)" "$qmix" ""
	printf 'QEMU 48 tiles wall (ms): %s\nQEMU 48 tiles memory (KB): %s\n' "$q" "$qm" >> "$raw"
	printf 'QEMU allreduce 48 tiles (us): %s\nQEMU latency 2 tiles (us): %s\n' "$qar" "$qlat" >> "$raw"
	printf 'QEMU latency tile to emulated core (us): %s\n' "$qmix" >> "$raw"
	printf 'QEMU latency 2 tiles, mpb-channels (us): %s\n' "$qch" >> "$raw"
fi
# OSU-style latency, bandwidth and message-rate tables, 1 B to 1 MiB, with and without a
# background load (bench/osu.sh, issue 22)
[ "$QEMU_ONLY" = 0 ] && bench/osu.sh > "$out.osu"
# RCCE against tessera's MPI (bench/rcce.sh, issue 16)
[ "$QEMU_ONLY" = 0 ] && [ -x bench/rcce.sh ] && [ -x $B/apps/rcce-pingpong ] && bench/rcce.sh > "$out.rcce"
# a board over two emulated hosts (bench/dist.sh, issue 20)
[ "$QEMU_ONLY" = 0 ] && [ -x bench/dist.sh ] && bench/dist.sh > "$out.dist"
# virtual time: the calibration check and what its modes cost (bench/timing.sh, issue 17)
[ "$QEMU_ONLY" = 0 ] && [ -x bench/timing.sh ] && [ -x $B/apps/scc-calib ] && bench/timing.sh > "$out.timing"
# 1024 cores (mesh32x32) on this machine, in the default mode (a core runner per CPU, cores
# switched in user space) and with a process per core; medians of PAIRS1K runs each, the two
# modes run alternately (none with QEMU_ONLY=1).
PAIRS1K=$([ "$QEMU_ONLY" = 1 ] && echo 0 || echo "${PAIRS1K:-3}")
T1K="$T --board mesh32x32 -n 1024"
b_d="" b_p="" h_d="" h_p="" a_d="" a_p="" m_d="" m_p=""
for i in $(seq "$PAIRS1K"); do
	for mode in d p; do
		cpp=""
		[ $mode = p ] && cpp="--cores-per-process 1"
		v=$($T1K $cpp $B/bench/tessera/boot | field ms)
		s=$(now_ns); $T1K $cpp $B/apps/hello >/dev/null; e=$(now_ns)
		w=$(( (e - s) / 1000000 ))
		ar=$($T1K $cpp $B/bench/tessera/collective allreduce 50 | field us)
		pk=$(peak_kb $T1K $cpp $B/apps/hello)
		[ "$pk" != n/a ] && pk=$(( pk / 1024 ))
		eval "b_$mode+=\" $v\"; h_$mode+=\" $w\"; a_$mode+=\" $ar\"; m_$mode+=\" $pk\""
	done
done
row1k() {
	printf '%-44s %12s %12s  %s\n' "$1" "$(echo "$2" | median)" "$(echo "$3" | median)" "$4" >> "$out"
	printf '%s\n  default: %s\n  process per core: %s\n' "$1" "$2" "$3" >> "$raw"
}
if [ "$PAIRS1K" -gt 0 ]; then
	{
		echo
		printf '%-44s %12s %12s  %s\n' "1024 cores (mesh32x32)" "default" "proc/core" "target"
	} >> "$out"
	row1k "boot to main, latest of 1024 ranks (ms)" "$b_d" "$b_p" "< 1000 (default)"
	row1k "hello with printf, wall (ms)" "$h_d" "$h_p" "< 3000 (default)"
	row1k "MPI_Allreduce 1 double (us)" "$a_d" "$a_p" "< 2000 (default)"
	row1k "peak memory per core, hello (KB)" "$m_d" "$m_p" "<= 1024 (default)"
fi

mkdir -p bench/results
res=bench/results/$(date -u +%F)$([ "$QEMU_ONLY" = 0 ] || echo -qemu).txt
echo "load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
{ cat "$out.head" "$out"; cat "$out.osu" "$out.rcce" "$out.dist" 2>/dev/null; echo
  cat "$out.timing" 2>/dev/null; echo; echo "raw figures:"; cat "$raw"; } | tee "$res"
rm -f "$out.head" "$out.osu" "$out.rcce" "$out.dist" "$out.timing"
echo "(written to $res)"
