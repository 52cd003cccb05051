#!/bin/sh
# Benchmark of the decision commands on a large state: 1,000 brain-ab
# variants (ten kinds of 100 arms, and one kind of 1,000), 1,000 scripts,
# 100 models and 100 scored clones.  Each command is timed in CPU
# milliseconds (user + system, a loop of RUNS runs divided by RUNS, the
# least of three loops) on that state and on one a tenth its size built
# the same way in the same run, so the growth is the second number; the
# "-e wide" lines are 1,000 arms against 100.  The targets: every
# decision command under 50 ms on the large state, and report/winner on
# one kind at most 15x from 100 to 1,000 arms.
# Usage: scripts/bench/decisions.sh [RUNS]
set -eu

runs=${1:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_ACTOR=bench BRAIN_NOW=2026-01-01T00:00:00Z

kinds="script channel offer opener closer voice tone cadence subject timing"

# build DIR SCALE: SCALE = 1 for the large state, 10 for a tenth of it.
build() {
	export BRAIN_STATE_DIR="$1"
	arms=$((100 / $2)) wide=$((1000 / $2)) n=$((1000 / $2)) m=$((100 / $2))
	for k in $kinds; do
		awk -v k="$k" -v arms="$arms" 'BEGIN { srand(length(k)); for (i = 0; i < arms; i++)
			printf "{\"variant\":\"%s-%d\",\"kind\":\"%s\",\"trials\":1000,\"conversions\":%d}\n",
				k, i, k, 90 + int(rand() * 21) }'
	done | brain-ab track --register --kind=script --batch=b1 - > /dev/null
	awk -v arms="$wide" 'BEGIN { srand(9); for (i = 0; i < arms; i++)
		printf "{\"variant\":\"w%d\",\"kind\":\"script\",\"trials\":1000,\"conversions\":%d}\n",
			i, 90 + int(rand() * 21) }' |
		brain-ab -e wide track --register --kind=script --batch=b1 - > /dev/null
	i=0
	while [ "$i" -lt "$n" ]; do
		brain-promote register "script-$i" > /dev/null
		i=$((i + 1))
	done
	i=0
	while [ "$i" -lt "$m" ]; do
		brain-model create "model-$i" > /dev/null
		brain-score "clone-$i" 0.9 0.85 0.88 0.8 > /dev/null
		i=$((i + 1))
	done
}

# best CMD...: CPU milliseconds a run, the least of three loops of $runs
# runs (the clock's 10 ms steps are too coarse for one run).
best() {
	b=""
	for _ in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$tmp/time" sh -c \
			'n=$1; shift; while [ "$n" -gt 0 ]; do "$@"; n=$((n - 1)); done' \
			sh "$runs" "$@" > /dev/null 2>&1 || true
		t=$(tail -n 1 "$tmp/time" | awk -v r="$runs" '{ printf "%.1f", 1000 * ($1 + $2) / r }')
		b=$(awk -v a="$t" -v b="$b" 'BEGIN { print (b == "" || a < b) ? a : b }')
	done
	echo "$b"
}

build "$tmp/large" 1
build "$tmp/small" 10
row() {
	name=$1
	shift
	BRAIN_STATE_DIR="$tmp/large"; large=$(best "$@")
	BRAIN_STATE_DIR="$tmp/small"; small=$(best "$@")
	awk -v n="$name" -v l="$large" -v s="$small" 'BEGIN {
		printf "%-44s %7.1f ms  (%5.1f ms at a tenth: %.1fx)\n", n, l, s, (s > 0 ? l / s : 0) }'
}
echo "command (CPU a run)                           large state"
row "brain-ab report (all ten kinds)" brain-ab report
row "brain-ab winner --kind=script --dry-run" brain-ab winner --kind=script --dry-run
row "brain-ab -e wide report (one kind, all arms)" brain-ab -e wide report
row "brain-ab -e wide winner (one kind, all arms)" brain-ab -e wide winner --kind=script --dry-run
row "brain-ab assign --kind=script --unit=u1" brain-ab assign --kind=script --unit=u1
row "brain-ab -e wide assign --thompson" brain-ab -e wide assign --kind=script --thompson --unit=u1
row "brain-promote status" brain-promote status
row "brain-promote status script-7" brain-promote status script-7
row "brain-model list" brain-model list
row "brain-score history clone-7" brain-score history clone-7
row "brain-gate -n clone-7" brain-gate -n clone-7 --no-regression
row "brain status (every store)" brain status
