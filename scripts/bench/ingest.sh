#!/bin/sh
# shellcheck disable=SC2046 # "set -- $(measure ...)" splits "SECONDS KIB" on purpose
# Benchmark of brain-ingest: a batch of generated leads (ids, phones,
# emails, some Do-Not-Call flags and opt-outs) into an empty state, against
# jq doing the same kind of work on the same file in the same run (check
# the types of dnc and opt_out, normalise the phone to + and digits and
# the email to lower case, wrap each record with its provenance).  jq
# does less: no SHA-256 of records, no de-duplication, no suppression
# list, no staging, no syncs.  CPU is user plus system seconds; memory is
# the peak resident set.  At two sizes, to show what grows: brain-ingest's
# memory should grow with the ids held only, not with the bytes read.
# Then a batch of 10,000 new leads into each of those states, against the
# same batch into an empty state: with the index of stored identities
# (learning/seen.keys) a batch reads only what the logs gained, so its
# cost should grow with what is stored by the index's load alone.
# Usage: scripts/bench/ingest.sh [LEADS] [BIG_LEADS]   (100000 1000000)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
small=${1:-100000}
big=${2:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PATH="$top/bin:$PATH"

leads() {
	awk -v n="$1" 'BEGIN { srand(7); for (i = 1; i <= n; i++) {
		printf "{\"id\":\"L%d\",\"name\":\"Lead %d\",\"phone\":\"(%03d) %03d-%04d\",\"email\":\"Lead%d@Example.COM\"",
			i, i, 200 + int(rand() * 700), int(rand() * 1000), int(rand() * 10000), i
		if (rand() < 0.05) printf ",\"dnc\":true"
		if (rand() < 0.03) printf ",\"opt_out\":[\"email\"]"
		printf ",\"city\":\"Springfield\",\"value\":%d}\n", int(rand() * 500000) } }'
}

cat > "$tmp/ingest.jq" <<'JQ'
if type != "object" then error("not an object") else . end
| if has("dnc") and (.dnc | type) != "boolean" then error("field dnc must be true or false") else . end
| if has("opt_out") and ((.opt_out | type) != "boolean" and (.opt_out | type) != "array")
  then error("field opt_out must be true, false or a list of channels") else . end
| if has("phone") then .phone |= ([explode[] | select(. >= 48 and . <= 57)] | implode
  | if length == 10 then "+1" + . else "+" + . end) else . end
| if has("email") then .email |= ascii_downcase else . end
| {source: $src, use: "training", batch_id: "b-0000000000000000", ingested_at: $now,
   line: input_line_number, record: .}
JQ

# CPU seconds (user + system) and peak resident KiB of a command: "SECONDS KIB"
measure() {
	/usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" > /dev/null
	awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$tmp/time"
}

# run N: ingest N leads into an empty state and jq them; print the line
# and leave brain-ingest's CPU and peak memory in $t_run and $m_run.
run() {
	leads "$1" > "$tmp/leads"
	export BRAIN_STATE_DIR="$tmp/state-$1"
	brain-ingest sources allow CRM > /dev/null
	set -- "$1" $(measure brain-ingest --source=CRM "$tmp/leads"); t_run=$2; m_run=$3
	set -- "$1" $(measure jq -c --arg src CRM --arg now 2026-11-28T12:00:00Z \
		-f "$tmp/ingest.jq" "$tmp/leads"); t_jq=$2; m_jq=$3
	awk -v n="$1" -v b="$(wc -c < "$tmp/leads")" -v t="$t_run" -v m="$m_run" \
		-v tj="$t_jq" -v mj="$m_jq" 'BEGIN {
		printf "%8d leads (%d MiB): brain-ingest %.2f s CPU, %d KiB peak; jq %.2f s CPU, %d KiB peak; jq / brain-ingest %.1fx (goal: at least 8)\n",
			n, b / 1048576, t, m, tj, mj, (t > 0 ? tj / t : 0) }'
}

# next N: a batch of 10,000 new leads into the state of run N; its CPU
# in $t_next.
next_batch() {
	export BRAIN_STATE_DIR="$tmp/state-$1"
	leads $(($1 + 10000)) | tail -n 10000 > "$tmp/next"
	set -- "$1" $(measure brain-ingest --source=CRM "$tmp/next"); t_next=$2
}

export BRAIN_STATE_DIR="$tmp/state-0"
brain-ingest sources allow CRM > /dev/null
next_batch 0
t0=$t_next

run "$small"
t1=$t_run m1=$m_run
next_batch "$small"
n1=$t_next
rm -rf "$tmp/state-$small"
run "$big"
next_batch "$big"
n2=$t_next
awk -v s="$small" -v b="$big" -v t0="$t0" -v n1="$n1" -v n2="$n2" 'BEGIN {
	printf "a batch of 10000 new leads: into an empty state %.2f s CPU, after %d stored %.2f s (%.1fx), after %d stored %.2f s (%.1fx)\n",
		t0, s, n1, (t0 > 0 ? n1 / t0 : 0), b, n2, (t0 > 0 ? n2 / t0 : 0) }'
awk -v n1="$small" -v n2="$big" -v t1="$t1" -v t2="$t_run" -v m1="$m1" -v m2="$m_run" 'BEGIN {
	printf "growth %d -> %d leads (%.0fx): CPU %.1fx, peak memory %.1fx (goal: under 32768 KiB at 1000000)\n",
		n1, n2, n2 / n1, (t1 > 0 ? t2 / t1 : 0), (m1 > 0 ? m2 / m1 : 0) }'
