#!/usr/bin/python3
"""Reference values of the deal math of brain-packet for
tests/unit/test_deal.c, written out here from brain-packet(1)'s rules with
Python's statistics.median, independent of lib/pure/deal.c:

  ppsf      price / sqft of each comp that has both
  outlier   |ppsf - m| > share * m, m the median of all of them; none with
            fewer than 3, and none when half of them or more would be
  ARV       the lead's arv, else round(median of the others' ppsf * sqft)
  stack     repairs (else 0), closing, holding, selling (else rate * ARV),
            profit (else (1 - rule - the three rates) * ARV, 0 if below),
            each rounded to dollars, halves away from zero
  buyer max ARV - the stack;  MAO  buyer max - fee

Run: /usr/bin/python3 tests/data/deal-reference.py > tests/data/deal-vectors.jsonl
"""
import json
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

RATES = {"closing_costs": 0.03, "holding_costs": 0.04, "selling_costs": 0.08}

# (lead, rule, outlier share)
CASES = [
    # The worked example of brain-packet(1): no outlier, median 180.00.
    ({"sqft": 1450, "comps": [[252000, 1400], [268000, 1520], [251000, 1380]],
      "repairs": 45000, "assignment_fee": 12000}, 0.70, 0.25),
    # One renovated sale far above the rest: left out.
    ({"sqft": 1450, "comps": [[252000, 1400], [268000, 1520], [251000, 1380], [410000, 1500]],
      "repairs": 45000, "assignment_fee": 12000}, 0.70, 0.25),
    # An even count of the rest, and a low outlier.
    ({"sqft": 1210, "comps": [[199000, 1100], [205500, 1150], [61000, 1000], [214900, 1180],
                              [188000, 1090]], "repairs": 31500, "assignment_fee": 9000},
     0.70, 0.25),
    # Bimodal: half are far off, so none is flagged.
    ({"sqft": 1000, "comps": [[100000, 1000], [100000, 1000], [200000, 1000], [200000, 1000]],
      "repairs": 10000}, 0.70, 0.25),
    # Two comps: too few to tell an outlier.
    ({"sqft": 900, "comps": [[58000, 1000], [52000, 950]], "repairs": 60000}, 0.70, 0.25),
    # Costs given in dollars, a stricter share and another rule.
    ({"sqft": 1733, "comps": [[301000, 1650], [289900, 1600], [335000, 1800], [240000, 1700],
                              [318500, 1720]],
      "repairs": 52250, "closing_costs": 6100, "holding_costs": 8800, "assignment_fee": 15000},
     0.75, 0.10),
    # ARV given: the comps only check it; profit given.
    ({"arv": 300000, "sqft": 1500, "comps": [[270000, 1500], [276000, 1500], [282000, 1500]],
      "repairs": 40000, "buyer_profit": 30000, "assignment_fee": 10000}, 0.65, 0.25),
    # A rule that leaves no profit after the rates.
    ({"arv": 123457, "repairs": 1234}, 0.90, 0.25),
]


def dollars(v):
    return int(Decimal(v).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def outliers(ppsf, share):
    if len(ppsf) < 3:
        return [False] * len(ppsf)
    m = median(ppsf)
    flags = [abs(v - m) > share * m for v in ppsf]
    if 2 * sum(flags) >= len(ppsf):
        return [False] * len(ppsf)
    return flags


def deal(lead, rule, share):
    ppsf = [p / s for p, s in lead.get("comps", [])]
    flags = outliers(ppsf, share)
    kept = [v for v, f in zip(ppsf, flags) if not f]
    comps_arv = dollars(median(kept) * lead["sqft"]) if kept and "sqft" in lead else None
    arv = dollars(lead["arv"]) if "arv" in lead else comps_arv
    profit_rate = max(0.0, 1 - rule - sum(RATES.values()))
    stack = {"repairs": dollars(lead.get("repairs", 0))}
    for name, rate in RATES.items():
        stack[name] = dollars(lead[name]) if name in lead else dollars(rate * arv)
    stack["buyer_profit"] = (dollars(lead["buyer_profit"]) if "buyer_profit" in lead
                             else dollars(profit_rate * arv))
    buyer_max = arv - sum(stack.values())
    out = {"outliers": flags, "arv": arv, "buyer_max_price": buyer_max,
           "mao": buyer_max - dollars(lead.get("assignment_fee", 0))}
    if kept:
        out["price_per_sqft"] = median(kept)
    if comps_arv is not None:
        out["arv_from_comps"] = comps_arv
    out.update(stack)
    return out


for lead, rule, share in CASES:
    line = {"lead": dict(lead, comps=[{"price": p, "sqft": s} for p, s in lead.get("comps", [])]),
            "rule": rule, "outlier_share": share}
    if not lead.get("comps"):
        del line["lead"]["comps"]
    line.update(deal(lead, rule, share))
    line["source"] = "python3 statistics.median"
    print(json.dumps(line, sort_keys=True))
