# brain-verify reads each log once.  With audit.log or eval/outcomes.jsonl
# replaced by a fifo that gives the log's bytes to the first open only
# (every later open reads an empty log), the report is byte for byte the
# one of the regular file: a second read would see no records and fail a
# check.  brain-gate's audit_intact, the same.  And what the one pass
# gathers still finds what each check found alone, before and after a
# break in the chain.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

brain-ab register --kind=script Closer Opener > /dev/null
brain-ab track Closer --trials=500 --conversions=150 > /dev/null
brain-promote register Closer > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
echo '{"name":"Jo","value":1000}' | brain-packet build > /dev/null
brain config set gate.min_accuracy 0.85 > /dev/null
brain-eval record 0.9 > /dev/null
brain-eval record 0.8 > /dev/null
cp -a state healthy
fresh() { rm -rf state; cp -a healthy state; }
failed_with() { grep -q "\"check\":\"$1\",\"status\":\"FAIL\",\"detail\":\"$2" out; }

# once FILE: FILE becomes a fifo whose first reader gets its bytes and
# every later reader an empty file (each open meets a writer, so nothing
# waits for ever); unonce FILE puts the file back.  The opens are done by
# the feeding shell itself, so stopping it leaves no writer behind.
once() {
	mv "$1" once.bytes
	mkfifo -m 600 "$1"
	(src=once.bytes; while :; do { cat "$src"; } > "$1"; src=/dev/null; done) &
	feeder=$!
}
unonce() {
	kill "$feeder"
	wait "$feeder" 2> /dev/null
	rm "$1"
	mv once.bytes "$1"
}

brain-verify > expected
check "the state verifies" test $? = 0
check "with records in every check that reads the trail" \
	grep -q '"bindings","status":"PASS","detail":"1 file(s)' expected

once state/audit.log
brain-verify > out
check "audit.log read once: exit 0" test $? = 0
unonce state/audit.log
check "and the report of the regular file" cmp -s expected out

once state/eval/outcomes.jsonl
brain-verify > out
check "eval/outcomes.jsonl read once: exit 0" test $? = 0
unonce state/eval/outcomes.jsonl
check "and the report of the regular file" cmp -s expected out

# brain-gate: the edit is found only by the bindings, which need the
# records: a second read would see none and call the trail intact.
jq -c '.gate.min_accuracy = 0.5' state/config.json > cfg
cat cfg > state/config.json
once state/audit.log
brain-gate --dry-run clone_a 0.9 0.9 false > out
unonce state/audit.log
check "brain-gate reads audit.log once, and finds the edited config.json" \
	grep -q '"gate":"audit_intact","passed":false,.*config.json is not what audit record' out

# What each check finds, from the one pass.
fresh
cat cfg > state/config.json
brain-verify > out
check "an edited config.json fails the bindings" failed_with bindings "config.json is not what"
check "while the chain passes" grep -q '"audit_chain","status":"PASS"' out

fresh
sed -i 's/"status":\t"active"/"status":\t"testing"/' state/scripts/registry.json
brain-verify > out
check "a script status edited in the registry fails the scripts check" \
	failed_with scripts "script closer@1 is testing, but the audit trail last set it to active"

fresh
echo '{"ts":"2026-11-28T12:00:00Z","metric":"outcome","score":0.5}' >> state/eval/outcomes.jsonl
brain-verify > out
check "an outcome the trail never recorded fails the eval check" \
	failed_with eval "3 outcomes stored but 2 in the audit trail"

fresh
echo '{"ts":"2026-11-28T12:00:00Z","metric":"outcome"}' >> state/eval/outcomes.jsonl
brain-verify > out
check "a line that is JSON but no outcome passes the format check" \
	grep -q '"log_format","status":"PASS","detail":"eval/outcomes.jsonl: 3 lines"' out
check "and fails the eval check, naming the line" \
	failed_with eval "eval/outcomes.jsonl:3: corrupt outcome"

# A record that chains but is not strict JSON (a member twice).
fresh
sed -i '$s/"status":"SUCCESS"/"status":"SUCCESS","status":"x"/' state/audit.log
brain-verify > out
n=$(wc -l < state/audit.log)
check "a record that chains but is not strict JSON fails the format check" \
	failed_with log_format "audit.log:$n: field 'status' appears twice"
check "while the chain passes" grep -q '"audit_chain","status":"PASS"' out

# A broken chain: the checks that need the records still read past it.
fresh
sed -i '3s/"actor":"tester"/"actor":"mallory"/' state/audit.log
cat cfg > state/config.json
echo '{"ts":"2026-11-28T12:00:00Z","metric":"outcome","score":0.5}' >> state/eval/outcomes.jsonl
brain-verify > out
check "an edited record fails the chain" failed_with audit_chain "prev_mismatch at record 4"
check "the format check still reads every line" \
	grep -q "\"log_format\",\"status\":\"PASS\",\"detail\":\"audit.log: $n lines\"" out
check "the bindings still find the edited config.json, bound past the break" \
	failed_with bindings "config.json is not what"
check "the eval check still counts every eval record" \
	failed_with eval "3 outcomes stored but 2 in the audit trail"

# Progress lines: with --progress, the one pass over a long audit.log
# shows one (once: the log is verified once), and so does the format
# check of a long outcome log; without --progress (stderr is no
# terminal here) there is none.
fresh
awk 'BEGIN { for (i = 0; i < 70000; i++)
	printf "{\"subject\":\"clone_a\",\"action\":\"DEPLOY\",\"status\":\"SUCCESS\"}\n" }' |
	brain-audit log - > /dev/null
awk 'BEGIN { for (i = 0; i < 70000; i++)
	printf "{\"ts\":\"2026-11-28T12:00:00Z\",\"metric\":\"outcome\",\"score\":0.5}\n" }' \
	>> state/eval/outcomes.jsonl
brain-verify --progress > out 2> err
check "--progress: the pass over audit.log shows its progress once" \
	test "$(tr '\r' '\n' < err | grep -c 'brain-verify: verified 65536 records')" = 1
check "and the format check of a long outcome log shows its own" \
	grep -q 'brain-verify: eval/outcomes.jsonl: read 65536 lines' err
check "the report is as without --progress" sh -c 'brain-verify 2> err2 | cmp -s - out'
check "which shows none" test ! -s err2
