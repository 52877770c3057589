#!/bin/bash
# SPDX-License-Identifier: MIT
# timing.sh: virtual time (docs/timing.md) in `make bench` (bench/run.sh calls it; it runs
# alone too): the calibration check (apps/scc-calib: the cost model against the SCC's
# published figures, each within 10%), and what --timing=scc, --record and --deterministic
# cost in host time: the 48-rank allreduce of one double and jacobi2d on 48 ranks, each
# variant run alternately with a plain run (PAIRS rounds), medians of the wall time of the
# whole `tessera run`, and the record's size per message.
set -u
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-5}
B=build
T="$B/bin/tessera run --timeout 600"
rec=$(mktemp)
trap 'rm -f "$rec"' EXIT

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"n/a\" }"; }
now_ns() { date +%s%N; }
# wall time of a command in ms (its output dropped)
wall() { local s e; s=$(now_ns); "$@" >/dev/null 2>&1; e=$(now_ns); echo $(( (e - s) / 1000000 )); }

echo "virtual time: calibration (tessera run -n 2 --timing=scc $B/apps/scc-calib)"
$T -n 2 --timing=scc $B/apps/scc-calib 2>&1 | sed 's/^/  /'
echo

declare -A w
names=("allreduce" "jacobi2d")
cmd_allreduce="-n 48 $B/bench/tessera/collective allreduce 2000"
cmd_jacobi2d="-n 48 $B/apps/jacobi2d 256 2000 0"
# the modes run a process per core (docs/timing.md): per-core is what that alone costs
variants=("plain" "per-core" "timing" "record" "deterministic")
opt_plain=""
opt_per_core="--cores-per-process 1"
opt_timing="--timing=scc"
opt_record="--record $rec"
opt_deterministic="--deterministic"
for i in $(seq "$PAIRS"); do
	for n in "${names[@]}"; do
		c="cmd_$n"
		for v in "${variants[@]}"; do
			o="opt_${v//-/_}"
			# --deterministic runs the cores one at a time: one round is plenty
			[ "$v" = deterministic ] && [ "$i" -gt 1 ] && continue
			w[$n.$v]+=" $(wall $T ${!o} ${!c})"
		done
	done
done
printf '%-36s %10s %10s %10s %14s\n' "host wall time (ms), 48 ranks" "plain" "variant" "slowdown" "variant"
for n in "${names[@]}"; do
	p=$(echo "${w[$n.plain]}" | median)
	for v in per-core timing record deterministic; do
		m=$(echo "${w[$n.$v]}" | median)
		o="opt_${v//-/_}"
		printf '%-36s %10s %10s %10s %14s\n' "$n" "$p" "$m" "$(ratio "$m" "$p")" "${!o%% *}"
	done
done
for n in "${names[@]}"; do
	c="cmd_$n"
	line=$($T --record "$rec" ${!c} 2>&1 >/dev/null | grep '^tessera: record')
	echo "record of $n: ${line#tessera: record $rec: }"
done
echo
echo "raw wall times (ms):"
for k in "${!w[@]}"; do echo "  $k:${w[$k]}"; done | sort
