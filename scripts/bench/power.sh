#!/bin/sh
# power.sh - what daily looks cost brain-ab's winner rule, and what a
# planned horizon buys back: a seeded simulation of 0.10 against 0.12 (a
# 20 % lift; statsmodels' fixed 80 %-power test needs 3,835 per arm, 96
# days at 40 a day) and of A/A tests, decided every day by the whole rule
# (libbrain's ab_analyze and ab_decide) with --horizon=3835, with the
# always-valid interval alone at the tuning `brain-ab plan` suggests, and
# by a z-test looked at every day, the peer that peeking breaks.
#
#     scripts/bench/power.sh [RUNS [SEED]]     (default 1000 runs, seed 1; about 10 minutes)
#
# Build the tree first (make).  The unit tests run a small version
# (tests/unit/test_ab_window.c); this is the large one.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/bench/common.sh"
# shellcheck disable=SC2046 # the flags split on purpose
cc -O2 -I"$top/lib" -o "$tmp/power" "$top/scripts/bench/power.c" "$top/build/libbrain.a" \
	$(pkg-config --cflags --libs libcjson gsl) -lcrypto -lm
"$tmp/power" "${1:-1000}" "${2:-1}"
