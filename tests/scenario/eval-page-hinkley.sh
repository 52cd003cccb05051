# brain-eval watch with its defaults: Page-Hinkley scaled to the series.
# Thirty series of stationary noise (sd 0.05) rarely page anyone; three
# with a real drop of 2 sd all do, after the drop.  The outcomes are
# tests/data/eval-stationary.jsonl (made by eval-stationary.py there).
. "$TOP/tests/scenario/lib.sh"
set -u

brain-eval record "$TOP/tests/data/eval-stationary.jsonl" > /dev/null
check "the outcomes are recorded" test "$(brain-eval list | wc -l)" = 33
alarms=0
fixed=0
for k in $(seq -w 1 30); do
	brain-eval watch --metric="noise-$k" > /dev/null
	[ $? = 1 ] && alarms=$((alarms + 1))
	brain-eval watch --metric="noise-$k" --delta=0.005 --lambda=0.1 > /dev/null
	[ $? = 1 ] && fixed=$((fixed + 1))
done
echo "note: $alarms of 30 stationary series alarm with the defaults, $fixed with delta 0.005 lambda 0.1"
check "stationary noise: at most 2 of 30 alarm" test "$alarms" -le 2
check "  while fixed delta 0.005 lambda 0.1 alarm on most" test "$fixed" -ge 20
for k in 1 2 3; do
	brain-eval watch --metric="drop-$k" > watch
	check "drop-$k: the watch exits 1" test $? = 1
	at=$(sed -n 's/.*"change_index":\([0-9]*\).*/\1/p' watch)
	check "  at point ${at:-none}, after the drop at 21" test "${at:-0}" -gt 20
done
# The same through the settings: eval.lambda given is used as given.
brain config set eval.lambda 100 > /dev/null
brain-eval watch --metric=drop-1 > watch
check "eval.lambda 100 in config: no alarm" test $? = 0
check "  and the threshold is 100" grep -q '"threshold":100}' watch
