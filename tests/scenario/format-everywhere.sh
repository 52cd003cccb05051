# Every program, on every verb it documents, with --format=text prints
# text, not JSON, and with --format=csv prints RFC 4180 CSV whose rows are
# the JSON Lines' records (read back with Python's csv module where it is
# installed, else with a reader in awk).  The state is the integrated
# example's, so each verb has something to show.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

sh "$TOP/scripts/examples/31-integrated-workflow.sh" > /dev/null 2>&1 ||
	fail "the integrated example"
brain-ab track --batch=d1 - > /dev/null <<'E'
{"variant":"High-Energy","converted":true,"day":"2026-11-27","opt_out":true,"dims":{"call_centre":"reno"}}
E
version=$(brain-model list | jq -r 'select(.name == "Lead Scorer") | .serving // .versions[0].id // empty' | head -n 1)
[ -n "$version" ] || version=$(brain-model show "Lead Scorer" | jq -r '.versions[0].version_id // .versions[0].id')
printf '{"name":"1 Elm St","arv":200000,"repairs":20000,"assignment_fee":10000}\n' > lead.jsonl
brain-packet build lead.jsonl > packet.jsonl
packet=$(jq -r .packet_id packet.jsonl)
seq=$(brain-audit show | jq -r 'select(.action | startswith("gate.")) | .seq' | tail -n 1)

# One invocation a line: PROGRAM VERB ARGS; "?" first: its output may be
# empty; "=" first: it prints a page, not records.
cat > verbs <<EOF2
brain commands
brain config show
brain-ab report
brain-ab report --by=call_centre
brain-ab winner --kind=script --dry-run
brain-ab history --kind=script
brain-ab plan --kind=script --mde=0.2
brain-ab list
brain-ab assign --kind=script --unit=lead-1
brain-ab register --kind=script --dry-run Calm
brain-ab track --dry-run --batch=d2 events.jsonl
brain-ab tally events.jsonl
brain-ab merge events.jsonl
brain-ab analyze events.jsonl
brain-audit show
brain-audit verify
brain-audit head
brain-audit log ops ops.check SUCCESS
brain-eval trend
brain-eval watch
brain-eval list
brain-eval record --dry-run 0.9
brain-gate policy
brain-gate --dry-run clone_alpha 0.85 0.91 false
brain-gate replay $seq
brain-ingest sources
brain-ingest show
? brain-ingest quarantine
brain-ingest stats
brain-ingest --dry-run --source=Zillow lead.jsonl
brain-model list
brain-model show "Lead Scorer"
brain-model history "Lead Scorer"
brain-packet list
brain-packet show $packet
brain-packet build --dry-run lead.jsonl
brain-packet contact-check --channel=phone lead.jsonl
brain-packet show --view=buyer $packet
brain-promote status
brain-promote policy
brain-promote history High-Energy
brain-promote evaluate --dry-run High-Energy 0.2
brain-score --dry-run clone_alpha 0.91 0.88 0.87 0.90
brain-score history clone_alpha
brain-verify
= brain help ab
brain config get lock.wait_seconds
brain config set lock.wait_seconds 31
brain config unset lock.wait_seconds
brain config adopt --reason=x
brain status
? brain report --html=page.html
brain-ab register --kind=script Calm
brain-ab track --kind=script High-Energy --trials=10 --conversions=2 --id=agg-1
brain-ab track --batch=d9 events.jsonl
brain-ab conclude --kind=script High-Energy
? brain-ab partition --shards=2 events.jsonl
brain-ab reset --experiment=default --reason=x
brain-ab assign --kind=script - < units.txt
brain-audit log - < audit-in.jsonl
BRAIN_STATE_DIR=$PWD/fresh brain-audit init
brain-audit keygen --out=ck2
brain-audit checkpoint --key=ck
brain-eval record - < scores.jsonl
brain-eval watch --verbose
brain-gate clone_alpha - < score.jsonl
brain-gate waive clone_alpha no_regression --until=2026-12-20T00:00:00Z --reason=x
brain-gate waivers
brain-gate unwaive clone_beta no_regression
brain-gate deploy clone_alpha --steps=50,100 --baseline=clone_base --no-regression
brain-gate deploy clone_gamma --steps=50,100 --baseline=clone_base --no-regression > /dev/null && brain-gate analyze clone_gamma - --analysis=analysis.json < clone-outcomes.jsonl
brain-gate deploy clone_gamma --steps=50,100 --baseline=clone_base --no-regression > /dev/null && brain-gate route clone_gamma lead-1
brain-ingest sources allow County --uses=training
brain-ingest sources deny Zillow
brain-ingest quarantine reviewed
brain-ingest batches
brain-model create Other --accuracy=0.7
brain-model update lead-scorer --accuracy=0.9
brain-model update lead-scorer --accuracy=0.9 --strategy=canary --steps=10,50,100
brain-model promote lead-scorer@2
brain-model abort churn
brain-model rollback lead-scorer
brain-model artifact churn@1
brain-model compare lead-scorer@1 lead-scorer@2
brain-model alias lead-scorer champion lead-scorer@1
brain-model unalias lead-scorer champion
brain-model tag lead-scorer@1 team=ops
brain-model analyze stepper - --analysis=analysis.json < outcomes.jsonl
brain-model route lead-scorer lead-1
brain-promote register Calm
brain-promote set High-Energy active --reason=x
brain-score compare --baseline=base.jsonl --candidate=cand.jsonl
EOF2
printf '%s\n' '{"variant":"High-Energy","kind":"script","converted":true}' \
	'{"variant":"Low-Pressure","kind":"script","converted":false}' > events.jsonl
