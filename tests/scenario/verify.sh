# brain-verify: a healthy state passes; each kind of damage fails the
# check that names it; --repair fixes the torn tail and the rest is still
# reported; the self-test passes and never touches the real state.
. "$TOP/tests/scenario/lib.sh"
set -u

# A healthy state touching every block.
brain-ab register --kind=script Closer Opener > /dev/null
brain-ab track Closer --trials=500 --conversions=150 > /dev/null
brain-ab track Opener --trials=500 --conversions=50 > /dev/null
brain-promote register Closer > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
echo '{"name":"Jo","value":1000}' | brain-packet build > /dev/null
printf 'model bytes\n' > weights.bin
brain-model create "Lead Scorer" --accuracy=0.85 --artifact=weights.bin > /dev/null
brain-eval record 0.9 > /dev/null
brain-score clone_a 0.9 0.9 0.9 0.9 > /dev/null
cp -a state healthy

brain-verify > out
check "a healthy state: PASS, exit 0" test $? = 0
check "overall PASS with no failure" grep -q '"overall_status":"PASS","passed":[0-9]*,"failed":0' out

fresh() { rm -rf state; cp -a healthy state; }
failed_check() { grep -q "\"check\":\"$1\",\"status\":\"FAIL\"" out; }

fresh
sed -i '3s/"actor":"tester"/"actor":"mallory"/' state/audit.log
brain-verify > out
check "an edited audit record: exit 1" test $? = 1
check "names the audit chain" failed_check audit_chain

fresh
obj=$(ls state/models/objects)
chmod u+w "state/models/objects/$obj"
printf 'X' >> "state/models/objects/$obj"
brain-verify > out
check "a corrupted artifact: exit 1" test $? = 1
check "names the artifacts check" failed_check artifacts

fresh
sed -i 's/"name":\t"Closer"/"name":\t"Renamed"/' state/scripts/registry.json
brain-ab reset --experiment=default > /dev/null
brain-verify > out
check "a deleted script that a packet refers to: exit 1" test $? = 1
check "names the packets check" failed_check packets

fresh
printf '{"ts":"2026-11-28T12:00:00Z","metric":"outc' >> state/eval/outcomes.jsonl
printf '{"mac":"00' >> state/audit.log
echo '{"lock":{"wait_seconds":30},"bogus":1}' > state/config.json
brain-verify > out
check "a torn log tail: exit 1" test $? = 1
check "is reported as torn" failed_check torn_tail
check "an unknown config key fails the config check" failed_check config
brain-verify --repair --reason="after the power cut" > out
check "--repair fixes the torn tails" grep -q '"check":"torn_tail","status":"PASS","detail":"audit.log: repaired' out
check "the torn bytes are kept in rejects/" sh -c 'cat state/rejects/*.jsonl | grep -q "\"reason\":\"torn tail from a crash\""'
check "what it cannot fix is still reported" failed_check config
check "the repair is audited" sh -c 'brain-audit show state --action=verify.repair | grep -q "after the power cut"'
check "and the chain is intact after the repair" sh -c 'brain-audit verify | grep -q "\"ok\":true"'

fresh
touch state/.config.json.tmp.abc123
brain-verify > out
check "a leftover temporary is a warning" grep -q '"check":"temporaries","status":"WARN"' out
brain-verify --repair > out
check "which --repair removes" test ! -e state/.config.json.tmp.abc123

rm -rf state
before=$(ls -a)
brain-verify --self-test > out
check "the self-test passes without any state" grep -q '"overall_status":"PASS"' out
check "with a check per block step" test "$(grep -c '"check":"self_test_' out)" -ge 15
check "and leaves no state behind" test ! -e state
