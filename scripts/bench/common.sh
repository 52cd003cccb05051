# common.sh - what the benchmarks share, sourced once `top` (the top
# directory) is set: a private directory $tmp removed at exit, this tree's
# programs first on PATH, and bench_cjson_parse, which builds the bare
# cJSON parse loop (cjson-parse.c), the peer of the JSON readers, as
# $tmp/cjson-parse.
# shellcheck shell=sh disable=SC2034,SC2154 # tmp is for the sourcing script, top from it
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"

bench_cjson_parse() {
	# shellcheck disable=SC2046 # the flags split on purpose
	cc -O2 -o "$tmp/cjson-parse" "$top/scripts/bench/cjson-parse.c" \
		$(pkg-config --cflags --libs libcjson)
}
