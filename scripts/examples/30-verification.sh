#!/bin/sh
# Block 30, verification of the whole system.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== a little of everything"
brain-ab register --kind=channel Email Phone >/dev/null
brain-promote register Closer >/dev/null
brain-eval record 0.9 >/dev/null
brain-verify --format=text

echo "== a crash left half a line at the end of a log"
printf '{"ts":"2026-11-28T12:00:00Z","metric":"outc' >> "$BRAIN_STATE_DIR/eval/outcomes.jsonl"
brain-verify | grep '"status":"FAIL"' || true
brain-verify --repair --reason="after the power cut" | grep torn_tail

echo "== the self-test runs every block in a throwaway state"
brain-verify --self-test --format=text | tail -n 1
