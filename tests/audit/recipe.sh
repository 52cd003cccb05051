# Check an audit log with coreutils and openssl only.
# In: audit.log, k1 (K1 in hex, kept by the auditor since init),
#     pub.pem (the checkpoint public key), note (a checkpoint).
split -l 1 -a 8 -d audit.log rec.
prev=0000000000000000000000000000000000000000000000000000000000000000
key=$(cat k1)
seq=0
for f in rec.*; do
  seq=$((seq + 1))
  # the chain: bytes 83-146 are the SHA-256 of the line before
  [ "$(cut -c83-146 "$f")" = "$prev" ] || { echo "record $seq: chain broken"; exit 1; }
  prev=$(sha256sum < "$f" | cut -c1-64)
  # the MAC of bytes 75 to the end, under the key of this position
  mk=$(printf 'brain-audit mac' | openssl mac -digest SHA256 -macopt hexkey:"$key" HMAC)
  mac=$(cut -c75- "$f" | openssl mac -digest SHA256 -macopt hexkey:"$mk" HMAC |
        tr A-F a-f)
  [ "$(cut -c9-72 "$f")" = "$mac" ] || { echo "record $seq: bad MAC"; exit 1; }
  key=$(printf 'brain-audit evolve' | openssl mac -digest SHA256 \
        -macopt hexkey:"$key" HMAC)
done
# the checkpoint: its signature, then its chain hash against the log
head -n 4 note > body
sed -n 6p note | cut -d' ' -f3 | base64 -d | tail -c 64 > sig
openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in body -sigfile sig ||
  { echo "checkpoint: bad signature"; exit 1; }
n=$(sed -n 2p note)
want=$(sed -n 4p note | cut -d' ' -f2)
have=$(sed -n "${n}p" audit.log | sha256sum | cut -c1-64)
[ "$want" = "$have" ] || { echo "checkpoint: log differs at $n"; exit 1; }
echo "intact: $seq records, checkpoint at $n"
