# Policy and artifacts bound to the audit trail: the attacks of an
# operator's machine with write access to the state but not to the trail.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

# The audited policy blocks a clone of accuracy 0.86 (min 0.9).
brain config set gate.min_accuracy 0.9 > /dev/null
brain-gate clone_a 0.9 0.86 false > out
check "the audited policy blocks accuracy 0.86" grep -q '"decision":"BLOCK","can_promote":false,"failed":\["accuracy"\]' out
brain-verify > report
check "a healthy state binds config.json" grep -q '"check":"bindings","status":"PASS","detail":"1 file(s)' report

# The thresholds lowered by hand, and the audit_intact gate switched off.
jq -c '.gate.min_accuracy = 0.8 | .gate.audit_intact = false' state/config.json > cfg
cat cfg > state/config.json
brain-gate clone_a 0.9 0.86 false > out
check "an edited config.json does not promote: BLOCK" grep -q '"decision":"BLOCK"' out
check "on the audit_intact gate, which the edit could not switch off" \
	grep -q '"failed":\["audit_intact"\]' out
check "naming config.json and the record" \
	grep -q '"gate":"audit_intact","passed":false,.*"reason":"a file the audit trail binds was changed outside brain","source":"brain-audit verify (.*); config.json is not what audit record 2 recorded' out
brain-verify > report
check "brain-verify fails the bindings check" test $? = 1
check "naming the file and the record" \
	grep -q '"check":"bindings","status":"FAIL","detail":"config.json is not what audit record 2 recorded' report
brain config set gate.min_accuracy 0.85 > /dev/null 2> err
check "brain config will not record a change on top of the edit: exit 4" test $? = 4
check "and says how to go on" grep -q "brain config adopt --reason=WHY" err
brain config adopt --reason="thresholds agreed with the sales lead" > out
check "adopting the edit records it" grep -q '"file":"config.json","sha256":"[0-9a-f]\{64\}","adopted":true' out
check "as config.adopt, with the reason" \
	sh -c 'brain-audit show --action=config.adopt | grep -q "\"reason\":\"thresholds agreed with the sales lead\""'
brain-verify > /dev/null
check "after which the state verifies" test $? = 0
brain-gate clone_a 0.9 0.86 false > out
check "and the adopted policy decides (audit_intact off as adopted)" grep -q '"decision":"PROMOTE"' out

# A model artifact swapped, renamed to its new SHA-256, and model.json
# edited to match: every artifact matches its name, but model.json is not
# the one the trail recorded.
echo "weights v1" > v1.bin
brain-model create "Lead Scorer" --accuracy=0.85 --artifact=v1.bin > /dev/null
brain-verify > /dev/null
check "the model is bound" test $? = 0
old=$(ls state/models/objects)
echo "weights from elsewhere" > evil.bin
new=$(sha256sum evil.bin | cut -d' ' -f1)
cp evil.bin "state/models/objects/$new"
chmod 600 "state/models/objects/$new"
rm "state/models/objects/$old"
sed "s/$old/$new/; s/\"artifact_size\":\t[0-9]*/\"artifact_size\":\t$(wc -c < evil.bin)/" \
	state/models/lead-scorer/model.json > m
cat m > state/models/lead-scorer/model.json
brain-verify > report
check "the artifacts check alone is fooled" grep -q '"check":"artifacts","status":"PASS"' report
check "the bindings check is not" \
	grep -q '"check":"bindings","status":"FAIL","detail":"models/lead-scorer/model.json is not what audit record [0-9]* recorded' report
check "brain-verify fails" sh -c 'brain-verify > /dev/null; test $? = 1'
