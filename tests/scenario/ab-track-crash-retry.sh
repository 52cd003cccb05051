# A track killed once its change is recorded, before it prints, leaves
# the operator without an answer, so it is run again.  The retry finds
# the change (the next writer publishes it) and says "already_applied",
# changing nothing: for an aggregate named by --id as for a file batch,
# and for a keyed batch retried by hand without its key.  A track killed
# before its record is undone, and its retry applies.
. "$TOP/tests/scenario/lib.sh"
set -u

tracks() { grep -c '"action":"ab.track"' state/audit.log; }
trials() { brain-ab report | grep "\"variant_name\":\"$1\"" | sed 's/.*"trials":\([0-9]*\),.*/\1/'; }
status_of() { sed 's/.*"status":"\([a-z_]*\)".*/\1/' "$1"; }

brain-ab register --kind=script Opener Closer > /dev/null

# An aggregate with its key, killed after its record landed.
before=$(tracks)
BRAIN_FAULT=change-audited brain-ab track Opener --trials=50 --conversions=10 \
	--id=crm-week-48 > out 2> /dev/null
check "aggregate: killed after its record, nothing printed" \
	sh -c "test $? = 137 && test -e state/journal && test ! -s out"
brain-ab track Opener --trials=50 --conversions=10 --id=crm-week-48 > retry 2> err
check "aggregate: the retry publishes the killed run's change" grep -q 'now published' err
check "aggregate: the retry says already_applied" test "$(status_of retry)" = already_applied
check "aggregate: with zero counts" grep -q '"records":0,"applied":0,"duplicates":0' retry
check "aggregate: counted once" test "$(trials Opener)" = 50
check "aggregate: one ab.track record, none for the retry" test "$(tracks)" = $((before + 1))
cp state/ab/default/experiment.json was
brain-ab track Opener --trials=50 --conversions=10 --id=crm-week-48 > retry 2> /dev/null
check "aggregate: a second retry changes no byte of the experiment" \
	cmp -s was state/ab/default/experiment.json

# A file batch under a key, killed after its record landed: retried with
# its key, and by hand without it.
printf '%s\n' '{"id":"c-1","variant":"Closer","converted":true}' \
	'{"id":"c-2","variant":"Closer","converted":false}' > day
before=$(tracks)
BRAIN_FAULT=change-audited brain-ab track --batch=2026-11-28 day > out 2> /dev/null
check "batch: killed after its record, nothing printed" \
	sh -c "test $? = 137 && test -e state/journal && test ! -s out"
brain-ab track --batch=2026-11-28 day > retry 2> /dev/null
check "batch: the retry with its key says already_applied" \
	test "$(status_of retry)" = already_applied
brain-ab track day > retry 2> err
check "batch: the retry without its key says already_applied" \
	test "$(status_of retry)" = already_applied
check "batch: and names the key it was applied under" grep -q "as batch '2026-11-28'" err
check "batch: counted once" test "$(trials Closer)" = 2
check "batch: one ab.track record, none for the retries" test "$(tracks)" = $((before + 1))

# Killed before its record: the change is undone, and the retry applies.
before=$(tracks)
BRAIN_FAULT=change-journaled brain-ab track Opener --trials=5 --conversions=1 \
	--id=crm-week-49 > /dev/null 2>&1
check "aggregate killed before its record: journal left" \
	sh -c "test $? = 137 && test -e state/journal"
brain-ab track Opener --trials=5 --conversions=1 --id=crm-week-49 > retry 2> err
check "  the retry undoes it" grep -q 'is undone' err
check "  and applies the aggregate" grep -q '"applied":1,.*"status":"applied"' retry
check "  counted once" test "$(trials Opener)" = 55
check "  one ab.track record" test "$(tracks)" = $((before + 1))

brain-verify > report
check "brain-verify passes after the crashes and retries" grep -q '"overall_status":"PASS"' report
