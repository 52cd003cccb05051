# The tamper matrix of brain-audit verify: every way of changing a
# 50-record log is caught, given the key, public key or anchor that
# brain-audit(1) says is needed for it; an untouched log verifies.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

# A MAC'd log of 50 lines (header + 49 records), a checkpoint at 50, a
# saved head, and a second log of the same origin for splicing.
brain-audit init --mac --origin=test/brain | sed 's/.*"k1":"\([0-9a-f]*\)".*/\1/' > k1
i=2
while [ "$i" -le 50 ]; do
	printf '{"subject":"clone_%d","action":"DEPLOY","status":"SUCCESS","details":{"n":%d}}\n' "$i" "$i"
	i=$((i + 1))
done > events
brain-audit log - < events > /dev/null
brain-audit keygen --out=signing > /dev/null
brain-audit checkpoint --key=signing > note
brain-audit head > head.json
mv state pristine
BRAIN_STATE_DIR=$PWD/other brain-audit init --origin=test/brain > /dev/null
BRAIN_STATE_DIR=$PWD/other brain-audit log - < events > /dev/null

fresh() { rm -rf state; cp -a pristine state; }
# Leave the chain as the only protection: no checkpoints, no key state.
# For this MAC'd log the missing key state is itself found
# (key_state_missing); what the chain alone misses, an unMAC'd log shows.
chain_only() { rm -rf state/checkpoints state/audit.key; }
verify() { brain-audit verify "$@" > report; echo $? > status; }
log=state/audit.log
zeros=0000000000000000000000000000000000000000000000000000000000000000

# Recompute every prev after an edit, as an attacker without the key would.
rechain() {
	prev=$zeros
	: > "$1.new"
	while IFS= read -r line; do
		line="$(printf '%s' "$line" | cut -c1-82)$prev$(printf '%s' "$line" | cut -c147-)"
		printf '%s\n' "$line" >> "$1.new"
		prev=$(printf '%s\n' "$line" | sha256sum | cut -c1-64)
	done < "$1"
	mv "$1.new" "$1"
}

fresh
verify --key=k1 --pubkey=signing.pub --anchor=head.json --anchor=note
check "untouched log verifies with key, public key and anchors" \
	grep -q '"ok":true,"size":50,' report
check "untouched log exits 0" test "$(cat status)" = 0

fresh
sed -i '25s/clone_25/clone_99/' $log
verify
expect_error "edit of a middle record" prev_mismatch
check "the edit is located at the next record" grep -q '"seq":26' report
check "a found problem exits 1" test "$(cat status)" = 1

fresh
sed -i '50s/clone_50/clone_99/' $log
verify --key=k1
expect_error "edit of the last record, with the MAC key" mac_mismatch
verify
expect_error "edit of the last record, with the stored checkpoint" checkpoint_mismatch
chain_only
verify
expect_error "edit of the last record, checkpoints and key state deleted" key_state_missing
verify --anchor=head.json
expect_error "edit of the last record, with an anchor" anchor_mismatch

fresh
sed -i '20d' $log
verify
expect_error "deleted record" seq_mismatch

fresh
sed -n '10p' pristine/audit.log > line10
sed -i '30r line10' $log
verify
expect_error "inserted record" seq_mismatch

fresh
sed -i '15p' $log
verify
expect_error "duplicated record" seq_mismatch

fresh
{ sed -n '1,19p' pristine/audit.log; sed -n '21p' pristine/audit.log
  sed -n '20p' pristine/audit.log; sed -n '22,$p' pristine/audit.log; } > $log
verify
expect_error "two records swapped" seq_mismatch

fresh
head -n 40 pristine/audit.log > $log
verify --pubkey=signing.pub
expect_error "truncation, with the checkpoint" checkpoint_beyond_log
rm -r state/checkpoints
verify
expect_error "truncation, with the MAC key state" key_state_ahead
chain_only
verify
expect_error "truncation, checkpoints and key state deleted" key_state_missing
verify --anchor=head.json
expect_error "truncation, with an anchor" anchor_beyond_log

fresh
{ head -n 25 pristine/audit.log; sed -n '26,$p' other/audit.log; } > $log
verify
expect_error "records spliced from another log" prev_mismatch

fresh
# Switch the MAC mode off: new header, zero MACs, recomputed chain.
sed -i -e '1s/"mac":"fs-hmac-sha256"/"mac":"none"/' \
	-e "s/^{\"mac\":\"[0-9a-f]*\"/{\"mac\":\"$zeros\"/" $log
rechain $log
verify --key=k1
expect_error "mode switched to none, with the MAC key" mac_mode
verify --pubkey=signing.pub
expect_error "mode switched to none, with the checkpoint" checkpoint_mismatch
chain_only
verify
check "mode switched to none passes the chain alone" grep -q '"ok":true' report

fresh
sed -i '10s/"status":"SUCCESS"/"status":"FAILURE"/' $log
rechain $log
verify --key=k1
expect_error "recomputed chain, with the MAC key" mac_mismatch
verify --pubkey=signing.pub
expect_error "recomputed chain, with the checkpoint" checkpoint_mismatch
chain_only
verify
expect_error "recomputed chain, checkpoints and key state deleted" key_state_missing
verify --anchor=head.json
expect_error "recomputed chain, with an anchor" anchor_mismatch

fresh
printf 'x' >> state/checkpoints/00000000000000000050
verify --pubkey=signing.pub
expect_error "a changed checkpoint file" checkpoint_bad

fresh
brain-audit keygen --out=stranger > /dev/null
verify --pubkey=stranger.pub
expect_error "a checkpoint checked with another key" checkpoint_signature

fresh
printf '{"mac":"%s","prev"' "$zeros" >> $log
verify --key=k1
expect_error "a torn tail" torn_tail
brain-audit log after torn FAIL 2> err
check "a writer refuses to append after a torn tail (exit 4)" test $? = 4
check "and points to brain-verify --repair" grep -q 'brain-verify --repair' err

fresh
sed -i '7s/$/\r/' $log
verify
expect_error "a CRLF line ending" bad_line

fresh
rm $log
brain-audit verify > report 2> err
check "no log at all is exit 4" test $? = 4
