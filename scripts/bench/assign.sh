#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of `brain-ab assign -` (one unit id per line, by the hash)
# against `brain-ab tally` of as many events, in the same run, at 10,000
# and 100,000 units: the batch form should cost about what a fold of the
# same number of lines costs, and grow with the units, not faster.
# Usage: scripts/bench/assign.sh
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_ACTOR=bench BRAIN_NOW=2026-01-01T00:00:00Z BRAIN_STATE_DIR="$tmp/state"

# "SECONDS KIB": CPU seconds of one run of a command (the least of three
# loops of five runs, divided by five: one run is a few steps of the
# clock's 10 ms), and the peak resident KiB of a run of it.
measure() {
	/usr/bin/time -f '%M' -o "$tmp/time" "$@" > /dev/null
	kib=$(tail -n 1 "$tmp/time")
	best=""
	for _ in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$tmp/time" sh -c \
			'for i in 1 2 3 4 5; do "$@" > /dev/null; done' sh "$@"
		t=$(tail -n 1 "$tmp/time" | awk '{ printf "%.4f", ($1 + $2) / 5 }')
		best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
	done
	echo "$best $kib"
}

brain-ab register --kind=script --control Calm > /dev/null
brain-ab register --kind=script Bold Warm Direct > /dev/null
prev=""
for n in 10000 100000; do
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "lead-%d\n", i }' > "$tmp/units"
	awk -v n="$n" 'BEGIN { srand(5); for (i = 1; i <= n; i++)
		printf "{\"variant\":\"v%d\",\"kind\":\"script\",\"unit\":\"lead-%d\",\"converted\":%s}\n",
			i % 4, i, rand() < 0.1 ? "true" : "false" }' > "$tmp/events"
	set -- $(measure brain-ab tally "$tmp/events"); t_tally=$1
	set -- $(measure brain-ab assign --kind=script "$tmp/units"); t_assign=$1; m_assign=$2
	awk -v n="$n" -v a="$t_assign" -v t="$t_tally" -v m="$m_assign" -v prev="$prev" 'BEGIN {
		printf "%7d units: assign - %.3f s CPU (%.2fx tally of %d events, %.3f s), %d KiB peak%s\n",
			n, a, (t > 0 ? a / t : 0), n, t, m,
			(prev > 0 ? sprintf(", %.1fx the time of %d units", a / prev, n / 10) : "") }'
	prev=$t_assign
done
