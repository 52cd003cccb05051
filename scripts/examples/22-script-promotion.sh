#!/bin/sh
# Block 22, script promotion (the seed's "Script Performance Pipeline").
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== register the closer script, version 1.0"
brain-promote register Closer --script-version=1.0

echo "== weekly performance 0.85, 0.87, 0.89, 0.88"
for performance in 0.85 0.87 0.89 0.88; do
	brain-promote evaluate Closer "$performance" --format=text
done

echo "== noise around 0.78 does not flap the script"
brain-promote register Opener >/dev/null
for performance in 0.80 0.76 0.83 0.72; do
	brain-promote evaluate Opener "$performance" --format=text | tail -n 1
done

echo "== a bad week below the floor demotes at once"
brain-promote evaluate Closer 0.45 --format=text
brain-promote status --format=text
brain-promote policy --format=text
