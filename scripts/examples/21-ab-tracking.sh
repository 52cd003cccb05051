#!/bin/sh
# Block 21, A/B tracking (the seed's "A/B Test Winner Selection").
# The seed tracks 42/50 against 39/50 and deploys the higher rate; here the
# same numbers are not enough evidence, and a real test is.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== register two call scripts"
brain-ab register --kind=script High-Energy Low-Pressure --format=text >/dev/null
brain-ab list --format=text

echo "== the seed's numbers: 42 of 50 against 39 of 50"
brain-ab track High-Energy --trials=50 --conversions=42 >/dev/null
brain-ab track Low-Pressure --trials=50 --conversions=39 >/dev/null
brain-ab winner --kind=script --format=text || echo "(exit $?: no winner yet)"

echo "== a month of calls, folded from an event file"
awk 'BEGIN { for (i = 1; i <= 1500; i++) {
	printf "{\"variant\":\"High-Energy\",\"converted\":%s}\n", i % 100 < 18 ? "true" : "false"
	printf "{\"variant\":\"Low-Pressure\",\"converted\":%s}\n", i % 100 < 11 ? "true" : "false" } }' > events.jsonl
brain-ab track events.jsonl --batch=2026-11 --format=text >/dev/null
brain-ab report --kind=script --format=text
brain-ab winner --kind=script --format=text

echo "== the next lead goes to an arm, the same one every time"
brain-ab assign --kind=script --unit=L123
brain-ab assign --kind=script --unit=L123
rm -f events.jsonl
