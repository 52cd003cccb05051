# A Thompson-assigned A/B with a real 50 % lift (20 % against 30 %)
# reaches a winner.  Thompson sampling sends most leads to the better
# arm, so the split is far from the registered 1:1; the first
# `assign --thompson` marks the kind Thompson-allocated, and the
# sample-ratio test against the weights (which would call the split
# broken, for good) is not made.  Assignments come from
# `brain-ab assign --thompson --seed=N`, outcomes from a fixed-seed
# Park-Miller generator in awk (exact in doubles, the same everywhere).
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

brain-ab register --kind=script --control Calm > /dev/null
brain-ab register --kind=script Bold > /dev/null

# 25 periods; in each, 8 Thompson draws on the tallies so far, each
# assigning a block of 40 leads (the posteriors move only when a period's
# outcomes are tracked, as with a daily cron).
seed=1
for period in $(seq 1 25); do
	: > arms
	for draw in 1 2 3 4 5 6 7 8; do
		brain-ab assign --kind=script --thompson --seed=$seed -f text >> arms
		seed=$((seed + 1))
	done
	awk -v period="$period" 'BEGIN { x = period * 7919 }
	function u() { x = (x * 16807) % 2147483647; return x / 2147483647 }
	{ p = $1 == "Bold" ? 0.30 : 0.20
	  for (i = 1; i <= 40; i++)
		printf "{\"variant\":\"%s\",\"converted\":%s,\"id\":\"p%d-%d-%d\"}\n",
		       $1, u() < p ? "true" : "false", period, NR, i }' arms > events
	brain-ab track events > /dev/null
done
brain-ab report --kind=script > report.jsonl
brain-ab winner --kind=script > decision
rc=$?

check "winner exits 0 for the Thompson-assigned A/B" test "$rc" = 0
check "the winner is the arm 50 % better" grep -q '"decision":"winner","variant_name":"Bold"' decision
check "traffic followed the posteriors: Bold got most leads" \
	awk -F'"trials":' '/"Bold"/ { split($2, a, ","); b = a[1] } /"Calm"/ { split($2, a, ","); c = a[1] }
		END { exit !(b > 4 * c) }' report.jsonl
check "the report has no SRM figures for the Thompson-allocated kind" \
	sh -c '! grep -q srm report.jsonl'
check "both report lines say the allocation is Thompson" \
	test "$(grep -c '"allocation":"thompson"' report.jsonl)" = 2
check "the kind was marked once, audited as ab.thompson" \
	test "$(grep -c '"action":"ab.thompson"' state/audit.log)" = 1
