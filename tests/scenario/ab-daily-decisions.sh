# The operator's week, end to end: 3 scripts and 3 channels of one
# experiment assigned to the same leads independently (a chi-square test
# of independence does not reject), one call id counted as a script event
# and as a channel event, two days with the same numbers counted twice
# under their own batch keys, and a retried day counted once.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

brain-ab register --kind=script High-Energy Low-Pressure Consultative > /dev/null
brain-ab register --kind=channel --weight=2 Mail > /dev/null
brain-ab register --kind=channel Phone SMS > /dev/null

# 150 leads, each assigned a script and a channel.
i=0
while [ $i -lt 150 ]; do
	s=$(brain-ab assign --kind=script --unit=lead-$i --format=text)
	c=$(brain-ab assign --kind=channel --unit=lead-$i --format=text)
	echo "$s $c"
	i=$((i + 1))
done > pairs

# Pearson's chi-square of the 3 x 3 table, df 4, whose survival function
# has the closed form exp(-x/2)(1 + x/2).  Reference: at x = 18.4668, the
# 0.999 quantile of chi-square with 4 df (any table), p is 0.001.
chisq() {
	awk '{ n[$1 " " $2]++; r[$1]++; c[$2]++; t++ }
	END {
		for (a in r) for (b in c) { e = r[a] * c[b] / t; x += (n[a " " b] - e) ^ 2 / e }
		printf "%.6f %.6f\n", x, exp(-x / 2) * (1 + x / 2)
	}' "$1"
}
check "the closed form gives p = 0.001 at the reference quantile 18.4668" \
	test "$(awk 'BEGIN { x = 18.4668; printf "%.5f", exp(-x / 2) * (1 + x / 2) }')" = 0.00100
set -- $(chisq pairs)
check "script and channel assignments are independent (chi-square $1, p $2 > 0.001)" \
	awk -v p="$2" 'BEGIN { exit !(p > 0.001) }'
# The same test catches the old confounding, one seed for both kinds,
# on fewer leads.
i=0
while [ $i -lt 60 ]; do
	s=$(brain-ab assign --kind=script --unit=lead-$i --format=text --seed=default 2>/dev/null)
	c=$(brain-ab assign --kind=channel --unit=lead-$i --format=text --seed=default 2>/dev/null)
	echo "$s $c"
	i=$((i + 1))
done > confounded
set -- $(chisq confounded)
check "one seed for both kinds is rejected by the same test (p $2)" \
	awk -v p="$2" 'BEGIN { exit !(p < 0.001) }'
check "each channel gets its share: Mail about half" \
	awk '$2 == "Mail" { m++ } END { exit !(m >= 55 && m <= 95) }' pairs

# One call, one script event and one channel event, under one id.
printf '%s\n' '{"id":"call-1","unit":"lead-1","variant":"High-Energy","converted":true}' \
	'{"id":"call-1","unit":"lead-1","variant":"Mail","converted":true}' > calls
brain-ab track --batch=calls-2026-11-28 calls > out
check "one id counts for its script and for its channel" \
	grep -q '"applied":2,"duplicates":0' out

# Daily aggregates: the same 40 trials on two days.
printf '%s\n' '{"variant":"Low-Pressure","trials":40,"conversions":4}' \
	'{"variant":"Phone","trials":40,"conversions":3}' > day
brain-ab track --batch=2026-11-27 day > /dev/null
brain-ab track --batch=2026-11-28 day > /dev/null
brain-ab track --batch=2026-11-28 day > retry
check "a retried day is already applied" grep -q '"status":"already_applied"' retry
check "two days with the same numbers both count, the retry once" \
	test "$(brain-ab list | grep '"Low-Pressure"' | sed 's/.*"trials":\([0-9]*\).*/\1/')" = 80
brain-ab track day > /dev/null 2> warned
check "a batch without a key warns on stderr" grep -q 'warning: no --batch key' warned
