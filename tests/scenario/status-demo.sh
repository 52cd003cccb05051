# brain status over the integrated example's state (what `make demo`
# builds): every section there, the exit status the state calls for, no
# lock taken and nothing changed; then an eval alarm makes it exit 1.
. "$TOP/tests/scenario/lib.sh"
set -u

sh "$TOP/scripts/examples/31-integrated-workflow.sh" > example.out 2>&1
check "the integrated example builds its state" test $? = 0

brain status > status.jsonl
rc=$?
attention=$(grep -c '"attention":true' status.jsonl)
check "brain status exits 0 on it: nothing there needs attention" test "$rc" = 0
check "and no item says it does" test "$attention" = 0
for s in experiment scripts eval model clone ingest audit; do
	check "section $s is there" grep -q "^{\"section\":\"$s\"," status.jsonl
done
check "the last record is the summary" \
	sh -c 'tail -n 1 status.jsonl | grep -q "^{\"section\":\"summary\",\"attention\":0,\"items\":8}$"'
check "the script experiment: High-Energy leads and won" grep -q \
	'"experiment":"default","kind":"script","decision":"winner","leader":"High-Energy",.*"winner_on_record":"High-Energy","holds":true' \
	status.jsonl
check "the channel experiment: Phone, on 6000 trials" grep -q \
	'"kind":"channel","decision":"winner","leader":"Phone","trials":6000,' status.jsonl
check "scripts: one testing, one retired" grep -q \
	'"section":"scripts","total":2,"draft":0,"testing":1,"active":0,"retired":1,' status.jsonl
check "the model serves version 1 after the rollback" grep -q \
	'"model_id":"lead-scorer",.*"serving":"lead-scorer@1","canary":null' status.jsonl
check "clone_alpha's last gate decision is PROMOTE" grep -q \
	'"clone_id":"clone_alpha","readiness_score":0.89,"is_ready":true,"last_gate":"PROMOTE"' \
	status.jsonl
check "ingest: one source, one record, nothing quarantined" grep -q \
	'"section":"ingest","sources":1,"records":1,"quarantined":0,' status.jsonl
check "the audit log verifies" grep -q '"section":"audit","intact":true,' status.jsonl

brain status --format=text > status.txt
check "the text form exits 0 too" test $? = 0
check "and ends saying nothing needs attention" \
	sh -c 'tail -n 1 status.txt | grep -qx "nothing needs attention"'
for t in experiments scripts eval models clones ingest audit; do
	check "text block $t is there" grep -qx "$t" status.txt
done

# A reader: it neither waits for the lock nor changes a file.
find state -type f -exec sha256sum {} + | sort > before
timeout 20 flock state/lock brain status > /dev/null
check "it runs while a writer holds the lock" test $? = 0
find state -type f -exec sha256sum {} + | sort > after
check "and leaves every file as it was" cmp -s before after

# An outcome series that falls: brain-eval watch raises its alarm, and
# brain status says so and exits 1, for cron to mail.
for x in 0.9 0.91 0.9 0.92 0.91 0.9 0.6 0.55 0.5 0.52 0.5; do
	brain-eval record "$x" --label=week > /dev/null || echo "FAIL recording $x"
done
brain-eval watch > /dev/null
check "brain-eval watch raises the alarm" test $? = 1
brain status > status.jsonl
check "brain status exits 1 with the alarm raised" test $? = 1
check "the outcome metric needs attention" grep -q \
	'"section":"eval","metric":"outcome",.*"alarm":true,"change_index":[0-9]*,"attention":true' \
	status.jsonl
check "it is the one item that does" \
	sh -c 'tail -n 1 status.jsonl | grep -q "^{\"section\":\"summary\",\"attention\":1,"'
brain status --format=text > status.txt
check "the text form exits 1 too" test $? = 1
check "and marks the row" grep -q '^!  outcome ' status.txt
check "and ends with the count" sh -c 'tail -n 1 status.txt | grep -qx "1 item needs attention"'
