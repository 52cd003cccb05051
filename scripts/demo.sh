#!/bin/sh
# make demo: run the example workflow on a temporary state directory with
# readable output.  The blocks are added one by one; this runs every
# example that exists today, in order.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"
BRAIN_STATE_DIR="$tmp/state"
export PATH BRAIN_STATE_DIR

for example in "$top"/scripts/examples/[0-9]*.sh; do
	echo "### ${example#"$top"/}"
	sh "$example"
	echo
done
echo "The state directory was $BRAIN_STATE_DIR; it is removed now."
