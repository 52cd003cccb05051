# brain-ingest and brain-packet: the seed's flows, the deal-math example,
# compliance, duplicates, quarantine, and the rendered packet.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

brain-ingest sources allow Zillow --uses=training,outreach --route=api --licence="partner feed" > /dev/null
echo '{"leads":150}' | brain-ingest --source=Zillow > out
check "Zillow allowed, then ingested" grep -q '"source":"Zillow","success":true,"accepted":1' out
echo '{"leads":10}' | brain-ingest --source=DarkWeb > out
check "DarkWeb is blocked with exit 1" test $? = 1
check "and nothing is stored" test "$(brain-ingest show | wc -l)" = 1
check "the refusal is audited with size and SHA-256" \
	sh -c 'brain-audit show DarkWeb | grep -q "\"action\":\"ingest.refused\",\"status\":\"BLOCKED\",\"details\":{\"source\":\"DarkWeb\",\"use\":\"training\",\"bytes\":13,\"sha256\":\"[0-9a-f]\{64\}\""'
echo '{"leads":1}' | brain-ingest --source=zillow --use=display > out
check "a source allowed for training is refused for display" grep -q '"success":false' out
printf '{\n  "leads": 150\n}\n' | brain-ingest --source=ZILLOW > out
check "a pretty-printed single object is one record; names match case-insensitively" \
	grep -q '"source":"Zillow","success":true,"accepted":1' out

brain-ingest sources allow Redfin > /dev/null
cat > leads.jsonl <<'LEADS'
{"id":"L1","name":"Pat","phone":"(555) 123-4567","dnc":true}
{"id":"L2","name":"Sam","dnc":"yes"}
{"id":"L3","name":"Lee","email":"Lee@Example.COM","opt_out":["email"]}
LEADS
brain-ingest --source=Redfin leads.jsonl > out 2> err
check "a bad record stops the batch: exit 3" test $? = 3
check "naming file, line and field" grep -q "brain-ingest: leads.jsonl:2: field 'dnc' must be true or false" err
check "and nothing of the batch is stored" test "$(brain-ingest show --source=redfin | wc -l)" = 0
brain-ingest --source=Redfin --skip-invalid leads.jsonl > out 2> /dev/null
check "--skip-invalid stores the good lines (exit 3)" test $? = 3
check "two accepted, one rejected" grep -q '"accepted":2,"rejected":1' out
check "the bad one is quarantined with its line number" \
	sh -c 'brain-ingest quarantine | grep -q "\"line\":2,\"reason\":\"field '"'"'dnc'"'"' must be true or false\""'
brain-ingest --source=Redfin --skip-invalid leads.jsonl > out 2> /dev/null
check "ingesting the same file twice stores nothing new" grep -q '"accepted":0,"rejected":1,"duplicates":2' out
check "records keep their provenance" \
	sh -c 'brain-ingest show --source=Redfin | head -n 1 | grep -q "\"source\":\"Redfin\",\"use\":\"training\",\"batch_id\":\"b-[0-9a-f]\{16\}\",\"ingested_at\":\"2026-11-28T12:00:00Z\",\"sha256\":\"[0-9a-f]\{64\}\",\"line\":1,\"record\":{\"id\":\"L1\",\"name\":\"Pat\",\"phone\":\"+15551234567\""'

echo '{"name":"Acme Corp","value":250000,"terms":"net 30"}' |
	brain-packet build --script="Script A" --script="Script B" --channel=Email --channel=Phone > out
check "the seed's Acme Corp packet with the given scripts and channels" \
	grep -q '"lead_name":"Acme Corp","deal_value":250000,"terms":"net 30","scripts":\["Script A","Script B"\],"script":"Script A","channels":\["Email","Phone"\]' out

cat > house.jsonl <<'HOUSE'
{"name":"12 Elm St","sqft":1450,"comps":[{"price":252000,"sqft":1400,"sold":"2026-09-01"},{"price":268000,"sqft":1520,"sold":"2026-10-15"},{"price":251000,"sqft":1380,"sold":"2026-08-01"}],"repairs":45000,"assignment_fee":12000}
HOUSE
brain-packet build house.jsonl > out
check "deal math: ARV 261,000 from the median \$/sqft of the comps" \
	grep -q '"arv":261000,"arv_source":"comps","arv_from_comps":261000,"price_per_sqft":180,' out
check "deal math: MAO 125,700" grep -q '"buyer_max_price":137700,"assignment_fee":12000,"mao":125700' out
id=$(sed 's/{"packet_id":"\([^"]*\)".*/\1/' out)
brain-packet build house.jsonl > again
check "the same lead twice gives the same packet" cmp -s out again
check "stored once" test "$(ls state/packets | wc -l)" = 2

# Compliance: DNC, consent, opt-out and the suppression list.
echo '{"name":"Pat","phone":"555-123-4567","dnc":true,"consent":{"type":"written","channels":["phone","sms"]}}' |
	brain-packet build --channel=Phone --channel=SMS --channel=Email > out
check "a DNC lead never gets Phone" sh -c '! grep -q "\"channels\":\[[^]]*Phone" out'
check "nor SMS" sh -c '! grep -q "\"channels\":\[[^]]*SMS" out'
check "with a warning naming the rule" grep -q "channel 'Phone' removed: on the Do-Not-Call list (dnc)" out
echo '{"name":"Lee","email":"lee@example.com","opt_out":["email"]}' |
	brain-packet build --channel=Email --channel=Direct-Mail > out
check "an opted-out email never gets Email" grep -q '"channels":\["Direct-Mail"\]' out
echo '{"name":"Lee again","email":"LEE@example.com","phone":"+1 555 000 1111","consent":{"channels":["phone"]}}' |
	brain-packet build --channel=Email --channel=Phone > out
check "the suppression list from ingest is obeyed" grep -q "channel 'Email' removed: on the suppression list (opt_out)" out
check "consent for phone keeps Phone" grep -q '"channels":\["Phone"\]' out
echo '{"name":"Kim","phone":"555-222-3333"}' | brain-packet build --channel=SMS > out
check "no consent for SMS removes SMS" grep -q "channel 'SMS' removed: no consent for SMS" out

# Recommendations from live state.
brain-ab register --kind=script High-Energy Low-Pressure > /dev/null
brain-ab track High-Energy --trials=2000 --conversions=400 > /dev/null
brain-ab track Low-Pressure --trials=2000 --conversions=200 > /dev/null
brain-promote register Closer > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
brain-promote evaluate Closer 0.9 > /dev/null
echo '{"name":"Jo","value":1000}' | brain-packet build > out
check "scripts come from the brain-ab winner and active scripts" grep -q '"scripts":\["High-Energy","Closer"\]' out
check "and the basis says so" grep -q "brain-ab winner 'High-Energy'" out

brain-packet show "$id" --format=html > packet.html
check "the HTML packet is one self-contained page" grep -q '^<!DOCTYPE html>' packet.html
check "with no external resources" sh -c '! grep -Eqi "(src=|href=|url\(|@import)" packet.html'
check "showing the MAO" grep -q '\$125,700' packet.html
echo '{"name":"<script>alert(1)</script>","value":1}' | brain-packet build > out
hid=$(sed 's/{"packet_id":"\([^"]*\)".*/\1/' out)
brain-packet show "$hid" --format=html > evil.html
check "names are escaped in HTML" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' evil.html
brain-packet show "$id" --format=markdown > packet.md
check "markdown has the deal table" grep -q '| Maximum allowable offer (MAO) | \$125,700 |' packet.md
