# A month of daily cron work over every block, as an operator runs it:
# each day 100 new leads are assigned a script and a channel (one
# `assign -` per kind over the day's lead ids), the day's
# outcomes are tracked under the day's batch key (day 10's job is run
# twice, as a retry), brain-ab is asked for a winner, its report is piped
# into brain-promote (evidence required), a deal packet is built for the
# day's best lead, and the AI clone is scored, its accuracy recorded in
# brain-eval and gated.  Direct converts at 16 % against the control
# Warm's 10 %, but for a bad week (days 15-20) Direct converts at 2 %.
# The decisions are checked over the whole month: a winner decided once
# and kept, its weakening flagged and not flipped, scripts promoted
# without flapping and channels never taken for scripts, packets that
# follow the decision, a clone promoted only once brain-score calls it
# ready, and a state that verifies at the end.
. "$TOP/tests/scenario/lib.sh"
set -u

export BRAIN_NOW=2026-11-01T06:00:00Z
brain-ab -e spring register --kind=script Warm --control > /dev/null
brain-ab -e spring register --kind=script Direct > /dev/null
brain-ab -e spring register --kind=channel Mail --control > /dev/null
brain-ab -e spring register --kind=channel Phone > /dev/null
brain config set promote.require_evidence true > /dev/null

: > winners
: > promote-log
: > gate-log
: > pairs
: > packets
day=1
while [ $day -le 30 ]; do
	d=$(printf '%02d' $day)
	export BRAIN_NOW=2026-11-${d}T06:00:00Z
	# The day's leads and their assignments.
	seq 0 99 | sed "s/^/lead-$d-/" > leads
	brain-ab -e spring assign --kind=script --format=text - < leads > scripts
	brain-ab -e spring assign --kind=channel --format=text - < leads > channels
	seq 0 99 | paste -d' ' leads scripts channels - > assigned
	cut -d' ' -f2,3 assigned >> pairs
	if [ $day -eq 1 ]; then
		# The batch gives what one call per lead gives.
		for i in 0 1 2 3 4; do
			brain-ab -e spring assign --kind=script --unit=lead-01-$i --format=text
		done > one-by-one
		head -n 5 scripts > batch-head
	fi
	# Outcomes: a low-discrepancy sequence, so each arm's rate is close
	# to its planned one on every day; one script and one channel event
	# per call, under one id.
	awk -v day=$day '{
		u = (($4 * 7919 + day * 104729) % 1000) / 1000
		rate = $2 == "Direct" ? (day >= 15 && day <= 20 ? 0.02 : 0.16) : 0.10
		conv = u < rate ? "true" : "false"
		printf "{\"id\":\"call-%s\",\"unit\":\"%s\",\"variant\":\"%s\",\"converted\":%s}\n", $1, $1, $2, conv
		printf "{\"id\":\"call-%s\",\"unit\":\"%s\",\"variant\":\"%s\",\"converted\":%s}\n", $1, $1, $3, conv
	}' assigned > events-$d.jsonl
	brain-ab -e spring track --batch=day-$d events-$d.jsonl > track-$d
	if [ $day -eq 10 ]; then
		brain-ab -e spring track --batch=day-$d events-$d.jsonl > retry-$d
	fi
	# The winner, every day.
	brain-ab -e spring winner --kind=script > w 2> werr
	echo "$day $? $(cat w)" >> winners
	cat werr >> winner-warnings
	# Promotion on brain-ab's evidence.
	brain-ab -e spring report | brain-promote evaluate - --register > p 2>> promote-warnings
	sed "s/^/$day /" p >> promote-log
	# A packet for the day's first lead.
	echo "{\"name\":\"lead-$d-0\",\"sqft\":1450,\"repairs\":45000,\"assignment_fee\":12000,\"comps\":[{\"price\":252000,\"sqft\":1400,\"sold\":\"2026-09-01\"}]}" |
		brain-packet -e spring build > pk
	echo "$day $(cat pk)" >> packets
	# The clone: better every day; accuracy recorded, then gated on the
	# stored score and the eval series.
	acc=$(awk -v d=$day 'BEGIN { printf "%.2f", 0.70 + d * 0.008 }')
	brain-score clone_v1 $acc 0.86 0.86 0.86 > score
	sr=$?
	brain-eval record $acc --metric=clone:clone_v1 > /dev/null
	brain-gate clone_v1 > gate
	echo "$day $sr $? $(grep '"decision"' gate)" >> gate-log
	day=$((day + 1))
done

check "a batch assignment equals one call per lead" cmp -s one-by-one batch-head
# Tracking: every day counted once, the retry not at all.
check "the retried day is already applied" grep -q '"status":"already_applied"' retry-10
check "every script event counted once (3000 trials)" \
	test "$(brain-ab -e spring list | awk -F'"trials":' '/"kind":"script"/ { split($2, a, ","); t += a[1] } END { print t }')" = 3000
