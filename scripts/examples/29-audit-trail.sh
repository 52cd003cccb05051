#!/bin/sh
# Block 29, the audit trail: append, show, verify, and catch an edit.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== the seed's log_action(\"clone_alpha\", \"DEPLOYMENT\", \"SUCCESS\", {...})"
brain-audit log clone_alpha DEPLOYMENT SUCCESS --detail='{"version":"1.0","target":"production"}' | cut -d, -f1
brain-audit log clone_alpha ROLLBACK SUCCESS --reason="latency spike" | cut -d, -f1
brain-audit show clone_alpha --format=text

echo "== verify, and keep the head somewhere else"
brain-audit verify --format=text | cut -d, -f1
brain-audit head > head.json

echo "== someone edits a record"
sed -i '2s/"SUCCESS"/"FAILURE"/' "$BRAIN_STATE_DIR/audit.log"
brain-audit verify --format=text || echo "(exit $?: tampering found)"
rm -f head.json
