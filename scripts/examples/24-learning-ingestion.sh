#!/bin/sh
# Block 24, learning ingestion: allowed sources only, nothing lost.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== the allow-list starts empty; the operator allows four sources"
for source in Zillow Facebook Redfin; do
	brain-ingest sources allow "$source" --uses=training,outreach >/dev/null
done
brain-ingest sources allow MLS --uses=display --licence="IDX: display only" >/dev/null
brain-ingest sources --format=text

echo "== the seed: Zillow accepted, DarkWeb blocked"
echo '{"leads":150}' | brain-ingest --source=Zillow
echo '{"leads":10}' | brain-ingest --source=DarkWeb || echo "(exit $?: blocked)"
echo '{"leads":5}' | brain-ingest --source=MLS || echo "(exit $?: MLS is for display, not training)"

echo "== a CRM export with one bad line: the good ones stored, the bad one quarantined"
cat > crm.jsonl <<'CRM'
{"id":"L1","name":"Pat","phone":"(555) 123-4567","dnc":true}
{"id":"L2","name":"Sam","dnc":"yes"}
{"id":"L3","name":"Lee","email":"Lee@Example.com","opt_out":["email"]}
CRM
brain-ingest --source=Redfin --skip-invalid crm.jsonl 2>&1 || echo "(exit $?: one record rejected)"
brain-ingest quarantine | cut -c1-100
echo "== the same file again stores nothing new"
brain-ingest --source=Redfin --skip-invalid crm.jsonl 2>/dev/null || true
brain-ingest stats
rm -f crm.jsonl
