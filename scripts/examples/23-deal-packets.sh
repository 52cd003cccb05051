#!/bin/sh
# Block 23, deal packets (the seed's "Complete Deal Processing").
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== the seed's lead, with the scripts and channels given"
echo '{"name":"Acme Corp","value":250000,"terms":"net 30"}' |
	brain-packet build --script="Script A" --script="Script B" --channel=Email --channel=Phone --format=text

echo "== a property deal: ARV from the median $/sqft of the comps, MAO from the cost stack"
cat > lead.jsonl <<'LEAD'
{"name":"12 Elm St","sqft":1450,"comps":[{"price":252000,"sqft":1400,"sold":"2026-09-01"},{"price":268000,"sqft":1520,"sold":"2026-10-15"},{"price":251000,"sqft":1380,"sold":"2026-03-20"}],"repairs":45000,"assignment_fee":12000,"asking_price":140000,"contract_price":118000,"phone":"555-123-4567","dnc":true}
LEAD
brain-packet build lead.jsonl --channel=Phone --channel=SMS --channel=Email --format=text

echo "== the packet for a buyer, in markdown"
brain-packet show "$(brain-packet list | grep '"12 Elm St"' | sed 's/{"packet_id":"\([^"]*\)".*/\1/')" --view=buyer --format=markdown

echo "== the decision, in the audit trail"
brain-audit show --action=packet.build | sed 's/.*"subject":"\([^"]*\)","action":"\([^"]*\)".*"lead_name":"\([^"]*\)".*/\2 \1 (\3)/'
rm -f lead.jsonl
