# Sharded = unsharded: 4 shards through tally, merge and analyze give the
# same bytes as one-pass track and report; tally is stateless.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

awk 'BEGIN { srand(7); for (i = 1; i <= 20000; i++) {
	r = rand(); v = r < 0.34 ? "High-Energy" : r < 0.67 ? "Low-Pressure" : "Consultative";
	p = v == "High-Energy" ? 0.11 : v == "Low-Pressure" ? 0.13 : 0.10;
	c = rand() < p ? "true" : "false";
	printf "{\"variant\":\"%s\",\"converted\":%s,\"value\":%d}\n", v, c, c == "true" ? 1000 + i % 997 : 0 } }' > events

brain-ab register --kind=script High-Energy Low-Pressure Consultative > /dev/null
brain-ab track events > /dev/null
brain-ab report --kind=script > one-pass

split -n l/4 events part.
for p in part.*; do brain-ab tally --kind=script "$p" > "$p.tally"; done
brain-ab merge part.*.tally | brain-ab analyze --control=High-Energy > sharded
check "4 shards through tally, merge, analyze equal the one-pass report" cmp -s one-pass sharded
check "the report has the three variants" test "$(wc -l < one-pass)" = 3

cat part.*.tally | brain-ab merge > merged-stdin
brain-ab merge part.*.tally > merged-files
check "merge reads files or stdin alike" cmp -s merged-stdin merged-files
brain-ab tally --kind=script events > whole.tally
brain-ab merge whole.tally > whole.merged
check "merging a single tally changes nothing" cmp -s whole.tally whole.merged

rm -rf state
brain-ab tally --kind=script events > /dev/null
check "tally never touches the state directory" test ! -e state

# Sums that doubles get wrong depending on order: 1e9, 0.000001 and
# -1e9, and 0.1 + 0.2, in 8 shards tallied in reverse order and merged,
# give the same bytes as one pass, and the exact sums (values are summed
# in millionths, pure/fixed.h).
awk 'BEGIN { for (i = 1; i <= 4000; i++) {
	v = i % 3 == 0 ? 1000000000 : i % 3 == 1 ? 0.000001 : -1000000000
	printf "{\"variant\":\"%s\",\"converted\":%s,\"value\":%s}\n", i % 2 ? "Big" : "Small",
		i % 5 ? "false" : "true", i % 2 ? v : (i % 4 ? "0.1" : "0.2") } }' > mixed
brain-ab tally --kind=script mixed > mixed.one
split -n l/8 mixed shard.
for p in $(ls shard.* | sort -r); do brain-ab tally --kind=script "$p"; done | brain-ab merge > mixed.merged
check "8 shards in reverse order merge to the one-pass bytes" cmp -s mixed.one mixed.merged
check "the sum of 0.1s and 0.2s is exact" grep -q '"variant":"Small",.*"value_exact":"300"' mixed.one
awk '{ print }' mixed | tac > mixed.rev
brain-ab tally --kind=script mixed.rev | sort > rev.sorted
sort mixed.one > one.sorted
check "and so does the whole input reversed" cmp -s one.sorted rev.sorted
