#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of `brain-ab tally` against the number of arms: the same
# number of events spread over 2, 6, 10,000 and 100,000 variants, with two
# peers over each input in the same run: a bare cJSON parse loop, and a
# cJSON parse-and-fold loop into the C library's hash table (hsearch_r),
# which checks nothing beyond cJSON (tally checks each record's UTF-8,
# grammar, duplicate names, ranges and fields).  The per-event cost should
# not grow with the arms (a hash lookup per event): the targets are
# 100,000 arms within 2x the cost of 2, and 6 arms at most 1.0x the fold
# loop.
# Usage: scripts/bench/ab-arms.sh [EVENTS]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"

bench_cjson_parse
bench_cjson_fold

events() {
	awk -v n="$n" -v arms="$1" 'BEGIN { srand(5); for (i = 1; i <= n; i++)
		printf "{\"variant\":\"v%d\",\"kind\":\"script\",\"converted\":%s}\n",
			int(rand() * arms), rand() < 0.1 ? "true" : "false" }'
}

# "SECONDS KIB": the least user CPU seconds of five runs of a command
# reading $tmp/events, and its peak resident KiB.
# Usage: measure COMMAND...
measure() {
	: > "$tmp/times"
	for _ in 1 2 3 4 5; do
		/usr/bin/time -f '%U %M' -o "$tmp/time" "$@" < "$tmp/events" > /dev/null
		cat "$tmp/time" >> "$tmp/times"
	done
	sort -n "$tmp/times" | head -n 1
}

echo "events: $n"
base=""
for arms in 2 6 10000 100000; do
	events "$arms" > "$tmp/events"
	set -- $(measure "$tmp/cjson-parse"); t_cjson=$1
	set -- $(measure "$tmp/cjson-fold"); t_fold=$1
	set -- $(measure brain-ab tally -); t_tally=$1; m_tally=$2
	[ -n "$base" ] || base=$t_tally
	awk -v a="$arms" -v t="$t_tally" -v c="$t_cjson" -v f="$t_fold" -v b="$base" -v m="$m_tally" 'BEGIN {
		printf "%7d arms: tally %.2f s CPU (%.2fx the cJSON parse loop, %.2fx the cJSON fold loop, %.2fx tally at 2 arms), %d KiB peak\n",
			a, t, (c > 0 ? t / c : 0), (f > 0 ? t / f : 0), (b > 0 ? t / b : 0), m }'
done
