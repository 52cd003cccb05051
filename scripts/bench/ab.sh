#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of brain-ab folding: `track` (into the state) and `tally`
# (stateless) against jq doing the same aggregation and a bare cJSON parse
# loop, all on the same generated events in the same run; peak memory at
# 1M and 10M events.  Usage: scripts/bench/ab.sh [EVENTS] [BIG_EVENTS]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
big=${2:-10000000}
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_STATE_DIR="$tmp/state"

bench_cjson_parse

events() {
	awk -v n="$1" 'BEGIN { srand(11); for (i = 1; i <= n; i++) {
		r = rand(); v = r < 0.5 ? "High-Energy" : "Low-Pressure"; c = rand() < 0.1;
		printf "{\"variant\":\"%s\",\"kind\":\"script\",\"converted\":%s,\"value\":%d,\"source\":\"crm-%d\"}\n",
			v, c ? "true" : "false", c ? 250000 : 0, i % 100 } }'
}

# seconds and peak resident KiB of a command: "SECONDS KIB"
measure() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null
	cat "$tmp/time"
}

events "$n" > "$tmp/events"
bytes=$(wc -c < "$tmp/events")
echo "events: $n ($bytes bytes)"
brain-ab register --kind=script High-Energy Low-Pressure > /dev/null

set -- $(measure "$tmp/cjson-parse" < "$tmp/events"); t_cjson=$1
set -- $(measure brain-ab track "$tmp/events"); t_track=$1; m_track=$2
set -- $(measure brain-ab tally "$tmp/events"); t_tally=$1; m_tally=$2
set -- $(measure jq -c -n 'reduce inputs as $e ({}; .[$e.variant] |= {trials: ((.trials // 0) + 1), conversions: ((.conversions // 0) + (if $e.converted then 1 else 0 end))})' "$tmp/events"); t_jq=$1

rate() { awk -v n="$n" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "cJSON parse only: ${t_cjson}s ($(rate "$t_cjson") events/s)"
echo "brain-ab track:   ${t_track}s ($(rate "$t_track") events/s), peak ${m_track} KiB"
echo "brain-ab tally:   ${t_tally}s ($(rate "$t_tally") events/s), peak ${m_tally} KiB"
echo "jq reduce:        ${t_jq}s ($(rate "$t_jq") events/s)"
echo "track / cJSON parse: $(ratio "$t_track" "$t_cjson") (goal: at most 1.5)"
echo "jq / track:          $(ratio "$t_jq" "$t_track") (goal: over 10)"

if [ "$big" -gt 0 ]; then
	# 10x the events through a pipe, so the file need not be stored.
	rm -rf "$BRAIN_STATE_DIR"
	brain-ab register --kind=script High-Energy Low-Pressure > /dev/null
	events "$big" > "$tmp/big"
	set -- $(measure brain-ab track "$tmp/big"); t_big=$1; m_big=$2
	echo "brain-ab track of $big events: ${t_big}s, peak ${m_big} KiB (goal: under 16384)"
fi
