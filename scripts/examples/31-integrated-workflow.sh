#!/bin/sh
# The seed's integrated workflow, end to end: A/B test, promotion, packet,
# ingestion allowed and blocked, outcome trend, model update and rollback,
# readiness, gates, audit, verification.
set -eu
. "$(dirname "$0")/prologue.inc"

step() { printf '\n== %s\n' "$*"; }

step "0. Policy for conversion rates (promote at 15 %, demote below 12 %)"
brain config set promote.promote_at 0.15 --reason="conversion-rate policy" >/dev/null
brain config set promote.demote_below 0.12 >/dev/null
brain config set promote.floor 0.05 >/dev/null
brain-promote policy --format=text

step "1. A/B test two scripts and two channels on a month of calls"
brain-ab register --kind=script High-Energy Low-Pressure >/dev/null
brain-ab register --kind=channel Email Phone >/dev/null
brain-ab track Email --trials=3000 --conversions=240 >/dev/null
brain-ab track Phone --trials=3000 --conversions=420 >/dev/null
awk 'BEGIN { for (i = 1; i <= 1500; i++) {
	printf "{\"variant\":\"High-Energy\",\"converted\":%s}\n", i % 100 < 18 ? "true" : "false"
	printf "{\"variant\":\"Low-Pressure\",\"converted\":%s}\n", i % 100 < 11 ? "true" : "false" } }' |
	brain-ab track - >/dev/null
brain-ab winner --kind=script --format=text
brain-ab winner --kind=channel --format=text

step "2. Promote scripts from the report"
brain-ab report --kind=script | brain-promote evaluate - --register --format=text

step "3. Build a deal packet from live state"
echo '{"name":"Acme Corp","value":250000,"terms":"net 30"}' | brain-packet build --format=text

step "4. Ingest learning data: allowed and blocked"
brain-ingest sources allow Zillow >/dev/null
echo '{"leads":150}' | brain-ingest --source=Zillow
echo '{"leads":10}' | brain-ingest --source=DarkWeb || true

step "5. Outcome trend"
brain-eval record 0.85 --label="A/B winner" >/dev/null
brain-eval record 0.92 --label="Q4 performance" >/dev/null
brain-eval trend --format=text

step "6. Model update and rollback"
brain-model create "Lead Scorer" --accuracy=0.85 >/dev/null
brain-model update "Lead Scorer" --accuracy=0.88 | cut -d, -f1-3
brain-model rollback "Lead Scorer"

step "7. Clone readiness and gates"
brain-score clone_alpha 0.91 0.88 0.87 0.90 | cut -d, -f1-3
brain-gate clone_alpha 0.85 0.91 false | sed 's/"actual".*"reason"/"reason"/'

step "8. The audit trail of it all"
brain-audit verify --format=text | cut -d, -f1
brain-audit show | sed 's/.*"actor":"\([^"]*\)","subject":"\([^"]*\)","action":"\([^"]*\)","status":"\([^"]*\)".*/\1 \3 \2: \4/'

step "9. Verification"
brain-verify --format=text | tail -n 1
