#!/bin/sh
# Block 26, safe model updates (the seed's "Safe Model Deployment").
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== create the Lead Scorer, update it, roll it back"
printf 'lead scorer weights, version 1\n' > scorer-v1.bin
brain-model create "Lead Scorer" --accuracy=0.85 --artifact=scorer-v1.bin
brain-model update "Lead Scorer" --accuracy=0.88
brain-model rollback "Lead Scorer"

echo "== a worse model is rejected, and the good one keeps serving"
brain-model update lead-scorer --accuracy=0.80

echo "== shadow first, then promote (the seed's pattern)"
brain-model create "Lead Ranker" --accuracy=0.84 >/dev/null
brain-model update lead-ranker --accuracy=0.87 --strategy=shadow
brain-model update lead-ranker@2 --accuracy=0.87

echo "== a stepped canary: 10, 25, 50, 100 %, each step judged on conversions"
brain config set model.analysis_metric conversion >/dev/null
brain-model update lead-ranker --accuracy=0.89 --strategy=canary --steps=10,25,50,100 >/dev/null
brain-model route lead-ranker lead-1042
printf '%s\n' '{"version":"lead-ranker@2","metric":"conversion","successes":236,"trials":2000}' \
	'{"version":"lead-ranker@3","metric":"conversion","successes":250,"trials":2000}' > outcomes.jsonl
brain-model analyze lead-ranker outcomes.jsonl --format=text
brain-model show lead-ranker --format=text | head -n 1
rm -f outcomes.jsonl

echo "== who changed what, and why"
brain-model show lead-scorer --format=text
brain-model history lead-scorer | sed 's/.*"actor":"\([^"]*\)","event":"\([^"]*\)","action":"\([^"]*\)","from":\([^,]*\),"to":\([^,}]*\).*/\1 \2 \3: \4 -> \5/'
brain-model artifact lead-scorer@1
rm -f scorer-v1.bin
