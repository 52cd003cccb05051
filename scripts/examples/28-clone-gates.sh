#!/bin/sh
# Block 28, gate enforcement (the seed's "Clone Promotion to Production").
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== score clone_v2, then check every gate"
if brain-score clone_v2 0.92 0.90 0.89 0.91 >/dev/null; then
	brain-gate clone_v2 0.89 0.92 false --format=text
	if brain-gate clone_v2 0.89 0.92 false >/dev/null; then
		brain-audit log clone_v2 DEPLOY SUCCESS --detail='{"target":"production"}' >/dev/null
		echo "promoted to production"
	fi
fi

echo "== a regression blocks, and the gate says which"
brain-gate clone_alpha --readiness=0.85 --accuracy=0.91 --regression | tail -n 1 || true

echo "== no evidence is no promotion"
brain-gate clone_delta | tail -n 1 || true

echo "== not ready for brain-score is not ready for the gate"
brain-score clone_gamma 0.95 0.95 0.95 0.60 | brain-gate - --no-regression | head -n 1

echo "== the pipeline: score, then gate"
brain-score clone_v3 0.93 0.91 0.90 0.92 | brain-gate - --no-regression | tail -n 1

echo "== the policy and its hash"
brain-gate policy

echo "== a waiver: one per clone and gate, listed with the days left, then removed"
brain-gate waive clone_gamma readiness --until=2026-12-01T00:00:00Z --reason="robustness fix in v3" | grep -o '"action":"[A-Z_]*"'
brain-gate waive clone_gamma readiness --until=2026-12-31T00:00:00Z --reason="v3 slipped" | grep -o '"action":"[A-Z_]*"'
brain-gate waivers --format=text
brain-gate unwaive clone_gamma readiness --reason="v3 shipped" | grep -o '"action":"[A-Z_]*"'

echo "== a stepped deployment: clone_v3 against clone_v2 at 25 %, then all traffic"
brain config set model.analysis_metric booked >/dev/null
brain-gate deploy clone_v3 --steps=25,100 --baseline=clone_v2 --no-regression | grep -o '"action":"[A-Z]*"\|"weight":[0-9.]*\|"decision":"[A-Z]*"'
brain-gate route clone_v3 lead-1042
printf '%s\n' '{"version":"clone_v2","metric":"booked","successes":236,"trials":2000}' \
	'{"version":"clone_v3","metric":"booked","successes":250,"trials":2000}' > outcomes.jsonl
brain-gate analyze clone_v3 outcomes.jsonl --format=text
rm -f outcomes.jsonl
