# A month of the daily cron an operator runs: each night the day's call
# events (script, outcome, assignment fee, opt-outs, call centre) are
# tracked under the day's batch key and the winner is asked for, with the
# horizon `brain-ab plan` gave and an opt-out guardrail in config.json.
# At the end: the days kept add up to one pass over the month, every
# week's window equals the stateless analysis of that week's events, the
# history's last day is the report, a retried night changes nothing, and
# the breakdown by centre adds up to the whole.
. "$TOP/tests/scenario/lib.sh"
set -u

# Day d's events: 60 calls per script; Strong converts 13.5 %, Plain 9 %,
# Strong's opt-outs are as Plain's (1 in 60); the fee is 8,000 a deal.
day_events() {
	awk -v d="$1" 'BEGIN { srand(d); split("austin dallas", c, " ")
		for (i = 0; i < 60; i++) for (v = 0; v < 2; v++) {
			name = v ? "Strong" : "Plain"; p = v ? 0.135 : 0.09
			conv = rand() < p
			printf "{\"variant\":\"%s\",\"kind\":\"script\",\"converted\":%s,\"value\":%d,\"opt_out\":%s,\"id\":\"d%d-%s-%d\",\"time\":\"2026-11-%02dT%02d:00:00-06:00\",\"dims\":{\"call_centre\":\"%s\"}}\n",
				name, conv ? "true" : "false", conv ? 8000 : 0, i % 60 == 7 ? "true" : "false",
				d, name, i, d, 12 + i % 10, c[1 + i % 2] } }'
}

brain config set ab.guardrails opt_out:0.02 > /dev/null
brain-ab register --kind=script --control Plain > /dev/null
brain-ab register --kind=script Strong > /dev/null
horizon=$(brain-ab plan --baseline=0.09 --mde=0.33 | jq -r .horizon)
check "plan gives a horizon" test "$horizon" -gt 0
d=1
: > all.jsonl
while [ $d -le 30 ]; do
	day_events $d > day.jsonl
	cat day.jsonl >> all.jsonl
	BRAIN_NOW=$(printf '2026-11-%02dT23:30:00Z' $d) brain-ab track --batch=$(printf '2026-11-%02d' $d) day.jsonl > /dev/null ||
		fail "track of day $d"
	brain-ab winner --kind=script --horizon="$horizon" > "winner.$d" 2> /dev/null
	d=$((d + 1))
done
check "31 days kept: the last evening's late calls are December 1 in UTC" test "$(brain-ab history --kind=script | jq -r .day | sort -u | wc -l)" = 31
check "the days add up to one pass over the month" sh -c '
	brain-ab report | jq -c "del(.experiment)" > whole &&
	brain-ab analyze all.jsonl | jq -c "del(.experiment)" > once && cmp -s whole once'
for w in "01 07" "08 14" "15 21" "22 28" "29 30"; do
	set -- $w
	check "week 2026-11-$1..$2: merged days = the stateless analysis of its events" sh -c "
		brain-ab report --since=2026-11-$1 --until=2026-11-$2 | jq -c 'del(.experiment)' > merged &&
		brain-ab analyze --since=2026-11-$1 --until=2026-11-$2 all.jsonl 2> /dev/null |
			jq -c 'del(.experiment)' > once && cmp -s merged once"
done
check "a call at 9pm Central is filed under its UTC date" sh -c '
	test "$(brain-ab history --kind=script --until=2026-11-01 | jq -s "map(.day_trials) | add")" -lt 120'
check "the history's last day is the report" sh -c '
	brain-ab history --kind=script | tail -n 2 | jq -c "{variant_name, trials, conversions}" > last &&
	brain-ab report | jq -c "{variant_name, trials, conversions}" > rep && cmp -s last rep'
check "the breakdown by centre adds up to the whole" sh -c '
	test "$(brain-ab report --by=call_centre | jq -s "map(.trials) | add")" = \
	     "$(brain-ab report | jq -s "map(.trials) | add")"'
first=$(for d in $(seq 1 30); do jq -r 'select(.decision == "winner") | .decision' "winner.$d" | grep -q winner && { echo $d; break; }; done)
check "a winner was declared during the month, and holds at the end" sh -c "
	test -n '$first' && brain-ab winner --kind=script --horizon=$horizon > /dev/null"
check "the winner is Strong" test "$(brain-ab winner --kind=script --horizon=$horizon | jq -r .variant_name)" = Strong
day_events 12 > day.jsonl
before=$(brain-ab report | jq -s -c .)
BRAIN_NOW=2026-12-01T01:00:00Z brain-ab track --batch=2026-11-12 day.jsonl > retry
check "a retried night changes nothing" sh -c "
	test \"\$(jq -r .status retry)\" = already_applied &&
	test '$before' = \"\$(brain-ab report | jq -s -c .)\""
check "the audit trail verifies" brain-audit verify
