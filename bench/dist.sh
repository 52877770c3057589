#!/bin/bash
# SPDX-License-Identifier: MIT
# dist.sh: a board over two emulated hosts (network namespaces behind veth links, TCP only:
# tools/netns-hosts), against Open MPI over the same links (bench/run.sh calls it; it runs
# alone too; needs root, says so and stops without it):
#   - 8 B one-way latency and 1 MiB bandwidth between two cores on different hosts, against
#     Open MPI's own ping-pong between the two namespaces (bench/src/pingpong.c, the same
#     program built both ways);
#   - MPI_Allreduce of one double on 96 ranks over two hosts, against 48 ranks on one (and,
#     since the emulated hosts share this machine's CPUs, the 96 ranks on one host too);
#   - the latency and bandwidth again with the two host processes on this machine's
#     loopback (no namespaces), against Open MPI's ping-pong there: what the veth links and
#     the bridge add, told apart from what tessera adds.
# The emulated hosts share this machine's CPUs with whatever else runs: the load average is
# printed at the start and the end, and figures taken under load are mostly the scheduler's.
# Rows alternate (tessera, reference, tessera, ...), PAIRS pairs; medians are printed.
set -u
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-5}
B=build
NH=tools/netns-hosts
TAG=b$$
D="$(pwd)/$B/bin/tessera run --distributed --timeout 300"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.3f\", $1 / $2; else print \"n/a\" }"; }
# row LABEL "TESSERA FIGURES" "REFERENCE FIGURES": their medians and the ratio
row() {
	local t m
	t=$(echo "$2" | median); m=$(echo "$3" | median)
	printf '%-50s %12s %12s %9s\n' "$1" "$t" "$m" "$(ratio "$t" "$m")"
}

echo
echo "A board over two emulated hosts (network namespaces, TCP over veth links, no shared memory)"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
if ! why=$($NH check); then
	echo "  skipped: $why"
	exit 0
fi
[ -x $B/bin/tessera-dist ] || { echo "  skipped: $B/bin/tessera-dist was not built"; exit 0; }
$NH up $TAG 2 || { echo "  skipped: the emulated hosts could not be made"; exit 0; }
trap '$NH down $TAG' EXIT
run() { timeout 600 $NH mpirun $TAG -q "$@" 2>/dev/null; }

lat_t="" lat_m="" bw_t="" bw_m="" ar2="" ar1="" ar96="" llat_t="" llat_m="" lbw_t="" lbw_m=""
# the same two host processes on this machine's loopback (no namespaces), for comparison
L="timeout 600 mpirun --allow-run-as-root -q --oversubscribe -np 2 --mca btl tcp,self"
for i in $(seq "$PAIRS"); do
	# cores 0 and 6: tiles 0 and 3, the two halves of scc48 (hosts 0 and 1)
	lat_t+=" $(run $D -n 2 --cores 0,6 $B/bench/tessera/pingpong 8 2000 | field us)"
	lat_m+=" $(run $B/bench/ompi/pingpong 8 2000 | field us)"
	bw_t+=" $(run $D -n 2 --cores 0,6 $B/bench/tessera/pingpong 1048576 20 | field MBps)"
	bw_m+=" $(run $B/bench/ompi/pingpong 1048576 20 | field MBps)"
	ar2+=" $(run $D -n 96 $B/bench/tessera/collective allreduce 200 | field us)"
	ar1+=" $($B/bin/tessera run --timeout 300 -n 48 $B/bench/tessera/collective allreduce 200 | field us)"
	ar96+=" $($B/bin/tessera run --timeout 300 -n 96 $B/bench/tessera/collective allreduce 200 2>/dev/null | field us)"
	llat_t+=" $($L $D -n 2 --cores 0,6 $B/bench/tessera/pingpong 8 2000 2>/dev/null | field us)"
	llat_m+=" $($L $B/bench/ompi/pingpong 8 2000 2>/dev/null | field us)"
	lbw_t+=" $($L $D -n 2 --cores 0,6 $B/bench/tessera/pingpong 1048576 20 2>/dev/null | field MBps)"
	lbw_m+=" $($L $B/bench/ompi/pingpong 1048576 20 2>/dev/null | field MBps)"
done
printf '%-50s %12s %12s %9s\n' "metric" "tessera" "reference" "ratio"
row "8 B one-way latency across hosts (us)" "$lat_t" "$lat_m"
printf '%-50s\n' "  reference: Open MPI, one rank per host, TCP"
row "bandwidth 1 MiB across hosts (MB/s)" "$bw_t" "$bw_m"
row "MPI_Allreduce 1 double, 96 ranks on 2 hosts (us)" "$ar2" "$ar1"
printf '%-50s\n' "  reference: tessera, 48 ranks on one host"
row "  the same 96 ranks on one host (us)" "$ar96" "$ar1"
printf '%-50s\n' "  (the emulated hosts share this machine's $(nproc) CPUs)"
row "8 B latency, host processes over loopback (us)" "$llat_t" "$llat_m"
row "1 MiB bandwidth, over loopback (MB/s)" "$lbw_t" "$lbw_m"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "raw figures (distributed board):"
echo "  8 B latency (us): tessera$lat_t / Open MPI$lat_m"
echo "  1 MiB bandwidth (MB/s): tessera$bw_t / Open MPI$bw_m"
echo "  allreduce (us): 96 ranks on 2 hosts$ar2 / 48 ranks on 1$ar1 / 96 ranks on 1$ar96"
echo "  loopback 8 B latency (us): tessera$llat_t / Open MPI$llat_m"
echo "  loopback 1 MiB bandwidth (MB/s): tessera$lbw_t / Open MPI$lbw_m"
