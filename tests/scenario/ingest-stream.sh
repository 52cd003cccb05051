# brain-ingest streams: 200,000 leads go in within a memory bound far
# below their size, from a file and from a pipe; a batch that fails at its
# last record, or is killed blocked in the middle of its input (a fifo),
# once staged, or in the middle of its change, leaves the learning logs,
# the quarantine, the suppression list and the audit trail as they were,
# and no staging file; the next ingest succeeds.  A slow pipe holds no
# lock.  Memory is measured with GNU time (scripts/install-deps.sh).
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

# leads N FIRST: N leads with ids from L<FIRST> on; one in 20 is on a
# Do-Not-Call list, so the suppression list grows too.
leads() {
	awk -v n="$1" -v first="$2" 'BEGIN { for (i = first; i < first + n; i++)
		printf "{\"id\":\"L%d\",\"name\":\"Lead %d\",\"phone\":\"(555) %03d-%04d\"," \
		       "\"email\":\"Lead%d@Example.COM\",\"dnc\":%s,\"city\":\"Springfield\"}\n",
		       i, i, i % 1000, i % 10000, i, i % 20 ? "false" : "true" }'
}

# What a batch that does not land must leave as it was: every file under
# the state directory (names, dot files included, and contents).
snapshot() {
	(cd "$BRAIN_STATE_DIR" && find . -type f | LC_ALL=C sort | xargs sha256sum) > "$1"
}

# kib FILE: the peak resident KiB that GNU time wrote in FILE.
kib() {
	tail -n 1 "$1"
}

# within_bound WHAT FILE: WHAT took under 40 MiB, as GNU time wrote in
# FILE.  Under the address sanitizer (make SANITIZE=address check) its
# allocator's own memory, not ours, is measured: there it is a note.
sanitized=0
grep -q __asan_init "$(command -v brain-ingest)" && sanitized=1
within_bound() {
	if [ "$sanitized" = 1 ]; then
		echo "note: $1: not bounded under the address sanitizer (peak $(kib "$2") KiB)"
	else
		check "$1: under 40 MiB of memory (peak $(kib "$2") KiB)" test "$(kib "$2")" -lt 40960
	fi
}

check "GNU time is installed to measure memory (scripts/install-deps.sh)" test -x /usr/bin/time
brain-ingest sources allow CRM --uses=training,outreach > /dev/null

leads 200000 1 > big.jsonl
/usr/bin/time -f %M -o mem brain-ingest --source=CRM big.jsonl > out
check "200,000 leads from a file are accepted" \
	grep -q '"accepted":200000,"rejected":0,"duplicates":0' out
within_bound "200,000 leads from a file of $(($(wc -c < big.jsonl) / 1048576)) MiB" mem
check "every lead is stored once" test "$(grep -c . state/learning/records.jsonl)" = 200000
check "and the phone of every DNC lead (one in twenty) is suppressed" \
	test "$(grep -c '"rule":"dnc"' state/learning/suppression.jsonl)" = 10000

leads 200000 200001 > next.jsonl
cat next.jsonl | /usr/bin/time -f %M -o mem brain-ingest --source=CRM > out
check "200,000 more from a pipe are accepted" grep -q '"accepted":200000,' out
within_bound "200,000 more from a pipe, told from 200,000 stored" mem
/usr/bin/time -f %M -o mem brain-ingest --source=CRM big.jsonl > out
check "the first file again is all duplicates" \
	grep -q '"accepted":0,"rejected":0,"duplicates":200000' out
within_bound "the first file again, told from 400,000 stored" mem

# The rest in a state of its own with fewer leads stored, to be quick.
export BRAIN_STATE_DIR="$PWD/small"
state=$BRAIN_STATE_DIR
brain-ingest sources allow CRM > /dev/null
leads 1000 1 | brain-ingest --source=CRM > /dev/null

