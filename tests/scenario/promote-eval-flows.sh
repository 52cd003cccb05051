# brain-promote and brain-eval: the seed's flows, the pipeline from
# brain-ab, and every transition and outcome in the audit trail.
. "$TOP/tests/scenario/lib.sh"
set -u

brain-promote register Closer --script-version=1.0 > /dev/null
for w in 0.85 0.87 0.89 0.88; do brain-promote evaluate Closer "$w"; done > weeks
check "weekly 0.85 0.87 0.89 0.88: PROMOTE PROMOTE HOLD HOLD" \
	test "$(sed 's/.*"action":"\([A-Z]*\)".*/\1/' weeks | tr '\n' ' ')" = "PROMOTE PROMOTE HOLD HOLD "
check "statuses testing active active active" \
	test "$(sed 's/.*"new_status":"\([a-z]*\)".*/\1/' weeks | tr '\n' ' ')" = "testing active active active "
brain-promote set Closer retired > /dev/null 2>&1
check "a manual set without a reason is refused (exit 2)" test $? = 2
brain-promote set Closer testing --reason="coach review" > /dev/null
brain-promote status closer@1.0 > status
check "a manual set with a reason is applied" grep -q '"status":"testing"' status
check "history shows every transition" test "$(brain-promote history Closer | wc -l)" = 6
check "every transition is an audit record" \
	test "$(brain-audit show closer@1.0 | grep -c '"action":"promote\.')" = 6

brain-ab register --kind=script Closer Opener > /dev/null
brain-ab track Closer --trials=200 --conversions=180 > /dev/null
brain-ab track Opener --trials=200 --conversions=60 > /dev/null
brain-ab report --kind=script | brain-promote evaluate - --register > piped
check "brain-ab report pipes into brain-promote evaluate -" test "$(wc -l < piped)" = 2
check "the 0.9 script is promoted" grep -q '"script_id":"closer@1.0".*"action":"PROMOTE"' piped
check "the 0.3 script hits the floor" grep -q '"script_id":"opener@1".*"rule":"floor"' piped

brain-eval record 0.85 --label="A/B winner" > /dev/null
brain-eval record 0.92 --label="Q4 performance" > /dev/null
brain-eval trend > trend
check "0.85 then 0.92 is improving" grep -q '"trend":"improving","improvement_rate":0.0823529' trend
check "two points are not significant" grep -q '"significant":false' trend
for x in 0.11 0.1 0.12 0.09 0.11 0.1 0.12 0.11 0.1 0.11 0.07 0.06 0.07 0.05 0.06 0.07 0.06; do
	printf '{"metric":"clone:alpha","score":%s}\n' "$x"
done | brain-eval record - > /dev/null
brain-eval watch --metric=clone:alpha > watch
check "a drop raises the alarm: watch exits 1" test $? = 1
check "Page-Hinkley (scaled to the series) fired at point 13" grep -q '"detector":"page-hinkley","n":17,"regression_detected":true,"change_index":13' watch
brain-eval watch --metric=outcome > /dev/null
check "no drop, no alarm: exit 0" test $? = 0
check "every recorded outcome is an audit record" \
	test "$(brain-audit show --action=eval.record | wc -l)" = 19
printf '{"metric":"outcome","score":"high"}\n' | brain-eval record - 2> err
check "a score of the wrong type is exit 3" test $? = 3
check "with file, line and field" grep -q "brain-eval: stdin:1: field 'score' must be a finite number" err
