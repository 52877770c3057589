# SPDX-License-Identifier: MIT
# lib.sh: what the bench scripts share (sourced): the median of the numbers on stdin, a
# ratio of two figures ("n/a" when either is missing), and the columns of a table row.
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 <= 0) print "n/a"; else printf "%.2f", a / b }'; }
# cols A B [WIDTH]: the medians of the figure lists A and B and their ratio, as three columns
# of a table row (each led by a space; no newline)
cols() {
	local a b
	a=$(echo "$1" | median); b=$(echo "$2" | median)
	printf " %${3:-12}s %${3:-12}s %7s" "$a" "$b" "$(ratio "$a" "$b")"
}
