# kill -9 at random moments against writers that change state (an outcome
# batch, a script evaluation, an A/B tally): after every kill the state and
# the audit trail agree once the next writer has run, which brain-verify
# checks (every outcome is in the trail and no more; every script status
# rebuilds from the trail).
. "$TOP/tests/scenario/lib.sh"
set -u

i=1
while [ "$i" -le 200 ]; do
	printf '{"metric":"outcome","score":0.%02d}\n' $((i % 100))
	i=$((i + 1))
done > outcomes
brain-promote register Closer > /dev/null
brain-ab register --kind=script A B > /dev/null

bad=0
round=1
while [ "$round" -le 100 ]; do
	brain-eval record - < outcomes > /dev/null 2>&1 &
	p1=$!
	brain-promote evaluate Closer "0.$(( 60 + round % 35 ))" > /dev/null 2>&1 &
	p2=$!
	brain-ab track A --trials=10 --conversions=$((round % 10)) > /dev/null 2>&1 &
	p3=$!
	sleep "0.0$(( $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
	kill -9 "$p1" "$p2" "$p3" 2> /dev/null
	wait
	brain-verify --repair --reason="kill test" > report 2> /dev/null
	if ! grep -q '"overall_status":"PASS"' report; then
		bad=$((bad + 1))
		echo "round $round:"
		grep '"FAIL"' report
	fi
	round=$((round + 1))
done
check "after each of 100 kills of three writers, the state agrees with the audit trail" \
	test "$bad" = 0
n=$(grep -c . state/eval/outcomes.jsonl)
check "some outcome batches landed whole (200 outcomes each)" test $((n % 200)) = 0 -a "$n" -gt 0
