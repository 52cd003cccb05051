# brain-model: the seed's flows, a worse update rejected, compare-and-set
# between two operators, rollback walking back, a corrupted artifact.
. "$TOP/tests/scenario/lib.sh"
set -u

printf 'weights of version 1\n' > v1.bin
brain-model create "Lead Scorer" --accuracy=0.85 --artifact=v1.bin > out
check "create serves version 1" grep -q '"version_id":"lead-scorer@1","serving":"lead-scorer@1"' out
brain-model update "Lead Scorer" --accuracy=0.88 > out
check "an incremental update to 0.88 is UPDATED" grep -q '"action":"UPDATED".*"serving_version_id":"lead-scorer@2"' out
brain-model rollback "Lead Scorer" > out
check "rollback goes back to version 1" grep -q '"action":"ROLLED_BACK","from":"lead-scorer@2","to":"lead-scorer@1"' out

brain-model update lead-scorer --accuracy=0.80 > out
check "a worse incremental update is REJECTED" grep -q '"action":"REJECTED"' out
check "and the serving version is unchanged" grep -q '"serving_version_id":"lead-scorer@1"' out

brain-model update lead-scorer --accuracy=0.87 --strategy=shadow > out
check "shadow 0.87 is SHADOWED and does not serve" grep -q '"action":"SHADOWED".*"serving_version_id":"lead-scorer@1"' out
brain-model update lead-scorer@4 --accuracy=0.87 > out
check "updating the shadow version id promotes it" grep -q '"action":"UPDATED".*"serving_version_id":"lead-scorer@4"' out

brain-model update lead-scorer --accuracy=0.90 > /dev/null
brain-model update lead-scorer --accuracy=0.91 > /dev/null
brain-model rollback lead-scorer | grep -q '"to":"lead-scorer@5"' &&
brain-model rollback lead-scorer | grep -q '"to":"lead-scorer@4"' &&
brain-model rollback lead-scorer | grep -q '"to":"lead-scorer@1"'
check "rollback after rollback walks further back" test $? = 0
brain-model rollback lead-scorer > out
check "with no earlier version rollback exits 1" test $? = 1
check "and says why" grep -q 'no earlier serving version' out
brain-model rollback lead-scorer --to=lead-scorer@1 > out
check "rolling back to the serving version is a no-op that says so" grep -q '"action":"NO_CHANGE"' out
check "history shows every step" test "$(brain-model history lead-scorer | grep -c '"event":"rollback"')" = 4

# Two operators promote at once, both having seen lead-scorer@1 serving.
brain-model update lead-scorer --accuracy=0.95 --strategy=shadow > /dev/null
brain-model update lead-scorer --accuracy=0.96 --strategy=shadow > /dev/null
brain-model update lead-scorer@7 --accuracy=0.95 --expect-serving=lead-scorer@1 > a.out &
brain-model update lead-scorer@8 --accuracy=0.96 --expect-serving=lead-scorer@1 > b.out &
wait
check "exactly one compare-and-set promotion wins" test "$(cat a.out b.out | grep -c '"action":"UPDATED"')" = 1
check "the other is a CONFLICT" test "$(cat a.out b.out | grep -c '"action":"CONFLICT"')" = 1

brain-model update lead-scorer --accuracy=0.97 --strategy=canary --canary-weight=0.2 > out
check "a canary serves a share" grep -q '"action":"CANARY"' out
brain-model abort lead-scorer > out
check "abort ends the canary, serving stays" grep -q '"action":"ABORTED"' out

brain-model artifact lead-scorer@1 > got
check "the artifact comes back byte for byte" cmp -s got v1.bin
obj=$(ls state/models/objects/)
chmod u+w "state/models/objects/$obj"
printf 'tampered' >> "state/models/objects/$obj"
brain-model artifact lead-scorer@1 > got 2> err
check "a corrupted artifact is exit 4" test $? = 4
check "and nothing of it is handed out" test ! -s got
brain-model update lead-scorer --accuracy=0.9 --strategy=full > /dev/null 2> err
check "a full update needs a reason" test $? = 2
