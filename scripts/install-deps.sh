#!/bin/sh
# Install the Debian packages that building and testing brain need
# (chromium: the test that the HTML deal packet renders in a browser;
# parallel: the scale-out recipe of brain-ab(1), run by a scenario;
# time: GNU time, for the peak memory that a scenario bounds and the
# benchmarks report; strace: counting the syncs of a batch, where the
# machine lets it trace; python3: its csv module reads back --format=csv).
# Idempotent: only packages that are missing are installed; as root, or
# through sudo when not root.  Usage: scripts/install-deps.sh
set -eu

packages="build-essential pkg-config libcjson-dev check libgsl-dev libssl-dev
mandoc openssl util-linux jq chromium parallel time strace python3"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps.sh: missing packages:$missing; run as root or install sudo" >&2
	exit 1
fi

echo "install-deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
