#!/bin/sh
# Benchmark of the audit trail: `brain-audit log -` of 100,000 records in
# one batch, and `brain-audit verify` of a 1,000,000-record log, against
# sha256sum of the same file measured in the same run.
# Usage: scripts/bench/audit.sh [RECORDS_APPEND] [RECORDS_VERIFY]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
append_n=${1:-100000}
verify_n=${2:-1000000}
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_STATE_DIR="$tmp/state" BRAIN_ACTOR=bench

now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

events() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"subject\":\"clone_%d\",\"action\":\"DEPLOY\",\"status\":\"SUCCESS\",\"details\":{\"version\":\"1.%d\",\"target\":\"production\"}}\n", i % 97, i % 13 }'
}

events "$append_n" > "$tmp/append.jsonl"
t0=$(now)
brain-audit log - < "$tmp/append.jsonl" > /dev/null
t1=$(now)
t_append=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
echo "log -:  $append_n records in ${t_append}s: $(rate "$append_n" "$t_append") records/s"

# Grow the log to verify_n records in batches of 100,000.
have=$((append_n + 1))
while [ "$have" -lt "$verify_n" ]; do
	n=$((verify_n - have))
	[ "$n" -le 100000 ] || n=100000
	events "$n" | brain-audit log - > /dev/null
	have=$((have + n))
done
log="$BRAIN_STATE_DIR/audit.log"
bytes=$(wc -c < "$log")
cat "$log" > /dev/null # warm the page cache for both readers alike

t0=$(now)
brain-audit verify > "$tmp/report"
t1=$(now)
sha256sum "$log" > /dev/null
t2=$(now)
t_verify=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t_sha=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
grep -q '"ok":true' "$tmp/report" || { echo "verify failed: $(cat "$tmp/report")"; exit 1; }
echo "verify: $have records ($bytes bytes) in ${t_verify}s: $(rate "$have" "$t_verify") records/s"
echo "sha256sum of the same file: ${t_sha}s"
echo "ratio verify / sha256sum: $(ratio "$t_verify" "$t_sha") (goal: at most 3)"
