#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of the decision commands against the number of arms:
# `brain-ab report`, `brain-ab winner` and `brain-ab assign --thompson`
# of 10,000 units on experiments of 10, 100 and 1,000 script variants
# (1,000 trials each, rates near 10%).  The peer is the same command on
# ten times fewer arms in the same run, so the growth is the number
# printed; the probability that each arm is best costs O(k) per
# quadrature point, so tenfold arms should cost about tenfold, not a
# hundredfold.
# Usage: scripts/bench/ab-report.sh [UNITS]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
units=${1:-10000}
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_ACTOR=bench BRAIN_NOW=2026-01-01T00:00:00Z

measure() {
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" > /dev/null || true
	tail -n 1 "$tmp/time" | awk '{ printf "%.3f", $1 + $2 }'
}

aggregates() {
	awk -v arms="$1" 'BEGIN { srand(7); for (i = 0; i < arms; i++)
		printf "{\"variant\":\"v%d\",\"kind\":\"script\",\"trials\":1000,\"conversions\":%d}\n",
			i, 90 + int(rand() * 21) }'
}

seq 1 "$units" | sed 's/^/lead-/' > "$tmp/units"
prev_r="" prev_w="" prev_a=""
for arms in 10 100 1000; do
	export BRAIN_STATE_DIR="$tmp/state-$arms"
	aggregates "$arms" | brain-ab track --register --kind=script --batch=b1 - > /dev/null
	t_r=$(measure brain-ab report)
	t_w=$(measure brain-ab winner --kind=script --dry-run)
	t_a=$(measure brain-ab assign --kind=script --thompson --seed=1 "$tmp/units")
	awk -v a="$arms" -v r="$t_r" -v w="$t_w" -v s="$t_a" -v pr="$prev_r" -v pw="$prev_w" \
	    -v ps="$prev_a" -v u="$units" 'function g(x, p) { return p > 0 ? sprintf(" (%.1fx %d arms)", x / p, a / 10) : "" }
	BEGIN { printf "%5d arms: report %.3f s%s, winner %.3f s%s, assign --thompson of %d units %.3f s%s\n",
		a, r, g(r, pr), w, g(w, pw), u, s, g(s, ps) }'
	prev_r=$t_r prev_w=$t_w prev_a=$t_a
done
