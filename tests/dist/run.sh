#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh: `make test-dist`, the long runs of a board over several emulated hosts that `make
# test` leaves out (tests/integration/test_dist.c runs a sample): every MPI conformance
# program of tests/mpi/conf with 1, 2, 4 and 7 ranks over two emulated hosts (neighbouring
# tiles on different hosts) under host and strict coherence, compared with Open MPI (the
# one-sided ones also without shared windows, which span hosts); and
# mpbc-stress on 24 and 48 ranks over two and three hosts under both models. The emulated
# hosts are network namespaces (tools/netns-hosts: root); without root the same runs go over
# this machine's loopback. Ends with "N passed, M failed"; exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.."
B=build
NH=tools/netns-hosts
ODD_EVEN="0,2,4,6,8,10,12,14,16,18,20,22/1,3,5,7,9,11,13,15,17,19,21,23"
pass=0 fail=0
tags=()
tag() { echo "d$1p$(($$ % 100000))"; }	# netns-hosts takes 8 letters and digits at most
trap 'for t in "${tags[@]}"; do $NH down $t; done' EXIT

if why=$($NH check); then
	for h in 2 3; do
		tags+=("$(tag $h)")
		$NH up "$(tag $h)" $h || { echo "netns-hosts up failed"; exit 1; }
	done
	launch() { local h=$1; shift; timeout 300 $NH mpirun "$(tag $h)" -q "$@"; }
	echo "emulated hosts: network namespaces over veth links"
else
	launch() { local h=$1; shift; timeout 300 mpirun --allow-run-as-root -q --oversubscribe \
		-np "$h" --mca btl tcp,self "$@"; }
	echo "emulated hosts: not possible here ($why); host processes over the loopback instead"
fi
D="$(pwd)/$B/bin/tessera run --distributed --timeout 240"
seq=0
bdir() { seq=$((seq + 1)); echo "/dev/shm/tessera-testdist-$$-$seq"; }

result() {	# result OK|FAIL what [details]
	if [ "$1" = OK ]; then pass=$((pass + 1)); echo "ok    $2"
	else fail=$((fail + 1)); echo "FAIL  $2"; [ -z "${3:-}" ] || echo "$3" | head -20 | sed 's/^/      /'; fi
}

for src in tests/mpi/conf/*.c; do
	p=$(basename "$src" .c)
	for n in 1 2 4 7; do
		# ranks on both hosts: MPI_Win_allocate_shared over them is refused, as Open MPI
		# refuses it over several nodes (docs/distributed.md); the output up to there is
		# Open MPI's. The one-sided programs then run again without those windows
		# (CONF_NO_SHARED_WINDOWS, tests/mpi/conf/conf.h), on both MPIs.
		refused=0 xs=("")
		[[ $p == rma* ]] && [ $n -gt 2 ] && refused=1 xs+=(CONF_NO_SHARED_WINDOWS=1)
		for x in "${xs[@]}"; do
			[ $refused = 1 ] && [ -z "$x" ] && far=1 || far=0
			xo=()
			[ -n "$x" ] && xo=(-x "$x")
			# Open MPI's osc/rdma makes no window in a job of one process, osc/ucx
			# crashes now and then (tests/integration/test_mpi_conformance.c)
			osc=()
			[ $n = 1 ] && osc=(--mca osc sm,pt2pt)
			ref=$(timeout 120 mpirun --allow-run-as-root --oversubscribe "${osc[@]}" \
			      "${xo[@]}" -np $n $B/tests/mpi/ompi/$p 2>/dev/null)
			refrc=$?
			for coh in host strict; do
				out=$(launch 2 "${xo[@]}" $D --board-dir "$(bdir)" --host-map $ODD_EVEN \
				      --coherence=$coh -n $n $B/tests/mpi/tessera/$p \
				      2>/tmp/tessera-testdist-$$.err)
				rc=$?
				ok=OK
				if [ $p = errors_fatal ]; then [ $((rc != 0)) = $((refrc != 0)) ] || ok=FAIL
				elif [ $far = 1 ]; then
					[ $rc = 56 ] && [ "${ref#"$out"}" != "$ref" ] || ok=FAIL
					out=$ref
				else [ $rc = $refrc ] || ok=FAIL; fi
				if [ $p = comm ] && [ $n -gt 2 ]; then
					# MPI_COMM_TYPE_SHARED groups the ranks of a host, as Open
					# MPI's those of a node: ranks 0-6 are on hosts 0 0 1 1 0 0 1
					want=$([ $n = 4 ] && echo 2 || echo "MISMATCH 3..4")
					grep -qx "split_type shared size: $want" <<<"$out" || ok=FAIL
					out=$(sed "s/^split_type shared size: .*/split_type shared size: $n/" \
					      <<<"$out")
				fi
				[ "$out" = "$ref" ] || ok=FAIL
				result $ok "$p -n $n, 2 hosts, $coh${x:+, $x} (exit $rc, Open MPI $refrc)" \
					"$(diff <(echo "$out") <(echo "$ref"); cat /tmp/tessera-testdist-$$.err)"
			done
		done
	done
done
for h in 2 3; do
	for n in 24 48; do
		for coh in host strict; do
			out=$(launch $h $D --board-dir "$(bdir)" --coherence=$coh -n $n \
			      $B/apps/mpbc-stress 2>&1)
			rc=$?
			ok=OK
			[ $rc = 0 ] && [[ $out == *", 0 errors"* ]] || ok=FAIL
			result $ok "mpbc-stress -n $n, $h hosts, $coh" "$out"
		done
	done
done
rm -f /tmp/tessera-testdist-$$.err
echo "$pass passed, $fail failed"
[ $fail = 0 ]