# A batch that fails at its very last record stores nothing of it.
leads 50000 400001 > batch.jsonl
{ cat batch.jsonl; echo '{"id":"bad","dnc":"yes"}'; } > failing.jsonl
snapshot before
brain-ingest --source=CRM failing.jsonl > out 2> err
check "a bad last record stops the batch (exit 3)" test $? = 3
check "naming its line" grep -q "failing.jsonl:50001: field 'dnc' must be true or false" err
snapshot after
check "and leaves every file byte for byte as it was" cmp -s before after
cat failing.jsonl | brain-ingest --source=CRM > out 2> err
check "the same from a pipe (exit 3)" test $? = 3
snapshot after
check "leaves every file as it was too" cmp -s before after

# Killed while blocked in the middle of its input: the fifo's writer
# keeps it open, so the ingest cannot finish; once the writer has put
# more than a pipe holds, the ingest has read most of it.
mkfifo fifo
brain-ingest --source=CRM < fifo > /dev/null 2>&1 &
pid=$!
exec 3> fifo
cat batch.jsonl >&3
kill -9 "$pid"
wait "$pid"
st=$?
exec 3>&-
check "an ingest killed in the middle of its input dies (exit 137)" test "$st" = 137
snapshot after
check "and leaves every file as it was, with no staging file" cmp -s before after

# While one ingest waits on a slow pipe, another writer goes ahead.
brain-ingest --source=CRM < fifo > slow.out 2>&1 &
pid=$!
exec 3> fifo
head -n 20000 batch.jsonl >&3
leads 10 900001 | brain-ingest --source=CRM --wait=0 > out 2>&1
check "a writer does not wait for an ingest reading a slow pipe" \
	grep -q '"accepted":10,' out
tail -n +20001 batch.jsonl >&3
exec 3>&-
wait "$pid"
check "and the slow ingest then lands whole" grep -q '"accepted":50000,' slow.out

# Killed once the batch is staged, holding the lock, before its change.
leads 50000 500001 > batch.jsonl
snapshot before
BRAIN_FAULT=ingest-staged brain-ingest --source=CRM batch.jsonl > /dev/null 2>&1
check "an ingest killed once staged dies (exit 137)" test $? = 137
snapshot after
check "and leaves every file as it was" cmp -s before after

# Killed in the middle of its change (the lines appended, no audit
# record yet): the next writer undoes it, then the batch lands once.
BRAIN_FAULT=change-appended brain-ingest --source=CRM batch.jsonl > /dev/null 2>&1
check "an ingest killed after its appends dies (exit 137)" test $? = 137
check "leaving its journal for the next writer" test -f "$state/journal"
brain-ingest --source=CRM batch.jsonl > out 2> err
check "the next ingest undoes the interrupted one" grep -q 'it is undone' err
check "and stores the batch in full" grep -q '"accepted":50000,"rejected":0,"duplicates":0' out
check "once" test "$(grep -c '"id":"L500001"' $state/learning/records.jsonl)" = 1

# What a kill leaves on a file system without files that have no names.
touch "$state/.staging.zz9zz9"
leads 1 600001 | brain-ingest --source=CRM > /dev/null
check "a staging file left by a kill is removed by the next ingest" \
	test ! -e "$state/.staging.zz9zz9"

cat big.jsonl | /usr/bin/time -f %M -o mem brain-ingest --source=CRM --dry-run > out
check "a dry run from a pipe reads it all" \
	grep -q '"accepted":199000,"rejected":0,"duplicates":1000' out
within_bound "a dry run of 200,000 leads from a pipe" mem
check "and stores nothing" test "$(grep -c . "$state/learning/records.jsonl")" = 101011
check "no staging file is left anywhere" test -z "$(find state small -name '.staging.*')"
for dir in state small; do
	brain-verify --state-dir="$dir" > report
	check "brain-verify passes on $dir" grep -q '"overall_status":"PASS"' report
done
