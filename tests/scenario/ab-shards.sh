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
