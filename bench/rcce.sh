#!/bin/bash
# SPDX-License-Identifier: MIT
# rcce.sh: RCCE against tessera's own MPI, the same exchanges in one run (bench/run.sh calls
# it; it runs alone too): apps/rcce-pingpong (seconds per round trip, 32 B to 1 MiB, as
# RCCE's ping-pong prints them) and apps/rcce-reduce (RCCE_allreduce of one double and
# RCCE_barrier on 48 cores) beside their MPI twins (apps/rcce-*/mpi), under host and strict
# coherence. Runs alternate (RCCE, MPI, RCCE, ...), PAIRS pairs; medians are printed.
set -u
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-5}
ROUNDS=${ROUNDS:-20}
T="build/bin/tessera run --timeout 300"
A=build/apps

. bench/lib.sh

for mode in host strict; do
	declare -A pr=() pm=()
	ar_r="" ar_m="" ba_r="" ba_m=""
	for i in $(seq "$PAIRS"); do
		for which in rcce mpi; do
			app=$A/rcce-pingpong; [ $which = mpi ] && app=$A/rcce-pingpong-mpi
			while read -r _ size _ secs _; do
				if [ $which = rcce ]; then pr[$size]+=" $secs"; else pm[$size]+=" $secs"; fi
			done < <($T -n 2 --coherence=$mode $app "$ROUNDS" 1048576 | grep '^time:')
			app=$A/rcce-reduce; [ $which = mpi ] && app=$A/rcce-reduce-mpi
			out=$($T -n 48 --coherence=$mode $app 200 1)
			a=$(echo "$out" | sed -n 's/^time: allreduce.* \([0-9.e+-]*\) s$/\1/p')
			b=$(echo "$out" | sed -n 's/^time: barrier.* \([0-9.e+-]*\) s$/\1/p')
			if [ $which = rcce ]; then ar_r+=" $a"; ba_r+=" $b"; else ar_m+=" $a"; ba_m+=" $b"; fi
		done
	done
	echo
	echo "RCCE against tessera's MPI, --coherence=$mode (medians of $PAIRS pairs, run alternately)"
	printf '%-40s %12s %12s %7s\n' "metric" "RCCE" "MPI" "ratio"
	for size in $(printf '%s\n' "${!pr[@]}" | sort -n); do
		printf '%-40s' "ping-pong $size B (s per round trip)"; cols "${pr[$size]}" "${pm[$size]}"; echo
	done
	printf '%-40s' "allreduce 1 double, 48 UEs (s)"; cols "$ar_r" "$ar_m"; echo
	printf '%-40s' "barrier, 48 UEs (s)"; cols "$ba_r" "$ba_m"; echo
	unset pr pm
done
