#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh: runs every Criterion test binary given, shows their output, and ends with one
# summary over all of them (Criterion's synthesis line, then "N passed, N failed").
# An argument BINARY@VAR=VALUE:FILTER runs BINARY again with VAR set and only the tests FILTER
# names (Criterion's --filter). Exit status: 0 only when every binary passed.
set -u
tested=0 passing=0 failing=0 crashing=0 bad=0
for arg in "$@"; do
	t=${arg%%@*}
	envs=() filter=()
	if [ "$t" != "$arg" ]; then
		spec=${arg#*@}
		envs=("${spec%%:*}")
		filter=(--filter "${spec#*:}")
	fi
	echo "==> $t${envs[*]:+ (${envs[*]})}"
	out=$(mktemp)
	env "${envs[@]}" "$t" --verbose=0 "${filter[@]}" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -a 'Synthesis:' "$out" | tail -1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "run.sh: $t printed no Criterion summary (exit $rc)"
		bad=$((bad + 1))
		failing=$((failing + 1))
		continue
	fi
	n() { echo "$line" | sed -n "s/.*$1: \([0-9]*\).*/\1/p"; }
	tested=$((tested + $(n Tested)))
	passing=$((passing + $(n Passing)))
	failing=$((failing + $(n Failing)))
	crashing=$((crashing + $(n Crashing)))
	[ "$rc" -eq 0 ] || bad=$((bad + 1))
done
echo
echo "[====] Synthesis: Tested: $tested | Passing: $passing | Failing: $failing | Crashing: $crashing "
echo "$passing passed, $((failing + crashing)) failed"
[ $bad -eq 0 ] && [ $failing -eq 0 ] && [ $crashing -eq 0 ]
