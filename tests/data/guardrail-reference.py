#!/usr/bin/python3
"""Reference values of brain-ab's guardrail interval for
tests/unit/test_ab_window.c, written out here with the standard library
and scipy, independent of GSL and of lib/pure.

Agresti & Caffo (2000): one event and one non-event are added to each arm,
  p~ = (x + 1)/(n + 2),  d = p~_w - p~_c,
  se = sqrt(p~_w (1 - p~_w)/(n_w + 2) + p~_c (1 - p~_c)/(n_c + 2));
the interval is the always-valid confidence sequence of the winner rule
(../shared/spec/statistics.md) on d and se, with N = n_w + n_c + 4 (the
adjusted trials), at level a = alpha/(k - 1) (k = 2 here), tuning N*:
  l = -2 ln a, rho^2 = (l + ln(l + 1))/N*,
  half = se sqrt(N) sqrt(2 (rho^2 N + 1)/(N^2 rho^2) ln(sqrt(rho^2 N + 1)/a)).
The raw difference reported is x_w/n_w - x_c/n_c.

Run: /usr/bin/python3 tests/data/guardrail-reference.py > tests/data/guardrail-vectors.jsonl
"""
import json
from math import log, sqrt

# (trials, conversions, guardrail events) of the control and the winner,
# alpha, tuning
CASES = [((3000, 300, 30), (3000, 450, 150), 0.05, 5000),
         ((400, 40, 4), (400, 120, 4), 0.05, 5000),
         ((4400, 440, 44), (4400, 880, 66), 0.05, 5000),
         ((1000, 100, 0), (1000, 160, 0), 0.05, 5000),
         ((20000, 2000, 100), (18000, 2300, 150), 0.01, 40000)]

for (nc, xc, gc), (nw, xw, gw), alpha, tuning in CASES:
    pw, pc = (gw + 1) / (nw + 2), (gc + 1) / (nc + 2)
    d = pw - pc
    se = sqrt(pw * (1 - pw) / (nw + 2) + pc * (1 - pc) / (nc + 2))
    n = nw + nc + 4
    l = -2 * log(alpha)
    rho2 = (l + log(l + 1)) / tuning
    half = se * sqrt(n) * sqrt(2 * (rho2 * n + 1) / (n * n * rho2) * log(sqrt(rho2 * n + 1) / alpha))
    print(json.dumps({"control": [nc, xc, gc], "winner": [nw, xw, gw], "alpha": alpha,
                      "tuning": tuning, "diff": gw / nw - gc / nc, "low": d - half,
                      "high": d + half, "source": "Agresti-Caffo, confidence sequence in Python"}))
