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
