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
check "with the deal math" grep -q '\$125,091' dom
blank=$PWD/blank.html
printf '<!DOCTYPE html><html><body></body></html>\n' > "$blank"
chromium --headless --no-sandbox --disable-gpu --window-size=800,1000 \
	--screenshot="$PWD/packet.png" "file://$PWD/packet.html" > /dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --window-size=800,1000 \
	--screenshot="$PWD/blank.png" "file://$blank" > /dev/null 2>&1
check "a screenshot is taken" test -s packet.png
check "and it is not a blank page" test "$(wc -c < packet.png)" -gt $(( $(wc -c < blank.png) * 3 ))

# The buyer view renders too: the property and the price to the buyer are
# there, and none of the internal figures (MAO, fee, asking price).
echo '{"name":"Seller Name","address":"12 Elm St","sqft":1450,"comps":[{"address":"40 Oak Ave","price":252000,"sqft":1400},{"price":268000,"sqft":1520},{"price":251000,"sqft":1380}],"repairs":45000,"assignment_fee":12000,"asking_price":140000,"contract_price":110000}' |
	brain-packet build > built
id=$(sed 's/{"packet_id":"\([^"]*\)".*/\1/' built)
brain-packet show "$id" --view=buyer --format=html > buyer.html
chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/buyer.html" > dom 2> /dev/null
check "Chromium renders the buyer view, titled by the address" grep -q '<h1>12 Elm St</h1>' dom
check "with the comps and the price to the buyer" sh -c 'grep -q "40 Oak Ave" dom && grep -q "\$122,000" dom'
check "and none of the MAO, the fee, the asking or contract price, the seller" \
	sh -c '! grep -q -e "\$125,091" -e "\$12,000" -e "\$140,000" -e "\$110,000" -e "Seller Name" dom'
