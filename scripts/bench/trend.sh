#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# shellcheck disable=SC2016 # the quoted loop is expanded by the inner sh, on purpose
# Benchmark of `brain-eval trend` against the length of the series: 1,000,
# 10,000 and 100,000 scores ten minutes apart (recorded with
# `brain-eval record -`, as brain-eval(1) shows), each read back, with Sen's
# slope over all n(n-1)/2 pairs: a slow rise in noise, then a noise-free
# line of decimal scores (whose slopes lie within rounding of one another).  Peers measured in the same run on the
# same outcome log: a bare cJSON parse loop over it (the reading brain-eval
# must do) and sort(1) of its scores (an n log n step).  Prints CPU
# seconds (user + system, the mean of 200,000/n runs) and peak resident
# KiB for each size, and the growth from the size ten times smaller.  The targets: 100,000 points in
# under 64 MiB and at most 20 times the time of 10,000.
# Usage: scripts/bench/trend.sh
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"

bench_cjson_parse

# n outcomes from 2026-01-01, one in each ten minutes: a slow rise in noise
# (kind noise), or exactly ten minutes apart on a line of decimal scores
# (kind line).  Usage: series N KIND
series() {
	awk -v n="$1" -v kind="$2" '
	function date(days,   era, doe, yoe, doy, mp, d, m) { # days since 1970-01-01
		days += 719468; era = int(days / 146097); doe = days - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		return sprintf("%04d-%02d-%02d", yoe + era * 400 + (m <= 2), m, d)
	}
	BEGIN { srand(11); start = 20454 * 86400
		for (i = 0; i < n; i++) {
			s = start + i * 600 + (kind == "line" ? 0 : int(rand() * 600))
			score = kind == "line" ? sprintf("%.5f", 0.5 + 0.00001 * i) \
				: sprintf("%.4f", 0.8 + 0.00001 * i / 144 + 0.05 * rand())
			printf "{\"score\":%s,\"ts\":\"%sT%02d:%02d:%02dZ\"}\n",
				score, date(int(s / 86400)),
				int(s % 86400 / 3600), int(s % 3600 / 60), s % 60
		}
	}'
}

# CPU seconds per run and peak resident KiB of a command run REPS times
# with stdin from IN (so that short runs add up past the clock's 0.01 s):
# "SECONDS KIB".  Usage: measure REPS IN COMMAND...
measure() {
	reps=$1 in=$2
	shift 2
	/usr/bin/time -f '%U %S %M' -o "$tmp/time" sh -c 'reps=$1 in=$2; shift 2
		while [ "$reps" -gt 0 ]; do "$@" < "$in" > /dev/null; reps=$((reps - 1)); done' \
		sh "$reps" "$in" "$@"
	awk -v r="$reps" '{ printf "%.4f %d\n", ($1 + $2) / r, $3 }' "$tmp/time"
}

for kind in noise line; do
	echo "series: $kind"
	prev_t=""
	prev_m=""
	for n in 1000 10000 100000; do
		export BRAIN_STATE_DIR="$tmp/state-$kind-$n"
		series "$n" "$kind" | brain-eval record - > /dev/null
		log="$BRAIN_STATE_DIR/eval/outcomes.jsonl"
		awk -F'"score":' '{ split($2, v, ","); print v[1] }' "$log" > "$tmp/scores"
		reps=$((200000 / n))
		set -- $(measure "$reps" "$log" "$tmp/cjson-parse"); t_parse=$1
		set -- $(measure "$reps" "$tmp/scores" sort -g); t_sort=$1
		set -- $(measure "$reps" /dev/null brain-eval trend); t=$1; m=$2
		awk -v n="$n" -v t="$t" -v m="$m" -v p="$t_parse" -v s="$t_sort" \
			-v pt="$prev_t" -v pm="$prev_m" 'BEGIN {
			printf "%6d points: trend %.4f s CPU, %d KiB peak (%.1fx the cJSON parse, %.1fx sort(1))",
				n, t, m, (p > 0 ? t / p : 0), (s > 0 ? t / s : 0)
			if (pt != "")
				printf "; from %d points: %.1fx the time, %.2fx the memory", n / 10,
					(pt > 0 ? t / pt : 0), m / pm
			printf "\n" }'
		prev_t=$t
		prev_m=$m
	done
	awk -v m="$prev_m" 'BEGIN { printf "100000 points: %.1f MiB peak (target: under 64 MiB)\n", m / 1024 }'
done
