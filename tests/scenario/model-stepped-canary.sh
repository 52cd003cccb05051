# brain-model: a stepped canary (10, 25, 50, 100 %) that advances twice on
# good outcomes, holds on too few samples and is aborted and rolled back
# on a failing step; routing keeps a unit on the canary as its weight
# grows; a dry run writes nothing; the audit trail verifies, history
# shows each step, and the recorded evidence, analysed again from the
# start, gives the same decisions.  Then a second canary is promoted.
. "$TOP/tests/scenario/lib.sh"
set -u

# outcomes SERVING_SUCCESSES SERVING_TRIALS CANARY_SUCCESSES CANARY_TRIALS
outcomes() {
	printf '{"version":"lead-scorer@1","metric":"conversion","successes":%s,"trials":%s}\n' "$1" "$2"
	printf '{"version":"lead-scorer@2","metric":"conversion","successes":%s,"trials":%s}\n' "$3" "$4"
}

# route_all: the role of each of 2000 units, one per line.
route_all() {
	i=0
	while [ $i -lt 2000 ]; do
		echo "lead-$i"
		i=$((i + 1))
	done > units
	brain-model route lead-scorer - < units | sed 's/.*"role":"\([a-z]*\)".*/\1/'
}

brain-model create "Lead Scorer" --accuracy=0.80 > /dev/null
brain config set model.analysis_metric conversion > /dev/null
brain config set model.analysis_min_samples 200 > /dev/null
brain-model update lead-scorer --accuracy=0.84 --strategy=canary --steps=10,25,50,100 > out
check "the stepped canary starts at its first step" \
	grep -q '"action":"CANARY".*"canary_weight":0.1,"step":1,"steps":\[10,25,50,100\]' out
route_all > at10
n10=$(grep -c canary at10)
check "about 10 % of units are routed to the canary ($n10 of 2000)" \
	test "$n10" -gt 150 -a "$n10" -lt 250

outcomes 100 1000 108 1000 > good1
brain-model analyze lead-scorer good1 > out
check "good outcomes advance the canary to 25 %" test $? = 0
check "and say so with the evidence" \
	grep -q '"action":"ADVANCED".*"next_canary_weight":0.25.*"result":"pass"' out
route_all > at25
n25=$(grep -c canary at25)
check "about 25 % of units are routed to the canary now ($n25)" \
	test "$n25" -gt 430 -a "$n25" -lt 570
check "every unit on the canary at 10 % is still on it at 25 %" \
	sh -c 'paste -d" " at10 at25 | grep -c "^canary serving" | grep -qx 0'

outcomes 210 2000 230 2000 > good2
brain-model analyze lead-scorer good2 > out
check "good outcomes advance it again, to 50 %" test $? = 0
check "the second advance is from step 2 to step 3" \
	grep -q '"action":"ADVANCED".*"step":2,.*"next_step":3,"next_canary_weight":0.5' out

outcomes 300 3000 40 150 > few
brain-model analyze lead-scorer few > out
check "too few samples of the canary hold it (exit 1)" test $? = 1
check "the hold says why" grep -q '"action":"HELD".*"why":"too few samples"' out
check "and the canary stays at 50 %" \
	sh -c 'brain-model show lead-scorer | grep -q "\"canary_weight\":0.5,\"steps\":\[10,25,50,100\],\"step\":3"'

outcomes 600 3000 300 3000 > failing
cp state/models/lead-scorer/model.json before.json
cp state/audit.log before.log
brain-model analyze lead-scorer failing --dry-run > dry
check "a dry run says the failing step would abort" grep -q '"action":"ABORTED"' dry
check "and writes nothing: model.json is byte for byte the same" \
	cmp -s before.json state/models/lead-scorer/model.json
check "and so is the audit trail" cmp -s before.log state/audit.log

brain-model analyze lead-scorer failing > out
check "the failing step aborts the canary (exit 1)" test $? = 1
check "the abort is the line the dry run printed" cmp -s dry out
check "the serving version is the old one again" \
	sh -c 'brain-model show lead-scorer | grep -q "\"serving\":\"lead-scorer@1\",\"canary\":\"\",\"canary_weight\":0,"'
check "the canary is marked aborted" \
	sh -c 'brain-model show lead-scorer --format=text | grep -q "^lead-scorer@2  aborted"'
route_all > after
check "every unit is routed to the serving version" \
	test "$(grep -c serving after)" = 2000

brain-audit verify > /dev/null
check "brain-audit verify passes over the new records" test $? = 0
brain-verify > verify.out
check "brain-verify passes" test $? = 0
brain-model history lead-scorer | grep '"step":' |
	sed 's/.*"action":"\([A-Z]*\)".*"canary_weight":\([0-9.]*\),"step":\([0-9]*\).*/\1 \3 \2/' > steps
printf '%s\n' 'CANARY 1 0.1' 'ADVANCED 1 0.1' 'ADVANCED 2 0.25' 'HELD 3 0.5' 'ABORTED 3 0.5' > want
check "history shows each step: started, advanced twice, held, aborted" cmp -s steps want
check "each analysis is an audit record with its evidence" \
	test "$(brain-audit show lead-scorer --action=model.analyze | grep -c '"serving":{"version_id":"lead-scorer@1","successes":')" = 4

# Replay: the counts recorded in each analysis, given again to a new state
# built the same way, give the same decisions.
brain-audit show lead-scorer --action=model.analyze > records
mkdir replay
(
	BRAIN_STATE_DIR=$PWD/replay/state
	export BRAIN_STATE_DIR
	brain-model create "Lead Scorer" --accuracy=0.80 > /dev/null
	brain config set model.analysis_metric conversion > /dev/null
	brain config set model.analysis_min_samples 200 > /dev/null
	brain-model update lead-scorer --accuracy=0.84 --strategy=canary --steps=10,25,50,100 > /dev/null
	while read -r rec; do
		s=$(echo "$rec" | sed 's/.*"serving":{[^}]*"successes":\([0-9]*\),"trials":\([0-9]*\).*/\1 \2/')
		c=$(echo "$rec" | sed 's/.*"canary":{[^}]*"successes":\([0-9]*\),"trials":\([0-9]*\).*/\1 \2/')
		# shellcheck disable=SC2086
		outcomes $s $c | brain-model analyze lead-scorer | sed 's/.*"details":{//; s/.*"action":"\([A-Z]*\)".*/\1/'
	done < records
) > replayed
sed 's/.*"details":{"model_id":"lead-scorer","action":"\([A-Z]*\)".*/\1/' records > recorded
check "the recorded evidence (4 analyses) replays to the same decisions" \
	sh -c 'test "$(cat recorded | tr "\n" " ")" = "ADVANCED ADVANCED HELD ABORTED " && cmp -s recorded replayed'

# A second canary, stepped 50 then 100: a pass at 50 % promotes it.
brain-model update lead-scorer --accuracy=0.86 --strategy=canary --steps=50,100 > /dev/null
printf '%s\n' '{"version":"lead-scorer@1","metric":"conversion","successes":300,"trials":3000}' \
	'{"version":"lead-scorer@3","metric":"conversion","successes":330,"trials":3000}' > good3
brain-model analyze lead-scorer good3 > out
check "a pass at the last step below 100 % promotes the canary" grep -q '"action":"PROMOTED"' out
check "it serves" sh -c 'brain-model show lead-scorer | grep -q "\"serving\":\"lead-scorer@3\",\"canary\":\"\""'
brain-model rollback lead-scorer > out
check "and rollback goes back to the version before" grep -q '"to":"lead-scorer@1"' out
brain-audit verify > /dev/null
check "the trail still verifies" test $? = 0
