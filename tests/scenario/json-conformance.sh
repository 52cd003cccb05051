# The JSON conformance suite (tests/json) through every program that
# reads records: each must-reject case exits 3 at every reader with a
# message naming line 1 and the byte, and nothing is stored; each
# must-accept case, stored by brain-audit and brain-ingest, reads back as
# the same value (compared by jq, which parses both sides).
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

brain-ab register --kind=script A > /dev/null
brain-ingest sources allow feed > /dev/null
readers="ab-tally ab-track audit-log ingest eval-record promote-evaluate gate packet score-runs"

# read READER FILE: feed FILE to READER, stderr to ./err.
read_with() {
	case $1 in
	ab-tally) brain-ab tally "$2" ;;
	ab-track) brain-ab track --batch=conformance "$2" ;;
	audit-log) brain-audit log - < "$2" ;;
	ingest) brain-ingest --source=feed "$2" ;;
	eval-record) brain-eval record - < "$2" ;;
	promote-evaluate) brain-promote evaluate - < "$2" ;;
	gate) brain-gate clone_x - < "$2" ;;
	packet) brain-packet build - < "$2" ;;
	score-runs) brain-score clone_x --runs="$2" ;;
	esac > out 2> err
}

before=$(brain-audit show | wc -l)
cases=0
bad=0
for f in "$TOP"/tests/json/reject/*.json; do
	cases=$((cases + 1))
	for r in $readers; do
		read_with $r "$f"
		rc=$?
		if [ $rc -ne 3 ] || ! grep -q ':1: .*at byte [0-9]' err; then
			echo "note: $r on reject/${f##*/}: exit $rc: $(head -c 200 err)"
			bad=$((bad + 1))
		fi
	done
done
check "every reader refuses all $cases must-reject cases with exit 3, naming line and byte" \
	test $bad -eq 0
check "there are at least 40 of them" test $cases -ge 40
check "and nothing of them was recorded or stored" \
	test "$(brain-audit show | wc -l) $(brain-ingest show | wc -l)" = "$before 0"

cases=0
bad=0
for f in "$TOP"/tests/json/accept/*.json; do
	cases=$((cases + 1))
	want=$(jq -cS . "$f")
	{ printf '{"subject":"s","action":"A","status":"SUCCESS","details":'; tr -d '\r\n' < "$f"; echo '}'; } > rec
	brain-audit log - < rec > /dev/null 2> err || { echo "note: audit-log refused accept/${f##*/}: $(cat err)"; bad=$((bad + 1)); }
	got=$(brain-audit show | tail -n 1 | jq -cS .details)
	if [ "$got" != "$want" ]; then
		echo "note: accept/${f##*/} stored by brain-audit as $got, not $want"
		bad=$((bad + 1))
	fi
	brain-ingest --source=feed "$f" > /dev/null 2> err || { echo "note: ingest refused accept/${f##*/}: $(cat err)"; bad=$((bad + 1)); }
	got=$(brain-ingest show --source=feed | tail -n 1 | jq -cS .record)
	if [ "$got" != "$want" ]; then
		echo "note: accept/${f##*/} stored by brain-ingest as $got, not $want"
		bad=$((bad + 1))
	fi
done
check "all $cases must-accept cases are stored and read back unchanged" test $bad -eq 0
check "there are at least 20 of them" test $cases -ge 20
brain-verify > report
check "the state verifies after them" test $? = 0
