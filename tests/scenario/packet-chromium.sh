# The HTML packet renders in headless Chromium: the page's text is there
# after rendering, and the screenshot is not a blank page.
. "$TOP/tests/scenario/lib.sh"
set -u
export BRAIN_NOW=2026-11-28T12:00:00Z

echo '{"name":"12 Elm St <b>&</b>","sqft":1450,"comps":[{"price":252000,"sqft":1400},{"price":268000,"sqft":1520},{"price":251000,"sqft":1380}],"repairs":45000,"assignment_fee":12000,"asking_price":140000}' |
	brain-packet build > built
id=$(sed 's/{"packet_id":"\([^"]*\)".*/\1/' built)
brain-packet show "$id" --format=html > packet.html
# Chromium wants a home it can write and no sandbox when run as root.
export HOME="$PWD"
chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/packet.html" > dom 2> /dev/null
check "Chromium renders the page" grep -q '<h1>12 Elm St &lt;b&gt;&amp;&lt;/b&gt;</h1>' dom
check "with the deal math" grep -q '\$125,700' dom
blank=$PWD/blank.html
printf '<!DOCTYPE html><html><body></body></html>\n' > "$blank"
chromium --headless --no-sandbox --disable-gpu --window-size=800,1000 \
	--screenshot="$PWD/packet.png" "file://$PWD/packet.html" > /dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --window-size=800,1000 \
	--screenshot="$PWD/blank.png" "file://$blank" > /dev/null 2>&1
check "a screenshot is taken" test -s packet.png
check "and it is not a blank page" test "$(wc -c < packet.png)" -gt $(( $(wc -c < blank.png) * 3 ))

# The buyer view renders too: the complete deal of tests/data/packet-leads.jsonl
# shows its property, its comps (the outlier flagged) and the price to
# the buyer, and none of the internal figures: the MAO, the buyer's
# maximum price, the fee and its headroom, the asking and contract price,
# the closing, holding and selling costs and the buyer's profit.
head -n 1 "$TOP/tests/data/packet-leads.jsonl" | brain-packet build > built
id=$(sed 's/{"packet_id":"\([^"]*\)".*/\1/' built)
brain-packet show "$id" --view=buyer --format=html > buyer.html
chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/buyer.html" > dom 2> /dev/null
check "Chromium renders the buyer view, titled by the address" \
	grep -q '<h1>12 Elm St, Tampa, FL 33602</h1>' dom
check "with the comps and the price to the buyer" \
	sh -c 'grep -q "3 Harbor Ct" dom && grep -q "\$122,000" dom && grep -q "\$261,000" dom'
check "and none of the internal figures, nor the seller" \
	sh -c '! grep -q -e "\$125,700" -e "\$137,700" -e "\$12,000" -e "\$15,700" -e "\$118,000" \
		-e "\$110,000" -e "\$7,830" -e "\$10,440" -e "\$20,880" -e "\$39,150" -e "Maria Lopez" dom'
