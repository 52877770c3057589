#!/bin/bash
# SPDX-License-Identifier: MIT
# osu.sh: tessera's MPI against Open MPI, OSU-style (bench/src/osu_latency.c, osu_bw.c), 1 B
# to 1 MiB, in one run: a latency table (one-way, from ping-pongs) and a bandwidth and
# message-rate table (windows of 64 non-blocking sends), each size side by side, runs
# alternating (tessera, Open MPI, ...), PAIRS pairs, medians. Then the same again with a
# background load of LOAD CPU-bound processes (started here, ended here by their pids).
# bench/run.sh calls it; it runs alone too. Prints the tables; the cache-line floor
# (tessera-cacheline-floor) heads the latency table.
set -u
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-3}
LOAD=${LOAD:-3}
MAX=${MAX:-1048576}
B=build
T="$B/bin/tessera run --timeout 300"
M="timeout 300 mpirun --allow-run-as-root --oversubscribe"

. bench/lib.sh
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# tables TITLE: runs both programs PAIRS times and prints the two tables
tables() {
	local title=$1 i size v1 v2 v3 l0 l1
	declare -A lt=() lm=() bt=() bm=() rt=() rm=()
	l0=$(loadavg)
	for i in $(seq "$PAIRS"); do
		while read -r _ size v1; do lt[$size]+=" $v1"; done < <($T -n 2 $B/bench/tessera/osu_latency 1 "$MAX" | grep '^lat ')
		while read -r _ size v1; do lm[$size]+=" $v1"; done < <($M -np 2 $B/bench/ompi/osu_latency 1 "$MAX" 2>/dev/null | grep '^lat ')
		while read -r _ size v2 v3; do bt[$size]+=" $v2"; rt[$size]+=" $v3"; done < <($T -n 2 $B/bench/tessera/osu_bw 1 "$MAX" | grep '^bw ')
		while read -r _ size v2 v3; do bm[$size]+=" $v2"; rm[$size]+=" $v3"; done < <($M -np 2 $B/bench/ompi/osu_bw 1 "$MAX" 2>/dev/null | grep '^bw ')
	done
	l1=$(loadavg)
	echo
	echo "$title (medians of $PAIRS pairs run alternately; load average $l0 before, $l1 after)"
	printf '%-10s %12s %12s %7s\n' "latency" "tessera us" "Open MPI us" "ratio"
	for size in $(printf '%s\n' "${!lm[@]}" | sort -n); do
		printf '%-10s' "$size B"; cols "${lt[$size]:-}" "${lm[$size]}"; echo
	done
	echo
	printf '%-10s %12s %12s %7s %14s %14s %7s\n' "bandwidth" "tessera MB/s" "Open MPI" "ratio" \
		"tessera msg/s" "Open MPI" "ratio"
	for size in $(printf '%s\n' "${!bm[@]}" | sort -n); do
		printf '%-10s' "$size B"; cols "${bt[$size]:-}" "${bm[$size]}"
		cols "${rt[$size]:-}" "${rm[$size]}" 14; echo
	done
}

floor=$($B/bin/tessera-cacheline-floor --max 8 2>/dev/null | awk '$1 == 8 {print $3}')
echo
echo "cache-line floor, 2 host threads, 8 B one-way: ${floor:-n/a} us"
tables "tessera against $(mpirun --version 2>/dev/null | head -1), 2 ranks, no added load"
[ "$LOAD" -gt 0 ] || exit 0
pids=()
for i in $(seq "$LOAD"); do
	sh -c 'while :; do :; done' &
	pids+=($!)
done
tables "the same with a background load of $LOAD CPU-bound processes"
for p in "${pids[@]}"; do kill "$p"; done
wait "${pids[@]}" 2>/dev/null
exit 0
