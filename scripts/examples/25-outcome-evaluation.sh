#!/bin/sh
# Block 25, outcome evaluation: trends and regression alarms.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== the seed: 0.85 then 0.92"
brain-eval record 0.85 --label="A/B winner" >/dev/null
brain-eval record 0.92 --label="Q4 performance" >/dev/null
brain-eval trend

echo "== ten weeks of a conversion rate, on real dates"
week=1
for rate in 0.051 0.053 0.050 0.056 0.058 0.057 0.061 0.060 0.064 0.063; do
	brain-eval record "$rate" --metric=weekly-rate --at="2026-09-$(printf %02d $((week * 2)))T09:00:00Z" >/dev/null
	week=$((week + 1))
done
brain-eval trend --metric=weekly-rate --format=text
brain-eval trend --metric=weekly-rate

echo "== a clone's scores drop: the watch exits 1, so cron can page someone"
for score in 0.11 0.10 0.12 0.09 0.11 0.10 0.12 0.11 0.10 0.11 0.07 0.06 0.07 0.05 0.06; do
	printf '{"metric":"clone:clone_alpha","score":%s}\n' "$score"
done | brain-eval record - >/dev/null
brain-eval watch --metric=clone:clone_alpha || echo "(exit $?: regression)"
brain-eval list --format=text
