# brain-score and brain-gate: the seed's flows, runs-based scoring, the
# pipeline, fail-closed evidence, a tampered audit trail, waivers, replay;
# one readiness rule (brain-score's threshold and floor) in both.
. "$TOP/tests/scenario/lib.sh"
set -u

brain-score clone_alpha --accuracy=0.91 --confidence=0.88 --consistency=0.87 --robustness=0.90 > out
check "clone_alpha (0.91, 0.88, 0.87, 0.90) is ready: exit 0" test $? = 0
check "with readiness 0.89" grep -q '"readiness_score":0.89,"is_ready":true' out
brain-score clone_beta 0.99 0.99 0.99 0.60 > out
check "a component under the floor vetoes: exit 1" test $? = 1
check "and is named" grep -q '"failing":\["robustness"\]' out

brain-gate clone_alpha --readiness=0.85 --accuracy=0.91 --no-regression > out
check "gates with 0.85, 0.91, no regression: PROMOTE, exit 0" test $? = 0
check "five gate lines and a decision" test "$(wc -l < out)" = 6
check "every gate says where its evidence came from" test "$(grep -c '"source":' out)" = 5
brain-gate clone_alpha --readiness=0.85 --accuracy=0.91 --regression > out
check "a regression: BLOCK, exit 1" test $? = 1
check "the regression gate is named" grep -q '"decision":"BLOCK","can_promote":false,"failed":\["no_regression"\]' out
brain-gate clone_v2 0.89 0.92 false > out
check "positional as the seed: clone_v2 0.89 0.92 false promotes" grep -q '"decision":"PROMOTE"' out
brain-gate clone_gamma > out
check "no evidence at all fails closed" grep -q '"failed":\["readiness","accuracy","no_regression"\]' out

brain-score clone_v2 0.92 0.90 0.89 0.91 | brain-gate - --no-regression > out
check "brain-score | brain-gate - works as a pipeline" grep -q '"clone":"clone_v2","decision":"PROMOTE"' out
check "the piped score is the evidence" grep -q '"source":"stdin (brain-score)"' out

# Evidence from state: the stored score, and brain-eval's regression state.
for x in 0.9 0.91 0.9 0.92 0.91 0.9; do brain-eval record "$x" --metric=clone:clone_alpha; done > /dev/null
brain-gate clone_alpha > out
check "stored score and eval series promote" grep -q '"decision":"PROMOTE"' out
for x in 0.7 0.6 0.65 0.6 0.55; do brain-eval record "$x" --metric=clone:clone_alpha; done > /dev/null
brain-gate clone_alpha > out
check "an eval regression of clone:<id> blocks" grep -q '"failed":\["no_regression"\]' out

# Runs: accuracy, calibration, pass^k, robustness and compliance.
cat > runs.jsonl <<'RUNS'
{"case":"c1","run":1,"passed":true,"confidence":0.9}
{"case":"c1","run":2,"passed":true,"confidence":0.8}
{"case":"c2","run":1,"passed":true,"confidence":0.7}
{"case":"c2","run":2,"passed":false,"confidence":0.6}
{"case":"c3","run":1,"passed":false,"confidence":0.2}
{"case":"c3","run":2,"passed":false,"confidence":0.3,"compliance":{"ai_disclosure":true,"opt_out_honoured":false}}
{"case":"c1","run":3,"passed":true,"perturbed":true}
{"case":"c2","run":3,"passed":false,"perturbed":true}
RUNS
brain-score clone_runs --runs=runs.jsonl > out
check "runs-based components" grep -q '"components":{"accuracy":0.5,"confidence":0.71666666666666667,"consistency":0.33333333333333331,"robustness":0.5}' out
check "with counts and k" grep -q '"cases":3,"k":2' out
check "and the compliance failure" grep -q '"compliance_failures":\[{"case":"c3","run":2,"check":"opt_out_honoured"}\]' out
brain-gate clone_runs --readiness=0.95 --accuracy=0.95 --no-regression > out
check "a recorded compliance failure blocks" grep -q '"failed":\["readiness","no_compliance_failures"\]' out
check "and a hand-given readiness does not override brain-score's not ready" \
	grep -q '"gate":"readiness","passed":false,.*"reason":"below the floor 0.7: accuracy, consistency, robustness' out
check "scores are kept per clone" test "$(brain-score history clone_runs | wc -l)" = 1

