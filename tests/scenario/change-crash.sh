# A change and its audit record land together or not at all.  Each program
# that changes state is killed (BRAIN_FAULT) right after its audit record
# lands, or before it does; the next writer publishes or undoes the change
# so that the state and the audit trail agree, and brain-verify passes.
. "$TOP/tests/scenario/lib.sh"
set -u

records() { wc -l < state/audit.log; }
killed() { test "$1" = 137 && test -e state/journal; }

# crash_forward NAME BEFORE PROBE COMMAND...: COMMAND is killed after its
# record landed.  A replaced file is published only by the next writer
# (BEFORE is "hidden": PROBE fails until then); appended lines are written
# before the record (BEFORE is "shown").
crash_forward() {
	what=$1 before_probe=$2 probe=$3
	shift 3
	before=$(records)
	BRAIN_FAULT=change-audited "$@" > /dev/null 2>&1
	check "$what: killed after its record, journal left" killed $?
	check "$what: its record is in the trail" test "$(records)" = $((before + 1))
	if sh -c "$probe"; then seen=shown; else seen=hidden; fi
	check "$what: the change is $before_probe before the next writer" \
		test "$seen" = "$before_probe"
	brain-verify > out
	check "$what: brain-verify warns of the interrupted change" \
		grep -q '"check":"journal","status":"WARN"' out
	brain-audit log probe NEXT SUCCESS > /dev/null 2> err
	check "$what: the next writer publishes it" grep -q 'now published' err
	check "$what: the change is visible" sh -c "$probe"
	check "$what: the journal is gone" test ! -e state/journal
	brain-verify > out
	check "$what: brain-verify passes" test $? = 0
}

brain-promote register Closer > /dev/null
crash_forward "promote evaluate" hidden \
	"brain-promote status Closer | grep -q '\"status\":\"testing\"'" \
	brain-promote evaluate Closer 0.9
crash_forward "ab register" hidden \
	"brain-ab report | grep -q '\"variant_name\":\"Opener\"'" \
	brain-ab register --kind=script Opener Closer
crash_forward "ab track" hidden \
	"brain-ab report | grep -q '\"trials\":50,'" \
	brain-ab track Opener --trials=50 --conversions=10
crash_forward "model create" hidden \
	"brain-model show lead-scorer | grep -q 'lead-scorer@1'" \
	brain-model create "Lead Scorer" --accuracy=0.8
crash_forward "config set" hidden \
	"brain config get lock.wait_seconds | grep -q 7" \
	brain config set lock.wait_seconds 7
crash_forward "eval record" shown \
	"grep -q '\"score\":0.75' state/eval/outcomes.jsonl" \
	brain-eval record 0.75
crash_forward "score record" shown \
	"brain-score history clone_a | grep -q readiness_score" \
	brain-score clone_a 0.9 0.9 0.9 0.9
crash_forward "ingest sources allow" hidden \
	"brain-ingest sources | grep -q '\"name\":\"CRM\"'" \
	brain-ingest sources allow CRM --uses=training --reason=test
crash_forward "ingest batch" shown \
	"brain-ingest show | grep -q L1" \
	sh -c 'echo "{\"id\":\"L1\",\"name\":\"Jo\"}" | brain-ingest --source=CRM'
crash_forward "packet build" hidden \
	"ls state/packets | grep -q json" \
	sh -c 'echo "{\"name\":\"Jo\",\"value\":1000}" | brain-packet build'
brain-ab register --experiment=trial --kind=channel Email SMS > /dev/null
crash_forward "ab reset" hidden \
	"test ! -e state/ab/trial && ! ls -a state/ab | grep -q trash" \
	brain-ab reset --experiment=trial --reason=test

# Killed before the record lands: the change is undone, as if never made.
before=$(records)
outcomes=$(wc -l < state/eval/outcomes.jsonl)
BRAIN_FAULT=change-appended brain-eval record 0.11 > /dev/null 2>&1
check "eval record killed before its record: journal left" killed $?
check "  its outcome is in the log but not in the trail" grep -q '0.11' state/eval/outcomes.jsonl
brain-verify --repair > out
check "  brain-verify --repair undoes it" \
	grep -q '"check":"journal","status":"PASS","detail":"an interrupted change was undone' out
check "  the outcome is gone" test "$(wc -l < state/eval/outcomes.jsonl)" = "$outcomes"
check "  no record was added but the repair's" test "$(records)" = $((before + 1))
brain-verify > out
check "  brain-verify passes" test $? = 0

before=$(records)
BRAIN_FAULT=change-journaled brain-promote set Closer retired --reason=test > /dev/null 2>&1
check "promote set killed after the journal: journal left" killed $?
brain-promote evaluate Closer 0.9 > /dev/null 2> err
check "  the next writer undoes it" grep -q 'undone' err
check "  the status never changed to retired" sh -c \
	"! brain-promote history Closer | grep -q '\"new_status\":\"retired\"'"
check "  only the next writer's record was added" test "$(records)" = $((before + 1))
brain-verify > out
check "  brain-verify passes" test $? = 0
