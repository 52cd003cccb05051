# brain report --html over the integrated example's state (what `make
# demo` builds), with a week of daily events for both experiment kinds and
# an eval alarm: the page renders in headless Chromium with a rate chart
# and a lift chart per experiment kind and a chart per eval metric, each
# with points drawn, the alarm marked, and the figures the JSON lines
# give, as the page prints them.  The screenshot is kept as an artifact
# in $RESULTS_DIR/artifacts/ (a directory, which tests/summary does not
# count as a layer; RESULTS_DIR relative to the top, as make gives it),
# else here.
. "$TOP/tests/scenario/lib.sh"
set -u

if ! command -v chromium > /dev/null 2>&1; then
	echo "note: report-html-chromium: no chromium installed (scripts/install-deps.sh): skipped"
	exit 0
fi

sh "$TOP/scripts/examples/31-integrated-workflow.sh" > example.out 2>&1
check "the integrated example builds its state" test $? = 0

# A week of daily tallies for each kind, one batch a day as cron sends
# them, and the values of the deals the channels brought.
for d in 21 22 23 24 25 26 27; do
	printf '{"variant":"Email","trials":400,"conversions":%d,"value":%d,"day":"2026-11-%s"}\n' \
		$((28 + d % 5)) $((30000 + d * 100)) "$d"
	printf '{"variant":"Phone","trials":400,"conversions":%d,"value":%d,"day":"2026-11-%s"}\n' \
		$((52 + d % 7)) $((52000 + d * 100)) "$d"
	printf '{"variant":"High-Energy","trials":200,"conversions":%d,"day":"2026-11-%s"}\n' \
		$((34 + d % 3)) "$d"
	printf '{"variant":"Low-Pressure","trials":200,"conversions":%d,"day":"2026-11-%s"}\n' \
		$((22 + d % 4)) "$d"
done > week.jsonl
brain-ab track --batch=week week.jsonl > /dev/null
check "a week of events is tracked" test $? = 0
# An outcome series that falls (brain-eval watch raises its alarm), and a
# second metric, so that there is a chart per metric.
for x in 0.9 0.91 0.9 0.92 0.91 0.9 0.6 0.55 0.5 0.52 0.5; do
	brain-eval record "$x" --label=week > /dev/null || echo "FAIL recording $x"
done
for x in 0.8 0.82 0.84; do
	brain-eval record --metric=clone:clone_alpha "$x" > /dev/null || echo "FAIL recording $x"
done
brain-eval watch > /dev/null
check "brain-eval watch raises the alarm" test $? = 1

find state -type f -exec sha256sum {} + | sort > before
brain report --html=report.html 2> report.err
check "brain report writes the page, alarm and all (exit 0)" test $? = 0
check "and says nothing on stderr" test ! -s report.err
find state -type f -exec sha256sum {} + | sort > after
check "it changes nothing in the state" cmp -s before after

# Chromium wants a home it can write and no sandbox when run as root.
export HOME="$PWD"
chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/report.html" > dom 2> /dev/null
check "Chromium renders the page" grep -q '<h1>brain report</h1>' dom

kinds=$(brain status | grep -c '^{"section":"experiment","experiment"')
metrics=$(brain-eval list | grep -c '"metric"')
check "two experiment kinds and two metrics to chart" test "$kinds.$metrics" = 2.2
check "a rate chart per experiment kind" test "$(grep -o '<svg class="chart rate"' dom | wc -l)" = "$kinds"
check "a lift chart per experiment kind" test "$(grep -o '<svg class="chart lift"' dom | wc -l)" = "$kinds"
check "a chart per eval metric" test "$(grep -o '<svg class="chart eval"' dom | wc -l)" = "$metrics"
# Each chart has a line with points in it (the DOM puts an element on a
# line of its own or not: join it all, then split at each chart).
tr '\n' ' ' < dom | sed 's/<svg /\n<svg /g' | grep '^<svg class="chart' | sed 's/<\/svg>.*//' > charts
check "every chart is drawn" test "$(wc -l < charts)" = $((2 * kinds + metrics))
check "and each has a line through its points" test "$(grep -c '<polyline [^>]*points="[0-9.]*,[0-9.]* [0-9.]*,[0-9.]*' charts)" = $((2 * kinds + metrics))
check "the lift charts shade the always-valid band" test "$(grep '"chart lift"' charts | grep -c '<polygon class="band')" = "$kinds"
check "the outcome chart marks the alarm points red" sh -c 'grep "aria-label=\"outcome:" charts | grep -q "<circle class=\"alarm\""'
check "the caption says where the alarm starts" grep -q 'outcome: 13 outcomes, declining; page-hinkley in alarm from point [0-9]' dom

# The figures: Phone's trials and rate as brain-ab report gives them, as
# the page prints them (a count whole, a rate to four decimals).
brain-ab report --kind=channel > report.jsonl
phone=$(grep '"variant_name":"Phone"' report.jsonl)
trials=$(printf '%s\n' "$phone" | sed 's/.*"trials":\([0-9]*\),.*/\1/')
rate=$(printf '%s\n' "$phone" | sed 's/.*"rate":\([0-9.e-]*\),.*/\1/')
value=$(printf '%s\n' "$phone" | sed 's/.*"value_mean":\([0-9.e-]*\),.*/\1/')
shown_rate=$(printf '%.4f' "$rate")
shown_value=$(printf '%.2f' "$value")
check "Phone's trials ($trials) are on the page" grep -q "<tr><td>Phone</td><td class=\"n\">$trials</td>" dom
check "so is its rate, $shown_rate" grep -q "<td class=\"n\">$shown_rate</td>" dom
check "and its revenue per lead, $shown_value" grep -q "<td class=\"n\">$shown_value</td>" dom
check "the decision is there" grep -q 'Decision: <strong>winner</strong>, leader Phone' dom
check "so is the gate decision" grep -q '<td>clone_alpha</td><td><strong>PROMOTE</strong></td>' dom
check "and the serving model version" grep -q '<tr class="current"><td>lead-scorer@1</td><td>serving</td>' dom

# The artifact: a screenshot of the page, not a blank one.
shots=$PWD
if [ -n "${RESULTS_DIR:-}" ]; then
	case $RESULTS_DIR in /*) shots=$RESULTS_DIR/artifacts ;; *) shots=$TOP/$RESULTS_DIR/artifacts ;; esac
fi
mkdir -p "$shots"
printf '<!DOCTYPE html><html><body></body></html>\n' > blank.html
chromium --headless --no-sandbox --disable-gpu --window-size=900,3000 \
	--screenshot="$shots/report-html.png" "file://$PWD/report.html" > /dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --window-size=900,3000 \
	--screenshot="$PWD/blank.png" "file://$PWD/blank.html" > /dev/null 2>&1
check "a screenshot is taken" test -s "$shots/report-html.png"
check "and it is not a blank page" \
	test "$(wc -c < "$shots/report-html.png")" -gt $(( $(wc -c < blank.png) * 3 ))
echo "note: report-html-chromium: screenshot in $shots/report-html.png"
