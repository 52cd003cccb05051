# The recipe of brain-audit(1) checks a log the toolkit wrote, with MACs
# and a checkpoint, using only coreutils and openssl; it catches an edit.
. "$TOP/tests/scenario/lib.sh"
set -u

# The recipe tested is the one in the manual page, word for word.
sed -n '/^\.\\" recipe-begin$/,/^\.\\" recipe-end$/p' "$TOP/man/brain-audit.1" |
	sed -e '1,2d' -e '$d' | sed -e '$d' \
	    -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\e/\\/g' > recipe.sh
check "the man page recipe is tests/audit/recipe.sh" cmp -s recipe.sh "$TOP/tests/audit/recipe.sh"

brain-audit init --mac --origin=host/brain/prod | sed 's/.*"k1":"\([0-9a-f]*\)".*/\1/' > k1
brain-audit keygen --out=signing > /dev/null
i=1
while [ "$i" -le 30 ]; do
	brain-audit log "clone_$i" DEPLOYMENT SUCCESS --detail='{"target":"production","note":"caf\u00e9"}' > /dev/null
	i=$((i + 1))
done
brain-audit checkpoint --key=signing > note
brain-audit log clone_x ROLLBACK SUCCESS > /dev/null

mkdir auditor
cp state/audit.log note k1 auditor/
cp signing.pub auditor/pub.pem
(cd auditor && PATH=/usr/bin:/bin sh ../recipe.sh) > out 2>&1
check "the recipe finds the log intact" grep -q '^intact: 32 records, checkpoint at 31$' out

sed -i '12s/SUCCESS/FAILURE/' auditor/audit.log
rm -f auditor/rec.*
(cd auditor && PATH=/usr/bin:/bin sh ../recipe.sh) > out 2>&1
check "the recipe catches an edited record" grep -q '^record 12: bad MAC$' out
check "and exits non-zero" test "$(cd auditor && rm -f rec.* && PATH=/usr/bin:/bin sh ../recipe.sh > /dev/null 2>&1; echo $?)" != 0