printf 'lead-1\nlead-2\n' > units.txt
printf '%s\n' '{"subject":"ops","action":"ops.a","status":"SUCCESS"}' > audit-in.jsonl
printf '%s\n' '{"score":0.8}' '{"score":0.7}' > scores.jsonl
printf '%s\n' '{"case":"a","passed":true}' '{"case":"b","passed":true}' > base.jsonl
printf '%s\n' '{"case":"a","passed":true}' '{"case":"b","passed":false}' > cand.jsonl
printf '%s\n' '{"readiness":0.9,"accuracy":0.9,"regression":false}' > gate-in.jsonl
printf '%s\n' '{"version":"stepper@1","metric":"conversion","successes":80,"trials":100}' \
	'{"version":"stepper@2","metric":"conversion","successes":79,"trials":100}' > outcomes.jsonl
printf '%s\n' '{"conditions":[{"metric":"conversion","min_samples":50}]}' > analysis.json
brain-score --dry-run clone_alpha 0.91 0.88 0.87 0.90 > score.jsonl
printf 'weights\n' > model.bin
brain-model create Churn --accuracy=0.7 --artifact=model.bin > /dev/null
brain-model update churn --accuracy=0.75 --strategy=canary > /dev/null
brain-model create Stepper --accuracy=0.8 > /dev/null
brain-model update stepper --accuracy=0.8 --strategy=canary --steps=10,50,100 > /dev/null
brain-model alias lead-scorer champion lead-scorer@1 > /dev/null
brain-score clone_gamma 0.92 0.90 0.89 0.91 > /dev/null
printf '%s\n' '{"version":"clone_base","metric":"conversion","successes":80,"trials":100}' \
	'{"version":"clone_gamma","metric":"conversion","successes":79,"trials":100}' > clone-outcomes.jsonl
brain-audit keygen --out=ck > /dev/null
brain-gate waive clone_beta no_regression --until=2026-12-20T00:00:00Z --reason=x > /dev/null

