# Concurrent writers serialise on the lock: 8 writers x 500 records give
# 4000 records with seq contiguous and the chain intact.
. "$TOP/tests/scenario/lib.sh"
set -u

brain-audit init > /dev/null
w=1
while [ "$w" -le 8 ]; do
	(
		i=1
		while [ "$i" -le 500 ]; do
			# Single records and small batches, interleaved.
			if [ $((i % 50)) -eq 0 ]; then
				printf '{"subject":"w%d","action":"BATCH","status":"OK"}\n' "$w" |
					brain-audit log - >> "acks.$w" || echo "writer $w failed" >> errors
			else
				brain-audit log "w$w" WRITE OK --detail="{\"i\":$i}" >> "acks.$w" ||
					echo "writer $w failed" >> errors
			fi
			i=$((i + 1))
		done
	) &
	w=$((w + 1))
done
wait

check "no writer failed" test ! -s errors
check "4000 records and the header" test "$(wc -l < state/audit.log)" = 4001
check "4000 acknowledgements" test "$(cat acks.* | wc -l)" = 4000
seqs=$(sed 's/.*"seq":\([0-9]*\),"ts".*/\1/' state/audit.log | tr '\n' ' ')
check "seq is 1..4001, in order" test "$seqs" = "$(seq 1 4001 | tr '\n' ' ')"
brain-audit verify > report
check "the chain is intact" grep -q '"ok":true,"size":4001,' report
# Every acknowledged hash is the hash of the line at its seq.
cat acks.* | sed 's/{"seq":\([0-9]*\),"hash":"\([0-9a-f]*\)".*/\1 \2/' | sort -n > acked
bad=0
while read -r seq hash; do
	[ "$(sed -n "${seq}p" state/audit.log | sha256sum | cut -c1-64)" = "$hash" ] || bad=$((bad + 1))
done < acked
check "every acknowledgement names its record" test "$bad" = 0
