#!/bin/sh
# make demo: the integrated workflow of the toolkit, on a temporary state
# directory, with output a newcomer can follow.  The other examples, one
# per block, are in scripts/examples/ and run the same way.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"
BRAIN_STATE_DIR="$tmp/state"
export PATH BRAIN_STATE_DIR

sh "$top/scripts/examples/31-integrated-workflow.sh"
echo
echo "That was scripts/examples/31-integrated-workflow.sh on the throwaway state"
echo "$BRAIN_STATE_DIR (removed now).  One example per block: scripts/examples/."
