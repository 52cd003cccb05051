# common.sh - what the benchmarks share, sourced once `top` (the top
# directory) is set: a private directory $tmp removed at exit, this tree's
# programs first on PATH, bench_cjson_parse, which builds the bare
# cJSON parse loop (cjson-parse.c), the peer of the JSON readers, as
# $tmp/cjson-parse, and bench_cjson_fold, which builds the parse-and-fold
# loop (cjson-fold.c), the peer of brain-ab tally, as $tmp/cjson-fold;
# both at -O3, as the toolkit is built.
# shellcheck shell=sh disable=SC2034,SC2154 # tmp is for the sourcing script, top from it
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"

bench_cjson_parse() {
	# shellcheck disable=SC2046 # the flags split on purpose
	cc -O3 -o "$tmp/cjson-parse" "$top/scripts/bench/cjson-parse.c" \
		$(pkg-config --cflags --libs libcjson)
}

bench_cjson_fold() {
	# shellcheck disable=SC2046 # the flags split on purpose
	cc -O3 -o "$tmp/cjson-fold" "$top/scripts/bench/cjson-fold.c" \
		$(pkg-config --cflags --libs libcjson)
}
