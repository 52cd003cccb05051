#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of `brain-packet build` of 1,000 and 10,000 leads (each a new
# packet, stored as one change with its audit records), against jq doing
# the same deal arithmetic and writing the same number of packet lines,
# measured in the same run.  Prints user CPU seconds and their ratio to
# jq's, the system time apart (creating a file per packet is the file
# system's work, and varies with its state more than with brain), the
# growth from 1,000 to 10,000 leads and the syncs of the batch (strace,
# when it can run here).
# Usage: scripts/bench/packet.sh
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/bench/common.sh
. "$top/scripts/bench/common.sh"
export BRAIN_ACTOR=bench BRAIN_NOW=2026-01-01T00:00:00Z

measure() {
	/usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" > /dev/null
	tail -n 1 "$tmp/time" | awk '{ printf "%.3f %d %.3f", $1, $3, $2 }'
}

leads() {
	awk -v n="$1" 'BEGIN { srand(3); for (i = 1; i <= n; i++)
		printf "{\"name\":\"%d Elm St\",\"sqft\":%d,\"comps\":[{\"price\":%d,\"sqft\":1400,\"sold\":\"2025-11-01\"},{\"price\":%d,\"sqft\":1500,\"sold\":\"2025-12-01\"}],\"repairs\":%d,\"assignment_fee\":10000}\n",
			i, 1200 + int(rand() * 800), 230000 + int(rand() * 40000), 240000 + int(rand() * 40000), 15000 + int(rand() * 30000) }'
}

# The same arithmetic in jq: ARV from price per square foot of the comps,
# buyer's maximum at 70 %, minus repairs and fee; one packet line a lead.
jq_packets='(.comps | map(.price / .sqft) | add / length) as $ppsf
	| ($ppsf * .sqft | round) as $arv
	| {lead_name: .name, deal: {arv: $arv, rule: 0.7, repairs: .repairs,
	   assignment_fee: .assignment_fee, buyer_max_price: ($arv * 0.7 - .repairs | round),
	   mao: ($arv * 0.7 - .repairs - .assignment_fee | round)}}'

prev=""
for n in 1000 10000; do
	leads "$n" > "$tmp/leads"
	export BRAIN_STATE_DIR="$tmp/state-$n"
	brain-audit init > /dev/null
	set -- $(measure jq -c "$jq_packets" "$tmp/leads"); t_jq=$1
	set -- $(measure brain-packet build "$tmp/leads"); t_pk=$1; m_pk=$2; s_pk=$3
	syncs="?"
	if strace -f -o /dev/null true 2> /dev/null; then
		export BRAIN_STATE_DIR="$tmp/strace-$n"
		strace -f -c -o "$tmp/trace" -e trace=fsync,fdatasync,syncfs \
			brain-packet build "$tmp/leads" > /dev/null
		syncs=$(awk '$NF ~ /^(fsync|fdatasync|syncfs)$/ { n += $4 } END { print n + 0 }' "$tmp/trace")
	fi
	awk -v n="$n" -v p="$t_pk" -v j="$t_jq" -v m="$m_pk" -v s="$syncs" -v prev="$prev" \
	    -v sys="$s_pk" 'BEGIN {
		printf "%6d leads: brain-packet %.3f s user (%.2fx jq %.3f s) + %.3f s system, %d KiB peak, %s syncs%s\n",
			n, p, (j > 0 ? p / j : 0), j, sys, m, s,
			(prev > 0 ? sprintf(", %.1fx the time of %d leads", p / prev, n / 10) : "") }'
	prev=$t_pk
done
