# brain-ingest's stored identities (learning/seen.keys): a batch reads
# only what the logs gained since the last one, tells duplicates from the
# index, and when the index is missing, torn, or covers lines the logs no
# longer hold, reads the logs whole and writes a fresh index, so a
# duplicate is always told and a removed record is never one.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z
keys="$BRAIN_STATE_DIR/learning/seen.keys"
records="$BRAIN_STATE_DIR/learning/records.jsonl"

# leads N FIRST: N leads with ids from L<FIRST> on.
leads() {
	awk -v n="$1" -v first="$2" 'BEGIN { for (i = first; i < first + n; i++)
		printf "{\"id\":\"L%d\",\"name\":\"Lead %d\",\"city\":\"Springfield\"}\n", i, i }'
}
size() {
	wc -c < "$1" | tr -d ' '
}
magic() {
	head -c 8 "$1"
}

brain-ingest sources allow CRM > /dev/null
leads 1000 1 > first.jsonl
brain-ingest --source=CRM first.jsonl > /dev/null
# Two keys a record (its content and its source and id), ten bytes each,
# after a 32-byte header.
check "the first batch writes a fresh index of its 2,000 keys" \
	test "$(size "$keys")" = $((32 + 2000 * 10)) -a "$(magic "$keys")" = brainid0
leads 500 1001 | brain-ingest --source=CRM > /dev/null
check "the next adds a chunk of its own 1,000 keys, the logs not read again" \
	test "$(size "$keys")" = $((32 + 2000 * 10 + 32 + 1000 * 10))
before=$(size "$keys")
brain-ingest --source=CRM first.jsonl > out
check "the first file again is told as duplicates from the index" \
	grep -q '"accepted":0,"rejected":0,"duplicates":1000' out
check "and adds no key" test "$(size "$keys")" = "$before"

rm "$keys"
brain-ingest --source=CRM first.jsonl > out
check "without the index the logs are read: still all duplicates" \
	grep -q '"accepted":0,"rejected":0,"duplicates":1000' out
check "and the index is written afresh, all 3,000 keys" \
	test "$(size "$keys")" = $((32 + 3000 * 10)) -a "$(magic "$keys")" = brainid0

truncate -s -3 "$keys"
brain-ingest --source=CRM first.jsonl > out
check "a torn index is set aside: still all duplicates" \
	grep -q '"accepted":0,"rejected":0,"duplicates":1000' out
printf 'not an index at all, but long enough to be read as a header' > "$keys"
brain-ingest --source=CRM first.jsonl > out
check "so is a foreign file" grep -q '"accepted":0,"rejected":0,"duplicates":1000' out
check "which is replaced by a fresh index of the 3,000 keys stored" \
	test "$(size "$keys")" = $((32 + 3000 * 10)) -a "$(magic "$keys")" = brainid0
leads 1 4001 | brain-ingest --source=CRM > /dev/null
check "to which the next batch adds its chunk" \
	test "$(size "$keys")" = $((32 + 3000 * 10 + 32 + 2 * 10))

# The index covers lines the log no longer holds (the last 100 records
# removed, as an operator restoring an older copy would): the logs are
# read whole and the index written afresh, so the removed leads are new
# again, and only those, in that batch and every later one.
head -n 1400 "$records" > kept && cat kept > "$records"
leads 1 5001 | brain-ingest --source=CRM > /dev/null
check "the index written then is fresh, the removed leads' old keys set aside" \
	test "$(tail -c $((32 + 1401 * 2 * 10)) "$keys" | head -c 8)" = brainid0
leads 1500 1 | brain-ingest --source=CRM > out
check "leads removed from the log are accepted again, the rest duplicates" \
	grep -q '"accepted":100,"rejected":0,"duplicates":1400' out
leads 1500 1 | brain-ingest --source=CRM > out
check "after which they are duplicates" \
	grep -q '"accepted":0,"rejected":0,"duplicates":1500' out
check "every lead stored once" \
	test "$(grep -o '"id":"L[0-9]*"' "$records" | sort | uniq -d | wc -l)" = 0

# A quarantined line is an identity too, told from the index.
printf '{"id":"bad","dnc":"maybe"}\n' > bad.jsonl
brain-ingest --source=CRM --skip-invalid bad.jsonl > /dev/null 2>&1
brain-ingest --source=CRM --skip-invalid bad.jsonl > /dev/null 2>&1
check "a bad line ingested twice is quarantined once" \
	test "$(grep -c . "$BRAIN_STATE_DIR/learning/quarantine.jsonl")" = 1

# The index cannot be read: the batch fails rather than miss a duplicate.
if [ "$(id -u)" != 0 ]; then
	chmod 200 "$records"
	brain-ingest --source=CRM first.jsonl > out 2> err
	check "an unreadable log stops the batch (exit 4)" test $? = 4
	check "naming it" grep -q "cannot read learning/records.jsonl" err
	chmod 600 "$records"
fi
