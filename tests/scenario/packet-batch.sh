# brain-packet build of many leads is one change: every packet and its
# packet.build record land together or none does, in a few syncs rather
# than several per packet; the same lead twice in a batch is one packet;
# a crash at any step leaves all of the batch or none of it.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

leads() {
	awk -v n="$1" -v tag="$2" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"name\":\"%s %d Elm St\",\"arv\":%d,\"repairs\":%d,\"assignment_fee\":10000}\n",
			tag, i, 200000 + i * 100, 20000 + i % 7 * 1000 }'
}
packets() { find "$BRAIN_STATE_DIR/packets" -name 'pk-*.json' 2> /dev/null | wc -l; }
records() { brain-audit show 2> /dev/null | grep -c '"action":"packet.build"'; }

brain-audit log setup setup.start SUCCESS > /dev/null
leads 300 a > a.jsonl
brain-packet build a.jsonl > out
check "300 leads: 300 packets printed" test "$(wc -l < out)" = 300
check "300 packet files" test "$(packets)" = 300
check "300 packet.build records" test "$(records)" = 300
check "no journal or temporary left" \
	sh -c '! ls -A "$BRAIN_STATE_DIR" "$BRAIN_STATE_DIR/packets" | grep -q "journal\|\.tmp\."'
first=$(head -n 1 out | jq -r .packet_id)
brain-packet show "$first" > shown
check "what was printed is what was stored" sh -c 'head -n 1 out | cmp -s - shown'
check "the records are in input order" \
	sh -c 'brain-audit show | jq -r "select(.action == \"packet.build\") | .subject" > ids &&
		jq -r .packet_id out | cmp -s - ids'
check "the audit trail verifies" brain-audit verify

{ leads 2 b; leads 1 b; } > dup.jsonl
brain-packet build dup.jsonl > out
check "the same lead twice in a batch: printed twice" test "$(wc -l < out)" = 3
check "the same packet both times" test "$(jq -r .packet_id out | sort -u | wc -l)" = 2
check "stored once, recorded once" test "$(packets)" = 302 -a "$(records)" = 302
brain-packet build a.jsonl > out
check "a batch built before: its packets again, nothing new" \
	test "$(wc -l < out)" = 300 -a "$(packets)" = 302 -a "$(records)" = 302

{ leads 50 c; echo '{"name":"Bad","arv":"lots"}'; } > bad.jsonl
cp "$BRAIN_STATE_DIR/audit.log" audit.before
brain-packet build bad.jsonl > out 2> err
check "a bad lead at the end fails the batch (exit 3)" test $? = 3
check "naming the line" grep -q "bad.jsonl:51" err
check "and nothing of the batch is stored or recorded" \
	test "$(packets)" = 302 -a "$(wc -l < out)" = 0
check "the audit log is as it was" cmp -s audit.before "$BRAIN_STATE_DIR/audit.log"

leads 40 d > d.jsonl
BRAIN_FAULT=change-journaled brain-packet build d.jsonl > /dev/null 2>&1
check "killed after the journal: the journal waits" test -e "$BRAIN_STATE_DIR/journal"
brain-audit log next next.writer SUCCESS > /dev/null 2>&1
check "the next writer undoes the batch: no packet of it" test "$(packets)" = 302
check "no temporary left behind" sh -c '! ls -A "$BRAIN_STATE_DIR/packets" | grep -q "\.tmp\."'
BRAIN_FAULT=change-audited brain-packet build d.jsonl > /dev/null 2>&1
check "killed after the records" test -e "$BRAIN_STATE_DIR/journal"
brain-audit log next next.writer SUCCESS > /dev/null 2>&1
check "the next writer finishes the batch: all 40 packets" test "$(packets)" = 342
check "and their 40 records" test "$(records)" = 342
check "brain-verify agrees" sh -c 'brain-verify > report'

# The syncs of a batch do not grow with its packets (strace counts them,
# where this machine lets strace run).
if strace -f -o /dev/null true 2> /dev/null; then
	leads 200 e > e.jsonl
	strace -f -c -o trace -e trace=fsync,fdatasync,syncfs brain-packet build e.jsonl > /dev/null
	syncs=$(awk '$NF ~ /^(fsync|fdatasync|syncfs)$/ { n += $4 } END { print n + 0 }' trace)
	check "200 new packets in a few syncs ($syncs), not one or more per packet" \
		test "$syncs" -gt 0 -a "$syncs" -le 12
else
	echo "note: strace cannot trace here; the count of syncs is not checked"
fi
