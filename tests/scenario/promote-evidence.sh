# brain-promote fed by brain-ab: only script lines are scripts, and with
# the evidence requirement brain-ab's always-valid interval decides, not
# a raw rate of a few percent.
. "$TOP/tests/scenario/lib.sh"
set -u

# Three scripts and three channels in one experiment, from an event file.
brain-ab register --kind=script Opener Closer Follow-Up > /dev/null
brain-ab register --kind=channel sms email call > /dev/null
awk 'BEGIN { n = split("Opener Closer Follow-Up sms email call", v, " ")
	for (i = 1; i <= 600; i++) for (j = 1; j <= n; j++)
		printf "{\"variant\":\"%s\",\"converted\":%s}\n", v[j], i % 100 < 2 + j ? "true" : "false" }' \
	> events.jsonl
brain-ab track events.jsonl > /dev/null
brain-ab report > report
check "the report has a line per variant, channels with rates" \
	test "$(grep -c '"kind":"channel".*"rate"' report) $(wc -l < report)" = "3 6"
brain-promote evaluate - --register < report > piped 2> err
check "a mixed report pipes with exit 0" test $? = 0
check "only the three scripts are evaluated" test "$(wc -l < piped)" = 3
check "one warning per channel line" test "$(grep -c "skipped: kind 'channel' is not a script" err)" = 3
brain-promote status > status
check "status lists the scripts" test "$(grep -c '"name":"\(Opener\|Closer\|Follow-Up\)"' status)" = 3
check "and no channel" test "$(wc -l < status)" = 3

# The operator's case: two scripts near 2 %, raw thresholds set for 3 %
# conversion, and brain-ab cannot tell the two apart.
export BRAIN_STATE_DIR="$PWD/state2"
brain config set promote.promote_at 0.036 > /dev/null
brain config set promote.demote_below 0.025 > /dev/null
brain config set promote.floor 0.015 > /dev/null
brain-ab register --kind=script Warm Direct > /dev/null
brain-ab track Warm --trials=500 --conversions=11 > /dev/null
brain-ab track Direct --trials=500 --conversions=10 > /dev/null
brain-ab report --kind=script > report2
check "brain-ab cannot tell them apart" grep -q '"variant_name":"Direct".*"seq_p_value":1[,}]' report2
brain-promote evaluate - --register --dry-run < report2 > raw
check "on raw rates both would be retired" test "$(grep -c '"new_status":"retired"' raw)" = 2
brain-promote evaluate - --register --require-evidence < report2 > held
check "with the evidence requirement both are held" test "$(grep -c '"action":"HOLD"' held)" = 2
check "the variant's reason names the interval" \
	grep -q '"script_id":"direct@1".*"rule":"evidence","reason":"the always-valid interval of the lift against the control \[.*\] holds 0 (seq p 1)' held
check "the control's reason says it is the control" \
	grep -q '"script_id":"warm@1".*"rule":"no_evidence","reason":"the control of its experiment' held
check "neither is retired" test "$(brain-promote status | grep -c '"status":"draft"')" = 2

# A month later the difference is clear: Direct is demoted on the evidence.
brain-ab track Warm --trials=20000 --conversions=640 > /dev/null
brain-ab track Direct --trials=20000 --conversions=200 > /dev/null
brain config set promote.require_evidence true > /dev/null
brain-ab report --kind=script | brain-promote evaluate - > month
check "the setting works as the flag: Direct demoted on its interval" \
	grep -q '"script_id":"direct@1".*"action":"DEMOTE","rule":"demote","reason":"the always-valid interval of the lift against the control \[-.*, -.*\] is below 0' month
check "the control still holds" grep -q '"script_id":"warm@1".*"action":"HOLD"' month
