#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of brain-verify against `brain-audit verify` of the same
# state, measured in the same run, at 100,000 and 1,000,000 audit records:
# brain-verify checks the audit chain and everything else that reads the
# trail in one pass over the log, so it should cost little more than the
# chain check alone (goal: at most 1.5x), and both should grow with the
# log, no faster (growth 100k -> 1M near 10).  Each time is the least of
# three runs, taken in turn.
# Usage: scripts/bench/verify.sh [SMALL_RECORDS] [RECORDS]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
small=${1:-100000}
large=${2:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"
export BRAIN_STATE_DIR="$tmp/state" BRAIN_ACTOR=bench

events() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"subject\":\"clone_%d\",\"action\":\"DEPLOY\",\"status\":\"SUCCESS\",\"details\":{\"version\":\"1.%d\",\"target\":\"production\"}}\n", i % 97, i % 13 }'
}

# CPU seconds (user) and peak resident KiB of a command: "SECONDS KIB"
measure() {
	/usr/bin/time -f '%U %M' -o "$tmp/time" "$@" > "$tmp/out"
	cat "$tmp/time"
}

# The least CPU time of three runs of each, taken in turn so that both
# see the same machine, into $tmp/best: "AUDIT_SECONDS VERIFY_SECONDS KIB"
best_of_three() {
	: > "$tmp/runs"
	for run in 1 2 3; do
		set -- $(measure brain-audit verify); a=$1
		grep -q '"ok":true' "$tmp/out" || { echo "brain-audit verify failed (run $run)"; exit 1; }
		set -- $(measure brain-verify); v=$1; m=$2
		grep -q '"overall_status":"PASS"' "$tmp/out" ||
			{ echo "brain-verify failed (run $run)"; cat "$tmp/out"; exit 1; }
		echo "$a $v $m" >> "$tmp/runs"
	done
	awk '{ if (NR == 1 || $1 < a) a = $1; if (NR == 1 || $2 < v) v = $2; m = $3 }
		END { print a, v, m }' "$tmp/runs" > "$tmp/best"
}

# A state whose trail holds a bound config.json and a few outcomes, grown
# to $1 records in batches of 100,000.
grow() {
	while [ "$have" -lt "$1" ]; do
		n=$(($1 - have))
		[ "$n" -le 100000 ] || n=100000
		events "$n" | brain-audit log - > /dev/null
		have=$((have + n))
	done
}

brain config set lock.wait_seconds 30 > /dev/null
for s in 0.8 0.85 0.9; do brain-eval record "$s" > /dev/null; done
have=$(wc -l < "$BRAIN_STATE_DIR/audit.log")

for records in "$small" "$large"; do
	grow "$records"
	cat "$BRAIN_STATE_DIR/audit.log" > /dev/null # warm the page cache for both alike
	best_of_three
	set -- $(cat "$tmp/best"); t_audit=$1; t_verify=$2; m_verify=$3
	awk -v n="$have" -v a="$t_audit" -v v="$t_verify" -v m="$m_verify" 'BEGIN {
		printf "%8d records: brain-audit verify %.2f s CPU, brain-verify %.2f s CPU (%.2fx, goal: at most 1.5), %d KiB peak\n",
			n, a, v, (a > 0 ? v / a : 0), m }'
	echo "$records $t_audit $t_verify" >> "$tmp/times"
done
awk 'NR == 1 { n = $1; a = $2; v = $3 }
     NR == 2 { printf "growth %d -> %d records (%.0fx): brain-audit verify %.2fx, brain-verify %.2fx\n",
		n, $1, $1 / n, (a > 0 ? $2 / a : 0), (v > 0 ? $3 / v : 0) }' "$tmp/times"