# A line of standard output that is a JSON object or array.
json_lines() { jq -R 'fromjson? | select(type == "object" or type == "array")' < "$1" | wc -l; }
# Each on its own copy of the state, so that the verbs that change it
# run for real.
state=$BRAIN_STATE_DIR
while IFS= read -r line; do
	may_be_empty=0 document=0
	case $line in
	"? "*) may_be_empty=1; line=${line#? } ;;
	"= "*) document=1; line=${line#= } ;;
	esac
	rm -rf copy && cp -R "$state" copy
	BRAIN_STATE_DIR=$PWD/copy sh -c "$line --format=text" > out.text 2> err.text
	rc=$?
	if [ $document = 1 ]; then
		# A page (the manual), whose examples are JSON lines.
		check "$line --format=text: the page (exit $rc)" test $rc = 0 -a -s out.text
		continue
	fi
	check "$line --format=text: not JSON (exit $rc)" \
		test "$(json_lines out.text)" = 0 -a $rc -le 1 -a \( -s out.text -o $may_be_empty = 1 \)
done < verbs

# Every verb each program documents (its usage lines, the first word
# after "[option ...]"; a word that names an operand, as brain-gate's
# "clone", stands for the program's own form) is in the list above.
for p in brain brain-ab brain-audit brain-eval brain-gate brain-ingest brain-model \
	 brain-packet brain-promote brain-score brain-verify; do
	"$p" --help | sed -n "s/^\(usage:\)\{0,1\} *$p \(\[option \.\.\.\] \)\{0,1\}\([a-z][a-z-]*\).*/\3/p" |
		sort -u > usage-verbs
	[ -s usage-verbs ] || echo - > usage-verbs
	while read -r verb; do
		case $verb in clone | command | file | -) verb= ;; esac
		check "$p $verb: run with --format=text above" \
			grep -Eq "^([?=] )?([A-Z_]+=[^ ]* )?$p( |\$)(.* )?${verb:+$verb( |\$)}" verbs
	done < usage-verbs
done

# CSV: the header is every field of the JSON Lines, each row a record.
# csv-records: the rows as JSON objects of their non-empty fields, read
# with Python's csv module where it is installed, else with awk (fields
# without quotes only: the test data has none there).
cat > csv-records <<'EOF2'
if command -v python3 > /dev/null 2>&1; then
	exec python3 -c 'import csv, json, sys
for row in csv.DictReader(sys.stdin):
    print(json.dumps({k: v for k, v in row.items() if v != ""}, sort_keys=True,
                     separators=(",", ":"), ensure_ascii=False))'
fi
awk -F, 'NR == 1 { sub(/\r$/, ""); for (i = 1; i <= NF; i++) h[i] = $i; next }
	{ sub(/\r$/, ""); printf "{"; s = ""
	  for (i = 1; i <= NF; i++) if ($i != "") { printf "%s\"%s\":\"%s\"", s, h[i], $i; s = "," }
	  print "}" }' | jq -c -S .
EOF2
# flat-records: the JSON Lines flattened as the CSV is (objects with
# dots, scalars as their text, arrays as their JSON).
cat > flat-records <<'EOF2'
jq -c -S '[paths(type != "object") as $p | select(($p | map(type == "number") | any) | not)
	| {key: ($p | map(tostring) | join(".")),
	   value: (getpath($p) | if type == "string" then . else tojson end)}]
	| map(select(.value != "" and .value != "null")) | from_entries'
EOF2
# Numbers are compared as numbers: jq prints them shortest, brain with
# 17 digits.
NORM='map_values(if test("^-?[0-9][0-9.eE+-]*$") then (tonumber | tojson)
	elif startswith("[") then (fromjson | tojson) else . end)'
export NORM
for line in "brain-ab report" "brain-ab history --kind=script" "brain-audit show" \
	    "brain-model list" "brain-promote status" "brain-eval list" "brain-ingest sources"; do
	eval "set -- $line"
	"$@" > out.jsonl
	"$@" --format=csv > out.csv
	check "$line --format=csv: a header and a row per record" \
		test "$(($(wc -l < out.csv) - 1))" = "$(wc -l < out.jsonl)"
	check "$line --format=csv: CRLF line ends" sh -c "! grep -qv \"\$(printf '\\r')\$\" out.csv"
	check "$line --format=csv: the same values as the JSON Lines" sh -c \
		'sh csv-records < out.csv | jq -c -S \"\$NORM\" > a &&
		 sh flat-records < out.jsonl | jq -c -S \"\$NORM\" > b && cmp -s a b'
done
check "a field with a comma and a quote is quoted, its quote doubled" sh -c '
	brain-audit log ops "ops.note" SUCCESS --reason="a, \"b\"" > /dev/null &&
	brain-audit show --format=csv | tail -n 1 | grep -q "\"a, \"\"b\"\"\""'
