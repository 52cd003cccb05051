#!/bin/sh
# Settings: what the toolkit has, and how an operator changes a setting
# with a reason that lands in the audit trail.  Run it with a throwaway
# state directory:  BRAIN_STATE_DIR=$(mktemp -d)/state sh scripts/examples/settings.sh
set -eu

echo "== the programs of the toolkit"
brain commands --format=text

echo "== a writer creates the state directory on first use"
brain config set lock.wait_seconds 60 --reason="cron jobs overlap at 06:00"
brain config show --format=text

echo "== a bad value is refused before anything changes (exit 3)"
brain config set lock.wait_seconds '"soon"' || echo "exit $?"

echo "== back to the built-in default"
brain config unset lock.wait_seconds --reason="overlap fixed"

echo "== every change is in the audit trail: who, what, why"
jq -c '.rec | {type, action, subject, actor, reason}' "$BRAIN_STATE_DIR/audit.log"
echo "== each record holds the SHA-256 of the one before (bytes 83-146)"
log="$BRAIN_STATE_DIR/audit.log"
n=$(wc -l < "$log")
i=2
while [ "$i" -le "$n" ]; do
	want=$(sed -n "$((i - 1))p" "$log" | sha256sum | cut -c1-64)
	have=$(sed -n "${i}p" "$log" | cut -c83-146)
	[ "$want" = "$have" ] && echo "record $i: chained" || echo "record $i: BROKEN"
	i=$((i + 1))
done