check "every channel event counted once, under the same ids" \
	test "$(brain-ab -e spring list | awk -F'"trials":' '/"kind":"channel"/ { split($2, a, ","); t += a[1] } END { print t }')" = 3000
# Independent assignment: Pearson's chi-square of the 2 x 2 table (df 1,
# p < 0.001 at 10.83).
check "script and channel assignments are independent over the month" \
	awk '{ n[$1 " " $2]++; r[$1]++; c[$2]++; t++ }
	END { for (a in r) for (b in c) { e = r[a] * c[b] / t; x += (n[a " " b] - e) ^ 2 / e }
	      exit !(x < 10.83) }' pairs

# The winner: decided once, on a day before the bad week, and kept.
first=$(awk '$2 == 0 { print $1; exit }' winners)
check "a winner is declared before the bad week (day ${first:-none})" \
	test -n "$first" -a "${first:-99}" -lt 15
check "the first winner is Direct" \
	sh -c "awk '\$1 == $first' winners | grep -q '\"decision\":\"winner\",\"variant_name\":\"Direct\"'"
check "it is recorded once, audited as ab.decide" \
	test "$(brain-audit show --action=ab.decide | wc -l)" = 1
check "every day from then on names Direct, decided on day $first" \
	awk -v f="$first" -v at="2026-11-$(printf '%02d' "$first")T06:00:00Z" \
	'$1 >= f && !(index($0, "\"variant_name\":\"Direct\"") && index($0, "\"decided_at\":\"" at "\"")) { bad++ }
	 END { exit bad > 0 }' winners
check "no day before it names a winner" awk -v f="$first" '$1 < f && $2 == 0 { bad++ } END { exit bad > 0 }' winners
check "the bad week weakens it: reversed, exit 1, in that week" \
	awk '$1 >= 15 && $1 <= 20 && $2 == 1 && index($0, "\"decision\":\"reversed\",\"variant_name\":\"Direct\"") { n++ } END { exit !(n > 0) }' winners
check "every reversed day is flagged on stderr" \
	test "$(grep -c 'reversed' winners)" = "$(grep -c "'Direct', decided the winner at .* is no longer supported" winner-warnings)"
check "a reversal is never a silent flip to Warm" sh -c '! grep -q "\"variant_name\":\"Warm\".*\"decided_at\"" winners'
check "holds and exit status agree every day" \
	awk '(index($0, "\"holds\":false") && $2 != 1) || (index($0, "\"holds\":true") && $2 != 0) { bad++ } END { exit bad > 0 }' winners

# Promotion: scripts only, on the evidence, without flapping.
check "channel lines are skipped, never scripts" \
	test "$(brain-promote status | wc -l)" = 2
check "one warning per channel line per day" \
	test "$(grep -c "skipped: kind 'channel' is not a script" promote-warnings)" = 60
check "Direct is promoted on the evidence" \
	grep -q '"script_id":"direct@1".*"action":"PROMOTE"' promote-log
check "and never demoted, through the bad week too" \
	sh -c '! grep -q "\"script_id\":\"direct@1\".*\"action\":\"DEMOTE\"" promote-log'
check "the control is held, as the control" \
	sh -c '! grep "\"script_id\":\"warm@1\"" promote-log | grep -qv "\"action\":\"HOLD\""'

# Packets follow the decision.
check "before the decision a packet recommends a leader, said so" \
	sh -c "awk '\$1 < $first' packets | grep -q 'leader, not yet a winner'"
check "after it, every packet recommends Direct as brain-ab's winner" \
	awk -v f="$first" '$1 >= f && !index($0, "\"scripts\":[\"Direct\"") { bad++ } END { exit bad > 0 }' packets
check "a packet in the bad week says the winner is reversed" \
	awk '$1 >= 15 && $1 <= 20 && index($0, "reversed: today") { n++ } END { exit !(n > 0) }' packets

# The clone: never promoted while brain-score calls it not ready.
check "no PROMOTE on a day brain-score said not ready" \
	awk '$2 != 0 && index($0, "\"decision\":\"PROMOTE\"") { bad++ } END { exit bad > 0 }' gate-log
check "blocked while not ready, naming the readiness gate" \
	awk '$2 != 0 && !index($0, "\"failed\":[\"readiness\"") { bad++ } END { exit bad > 0 }' gate-log
check "promoted once ready" \
	awk '$2 == 0 && $3 == 0 && index($0, "\"decision\":\"PROMOTE\"") { n++ } END { exit !(n > 0) }' gate-log

brain-verify > report
check "the month's state verifies" test $? = 0
