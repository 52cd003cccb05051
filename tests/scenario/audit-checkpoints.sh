# Automatic signed checkpoints, and a writer that refuses a log cut below
# its newest checkpoint.
. "$TOP/tests/scenario/lib.sh"
set -u

brain-audit init --origin=test/auto > /dev/null
brain-audit keygen --out="$PWD/signing" > /dev/null
brain config set audit.checkpoint_key "$PWD/signing" > /dev/null
brain config set audit.checkpoint_every 10 > /dev/null
i=1
while [ "$i" -le 25 ]; do
	brain-audit log "s$i" CALL OK > /dev/null
	i=$((i + 1))
done
check "a checkpoint every 10 records" test "$(ls state/checkpoints | tr '\n' ' ')" = \
	"00000000000000000010 00000000000000000020 "
brain-audit verify --pubkey=signing.pub > report
check "the log verifies with both signed checkpoints" \
	grep -q '"ok":true,"size":28,.*"checkpoints":2,"signatures":"verified"' report
check "a checkpoint note verifies with openssl alone" sh -c '
	head -n 4 state/checkpoints/00000000000000000020 > body &&
	sed -n 6p state/checkpoints/00000000000000000020 | cut -d" " -f3 | base64 -d | tail -c 64 > sig &&
	openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in body -sigfile sig > /dev/null'
head -n 15 state/audit.log > cut.log && cat cut.log > state/audit.log
brain-audit log late CALL OK 2> err
check "a writer refuses a log shorter than its newest checkpoint (exit 4)" test $? = 4
check "saying the log was cut" grep -q "a checkpoint of 20 exists: the log was cut" err

# Deleting evidence is itself evidence: with checkpoint_every set, the
# checkpoint of the last multiple must be there; a MAC'd log must have its
# key state.
export BRAIN_STATE_DIR="$PWD/state-evidence"
brain-audit init --origin=test/evidence --mac | sed 's/.*"k1":"\([0-9a-f]*\)".*/\1/' > k1
brain config set audit.checkpoint_key "$PWD/signing" > /dev/null
brain config set audit.checkpoint_every 5 > /dev/null
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do brain-audit log "e$i" CALL OK > /dev/null; done
brain-audit verify --key=k1 --pubkey=signing.pub > report
check "the MAC'd log with its checkpoints verifies" grep -q '"ok":true' report
rm -r "$BRAIN_STATE_DIR/checkpoints"
brain-audit verify --key=k1 --pubkey=signing.pub > report
check "deleting checkpoints/ alone is found: checkpoint_missing" \
	grep -q '"ok":false,"error":"checkpoint_missing","seq":15,' report
brain-verify > report
check "and brain-verify fails" test $? = 1
brain-audit checkpoint --key="$PWD/signing" > /dev/null
brain-audit verify --key=k1 --pubkey=signing.pub > report
check "a checkpoint signed again covers it" grep -q '"ok":true' report
mv "$BRAIN_STATE_DIR/audit.key" key.saved
brain-audit verify --key=k1 --pubkey=signing.pub > report
check "deleting the key state of a MAC'd log is found: key_state_missing" \
	grep -q '"ok":false,"error":"key_state_missing"' report
mv key.saved "$BRAIN_STATE_DIR/audit.key"
# The attack of the report: cut the log, delete the later checkpoints and
# the key state.
head -n 9 "$BRAIN_STATE_DIR/audit.log" > cut.log && cat cut.log > "$BRAIN_STATE_DIR/audit.log"
rm -f "$BRAIN_STATE_DIR"/checkpoints/0000000000000000001* "$BRAIN_STATE_DIR/audit.key"
brain-audit verify --key=k1 --pubkey=signing.pub > report
check "a cut log with its later checkpoints and key state deleted fails" \
	grep -q '"ok":false' report