brain-gate waive clone_runs no_compliance_failures --until=2030-01-01T00:00:00Z --reason="fixed in v3" > /dev/null
brain-gate clone_runs --readiness=0.95 --accuracy=0.95 --no-regression > out
check "a waiver passes its gate, and only its gate" grep -q '"decision":"BLOCK","can_promote":false,"failed":\["readiness"\]' out
brain-gate waive clone_runs readiness --until=2030-01-01T00:00:00Z --reason="pilot accepted" > /dev/null
brain-gate clone_runs --readiness=0.95 --accuracy=0.95 --no-regression > out
check "waiving readiness too lets the not-ready clone through" grep -q '"decision":"PROMOTE"' out
check "and both waivers show in the output" \
	test "$(grep -c '"waived":true,"waiver_until":"2030-01-01T00:00:00Z"' out)" = 2

seq=$(brain-audit show --action=gate.decision | tail -n 1 | sed 's/{"seq":\([0-9]*\),.*/\1/')
brain-gate replay "$seq" > out
check "an audited decision replays to the same decision" grep -q '"match":true' out
brain-gate policy > out
check "policy prints the policy in force and its hash" grep -q '"policy_hash":"[0-9a-f]\{64\}"' out
printf '{"score_threshold":0.9,"min_acuracy":0.9}\n' > bad-policy.json
brain-gate clone_alpha --policy=bad-policy.json > /dev/null 2> err
check "an unknown policy key is refused" grep -q "unknown policy key 'min_acuracy'" err

# One readiness rule end to end, on a fresh state: score, then gate.
export BRAIN_STATE_DIR="$PWD/fresh"
brain-score clone_gamma 0.95 0.95 0.95 0.60 > out
check "clone_gamma 0.95 0.95 0.95 0.60 is not ready (robustness under the floor)" \
	grep -q '"is_ready":false,.*"failing":\["robustness"\]' out
brain-gate clone_gamma --no-regression > out
check "so brain-gate blocks it: exit 1" test $? = 1
check "on the readiness gate alone" grep -q '"decision":"BLOCK","can_promote":false,"failed":\["readiness"\]' out
check "saying why: the floor" grep -q '"gate":"readiness","passed":false,.*"reason":"below the floor 0.7: robustness' out
brain-score clone_gamma 0.95 0.95 0.95 0.60 | brain-gate - --no-regression > out
check "the piped form blocks it too" grep -q '"failed":\["readiness"\]' out
brain-score clone_delta 0.86 0.80 0.80 0.80 | brain-gate - > out
check "clone_delta's 0.815 is under the one threshold 0.85: BLOCK" \
	grep -q '"gate":"readiness","passed":false,"actual":0.815,"required":0.85,.*"reason":"readiness 0.8150 is below the threshold 0.85"' out
brain-score clone_v2 0.92 0.90 0.89 0.91 > /dev/null
brain-gate clone_v2 --no-regression > out
check "a ready clone still promotes" grep -q '"decision":"PROMOTE"' out
brain-gate waive clone_gamma readiness --until=2030-01-01T00:00:00Z --reason="robustness fix in v3" > /dev/null
brain-gate clone_gamma --no-regression > out
check "a waived readiness gate lets the not-ready clone promote" grep -q '"decision":"PROMOTE"' out
check "with the waiver shown" grep -q '"gate":"readiness","passed":true,.*waived until 2030-01-01T00:00:00Z: robustness fix in v3",.*"waived":true' out
seq=$(brain-audit show --action=gate.decision | head -n 1 | sed 's/{"seq":\([0-9]*\),.*/\1/')
brain-gate replay "$seq" > out
check "the floor-vetoed decision replays to the same BLOCK" grep -q '"recorded_decision":"BLOCK","replayed_decision":"BLOCK",.*"match":true' out
brain config set gate.min_readiness 0.8 > /dev/null 2>&1
check "brain config no longer sets the retired gate.min_readiness: exit 3" test $? = 3
# An old config.json that still sets it, edited in place (its mode kept).
brain config set score.threshold 0.85 > /dev/null
jq -c '.gate.min_readiness = 0.8' "$BRAIN_STATE_DIR/config.json" > cfg
cat cfg > "$BRAIN_STATE_DIR/config.json"
brain-gate clone_v2 --no-regression > /dev/null 2> err
check "a config.json that still sets gate.min_readiness is refused: exit 4" test $? = 4
check "naming the way out" grep -q "brain config unset gate.min_readiness" err
export BRAIN_STATE_DIR="$PWD/state"

sed -i '3s/"actor":"tester"/"actor":"mallory"/' state/audit.log
brain-gate clone_v2 0.89 0.92 false > out
check "a tampered audit trail blocks every decision that needs audit_intact" \
	grep -q '"failed":\["audit_intact"\]' out
