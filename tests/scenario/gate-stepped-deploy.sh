# brain-gate: a clone's stepped deployment (10, 25, 50, 100 %) that
# advances twice on good outcomes, holds on too few samples and is
# aborted and rolled back on a failing step; a blocked clone is not
# deployed; routing keeps a unit on the clone as its weight grows; a dry
# run writes nothing; outcomes from before a step began do not count for
# it; the audit trail holds each transition with its evidence and
# verifies, brain-verify passes (and finds a hand-edited deployment
# file), and the gate decisions (the one a
# deployment was allowed by, and a plain one) replay.  Then a second
# deployment is promoted and the clone serves.
. "$TOP/tests/scenario/lib.sh"
set -u
# The clock, fixed: every step begins at noon, when the outcomes are stamped.
BRAIN_NOW=2026-11-28T12:00:00Z
export BRAIN_NOW

# outcomes BASE_SUCCESSES BASE_TRIALS CLONE_SUCCESSES CLONE_TRIALS [TS]
outcomes() {
	ts=${5:+,\"ts\":\"$5\"}
	printf '{"version":"agent-v1","metric":"booked","successes":%s,"trials":%s%s}\n' "$1" "$2" "$ts"
	printf '{"version":"agent-v2","metric":"booked","successes":%s,"trials":%s%s}\n' "$3" "$4" "$ts"
}

# route_all: the role of each of 2000 units, one per line.
route_all() {
	i=0
	while [ $i -lt 2000 ]; do
		echo "lead-$i"
		i=$((i + 1))
	done > units
	brain-gate route agent-v2 - < units | sed 's/.*"role":"\([a-z]*\)".*/\1/'
}

# deployment_field NAME: the field of agent-v2's deployment.json.
deployment_field() {
	tr -d '\n\t' < state/clones/agent-v2/deployment.json |
		sed "s/.*\"$1\":\([^,}]*\).*/\1/"
}

brain config set model.analysis_metric booked > /dev/null
brain config set model.analysis_min_samples 200 > /dev/null
brain-score agent-bad 0.5 0.5 0.5 0.5 > /dev/null
brain-gate deploy agent-bad --steps=10,25,50,100 --baseline=agent-v1 --no-regression 2> err
check "a clone its gates BLOCK is not deployed (exit 1)" test $? = 1
check "and the refusal names the failed gates" grep -q "blocked by its gates (failed: readiness" err
check "and nothing is written for it" test ! -e state/clones/agent-bad/deployment.json

brain-score agent-v2 0.92 0.90 0.89 0.91 > /dev/null
brain-gate agent-v2 --no-regression > /dev/null
check "a plain gate decision of agent-v2 is PROMOTE" test $? = 0
decision_seq=$(brain-audit show agent-v2 --action=gate.decision | sed 's/^{"seq":\([0-9]*\).*/\1/')
brain-gate deploy agent-v2 --steps=10,25,50,100 --baseline=agent-v1 --no-regression \
	--reason="v2 passed review" > out
check "the deployment starts at its first step" \
	grep -q '"action":"DEPLOYING","baseline":"agent-v1","steps":\[10,25,50,100\],"step":1,"weight":0.1' out
route_all > at10
n10=$(grep -c canary at10)
check "about 10 % of units are routed to the clone ($n10 of 2000)" \
	test "$n10" -gt 150 -a "$n10" -lt 250

outcomes 100 1000 108 1000 > good1
brain-gate analyze agent-v2 good1 > out
check "good outcomes advance the deployment to 25 %" test $? = 0
check "and say so with the evidence" \
	grep -q '"action":"ADVANCED".*"next_canary_weight":0.25.*"result":"pass"' out
route_all > at25
n25=$(grep -c canary at25)
check "about 25 % of units are routed to the clone now ($n25)" \
	test "$n25" -gt 430 -a "$n25" -lt 570
check "every unit on the clone at 10 % is still on it at 25 %" \
	sh -c 'paste -d" " at10 at25 | grep -c "^canary baseline" | grep -qx 0'

# The step began now (BRAIN_NOW): good1's lines carry no ts and would
# count again, but lines stamped before the step are left out.
outcomes 100 1000 108 1000 2026-11-27T00:00:00Z > stale
brain-gate analyze agent-v2 stale --dry-run > out
check "outcomes stamped before the step began do not count for it" \
	grep -q '"action":"HELD".*"lines_counted":0,"lines_before_since":2' out
brain-gate analyze agent-v2 stale --dry-run --since=2026-11-26T00:00:00Z > out
check "and --since moves the window back" grep -q '"action":"ADVANCED"' out

outcomes 210 2000 230 2000 2026-11-28T13:00:00Z > good2
brain-gate analyze agent-v2 good2 > out
check "good outcomes advance it again, to 50 %" test $? = 0
check "the second advance is from step 2 to step 3" \
	grep -q '"action":"ADVANCED".*"step":2,.*"next_step":3,"next_canary_weight":0.5' out

outcomes 300 3000 40 150 > few
brain-gate analyze agent-v2 few > out
check "too few samples of the clone hold it (exit 1)" test $? = 1
check "the hold says why" grep -q '"action":"HELD".*"why":"too few samples"' out
check "and the deployment stays at 50 %" \
	test "$(deployment_field step) $(deployment_field weight)" = "3 0.5"

outcomes 600 3000 300 3000 > failing
cp state/clones/agent-v2/deployment.json before.json
cp state/audit.log before.log
brain-gate analyze agent-v2 failing --dry-run > dry
check "a dry run says the failing step would abort" grep -q '"action":"ABORTED"' dry
check "and writes nothing: deployment.json is byte for byte the same" \
	cmp -s before.json state/clones/agent-v2/deployment.json
check "and so is the audit trail" cmp -s before.log state/audit.log

brain-gate analyze agent-v2 failing > out
check "the failing step aborts the deployment (exit 1)" test $? = 1
check "the abort is the line the dry run printed" cmp -s dry out
check "the deployment is aborted with no traffic" \
	test "$(deployment_field state) $(deployment_field weight)" = '"aborted" 0'
route_all > after
check "every unit is routed back to the baseline" test "$(grep -c baseline after)" = 2000

brain-audit verify > /dev/null
check "brain-audit verify passes over the new records" test $? = 0
brain-verify > verify.out
check "brain-verify passes" test $? = 0
check "and checks the deployment" \
	grep -q '"check":"deployments","status":"PASS","detail":"1 clone deployment(s) load, 0 running"' verify.out
cp state/clones/agent-v2/deployment.json kept.json
sed 's/"aborted"/"live"/' kept.json > state/clones/agent-v2/deployment.json
brain-verify > verify.out
check "a deployment file edited by hand fails brain-verify" test $? = 1
check "which says what is wrong with it" \
	grep -q '"check":"deployments","status":"FAIL","detail":"clones/agent-v2/deployment.json: field .state.' verify.out
check "and that the trail did not record it" \
	grep -q '"check":"bindings","status":"FAIL","detail":"clones/agent-v2/deployment.json is not what' verify.out
cp kept.json state/clones/agent-v2/deployment.json
brain-audit show agent-v2 --action=gate.analyze |
	sed 's/.*"status":"\([A-Z]*\)".*"step":\([0-9]*\),.*/\1 \2/' > steps
printf '%s\n' 'ADVANCED 1' 'ADVANCED 2' 'HELD 3' 'ABORTED 3' > want
check "the trail shows each transition: advanced twice, held, aborted" cmp -s steps want
check "each with its evidence" \
	test "$(brain-audit show agent-v2 --action=gate.analyze | grep -c '"serving":{"version_id":"agent-v1","successes":')" = 4
deploy_seq=$(brain-audit show agent-v2 --action=gate.deploy | sed 's/^{"seq":\([0-9]*\).*/\1/')
brain-gate replay "$deploy_seq" > out
check "the gate decision the deployment was allowed by replays and matches" \
	grep -q '"replayed_decision":"PROMOTE".*"match":true' out
brain-gate replay "$decision_seq" > out
check "and so does the plain gate decision" grep -q '"match":true' out

# A second deployment, stepped 50 then 100: a pass at 50 % promotes it.
brain-gate deploy agent-v2 --steps=50,100 --baseline=agent-v1 --no-regression > /dev/null
check "an aborted clone may be deployed again" test $? = 0
outcomes 300 3000 330 3000 > good3
brain-gate analyze agent-v2 good3 > out
check "a pass at the last step below 100 % promotes the clone" grep -q '"action":"PROMOTED"' out
check "it serves all traffic" \
	test "$(deployment_field state) $(deployment_field weight)" = '"serving" 1'
check "and the next deployment is judged against it" \
	sh -c 'brain-score agent-v3 0.92 0.90 0.89 0.91 > /dev/null &&
	       brain-gate deploy agent-v3 --steps=50,100 --no-regression --dry-run |
	       grep -q "\"baseline\":\"agent-v2\""'
brain-audit verify > /dev/null
check "the trail still verifies" test $? = 0
