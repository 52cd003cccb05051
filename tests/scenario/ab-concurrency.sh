# Two track processes on one experiment in parallel lose no events, and a
# kill -9 during track leaves the old tallies or the new ones, never a mix.
. "$TOP/tests/scenario/lib.sh"
set -u

brain-ab register --kind=channel Email Phone SMS > /dev/null
gen() { awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); for (i = 1; i <= n; i++) {
	r = rand(); v = r < 0.33 ? "Email" : r < 0.66 ? "Phone" : "SMS";
	printf "{\"variant\":\"%s\",\"converted\":%s}\n", v, rand() < 0.1 ? "true" : "false" } }'; }
gen 1 30000 > a
gen 2 30000 > b
brain-ab track a > /dev/null &
brain-ab track b > /dev/null &
wait
total=$(brain-ab list | sed 's/.*"trials":\([0-9]*\).*/\1/' | awk '{ s += $1 } END { print s }')
check "two parallel tracks: 60000 events counted" test "$total" = 60000

# Kill track at random moments; after each, the tallies are those before
# or after that batch, whole.
gen 3 200000 > big
before=$total
mixed=0
round=1
while [ "$round" -le 12 ]; do
	brain-ab track - < big > /dev/null 2>&1 &
	pid=$!
	sleep "0.$(( $(od -An -N1 -tu1 /dev/urandom) % 4 ))$(( $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
	kill -9 "$pid" 2> /dev/null
	wait
	now=$(brain-ab list | sed 's/.*"trials":\([0-9]*\).*/\1/' | awk '{ s += $1 } END { print s }')
	if [ "$now" != "$before" ] && [ "$now" != "$((before + 200000))" ]; then
		mixed=$((mixed + 1))
		echo "round $round: $before then $now"
	fi
	before=$now
	round=$((round + 1))
done
check "after 12 kills the tallies were always whole batches" test "$mixed" = 0
brain-ab track - < big > out
if grep -q already_applied out; then applied=0; else applied=200000; fi
echo "note: the last kill left the batch $( [ "$applied" = 0 ] && echo applied || echo unapplied )"
brain-audit verify > report
check "the audit trail is intact after the kills" grep -q '"ok":true' report
