# brain-score compare and brain-gate: a candidate whose average pass rate
# rises while two cases regress is refused by --fail-on-regression and by
# the gate reading the comparison; a policy's min_runs makes too few runs
# "no evidence"; decisions on a comparison replay as they were made.
. "$TOP/tests/scenario/lib.sh"
set -u

base=$TOP/tests/data/compare-baseline.jsonl
cand=$TOP/tests/data/compare-candidate.jsonl

brain-score compare --baseline="$base" --candidate="$cand" > cmp.jsonl
check "compare reports without --fail-on-regression: exit 0" test $? = 0
check "the average rises: 0.7 to 0.86" grep -q '"baseline_pass_rate":0.7,.*"candidate_pass_rate":0.86,' cmp.jsonl
check "and the two regressed cases are named" grep -q '"regressed":\["c01","c02"\]' cmp.jsonl
brain-score compare --baseline="$base" --candidate="$cand" --fail-on-regression > /dev/null
check "--fail-on-regression: exit 1" test $? = 1
brain-score compare --baseline="$cand" --candidate="$cand" --fail-on-regression --min-case-pass=0.8 > out
check "the candidate against itself, under --min-case-pass: exit 1" test $? = 1
check "names c01 and c02 under the minimum" grep -q '"under_min_case_pass":\["c01","c02"\]' out

brain-score clone_v2 0.92 0.90 0.89 0.91 > /dev/null
brain-gate clone_v2 --comparison=cmp.jsonl > out
check "the gate on the comparison: BLOCK, exit 1" test $? = 1
check "on no_regression, naming the cases" grep -q '"gate":"no_regression","passed":false,.*regressed: c01, c02' out
seq=$(brain-audit show --action=gate.decision | tail -n 1 | sed 's/{"seq":\([0-9]*\),.*/\1/')
brain-gate replay "$seq" > out
check "the decision on a comparison replays the same" grep -q '"recorded_decision":"BLOCK","replayed_decision":"BLOCK",.*"match":true' out

brain-score compare --baseline="$base" --candidate="$cand" --case-margin=0.5 > wide.jsonl
echo '{"min_runs":200}' > policy.json
brain-gate clone_v2 --comparison=wide.jsonl --policy=policy.json > out
check "100 paired runs under min_runs 200: BLOCK" test $? = 1
check "no_regression says no evidence" grep -q '"gate":"no_regression","passed":false,.*"reason":"no evidence: the paired comparison has 100 paired runs' out
check "readiness from components says no evidence" grep -q '"gate":"readiness","passed":false,.*"reason":"no evidence: the score is not from runs' out
seq=$(brain-audit show --action=gate.decision | tail -n 1 | sed 's/{"seq":\([0-9]*\),.*/\1/')
brain-gate replay "$seq" > out
check "the min_runs decision replays the same" grep -q '"match":true' out
echo '{"min_runs":100}' > policy.json
brain-score clone_v2 --runs="$cand" > /dev/null
brain-gate clone_v2 --comparison=wide.jsonl --policy=policy.json > out
check "100 runs and 100 pairs meet min_runs 100" grep -q '"gate":"no_regression","passed":true' out
check "and the runs-based readiness has its runs (it fails on its components)" \
	sh -c '! grep -q "the policy asks" out && grep -q "\"reason\":\"no evidence for: confidence" out'
