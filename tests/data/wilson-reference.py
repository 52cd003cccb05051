#!/usr/bin/python3
"""Reference Wilson score intervals for tests/unit/test_score.c and
tests/unit/test_compare.c (brain-score's *_low and *_high fields), from
statsmodels' proportion_confint(method='wilson'), independent of GSL and
of lib/pure/stats.c; scipy's binomtest(...).proportion_ci(method='wilson')
must agree.

Run: /usr/bin/python3 tests/data/wilson-reference.py > tests/data/wilson-reference.jsonl
"""
import json

from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

CASES = [(0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.95), (10, 10, 0.95), (7, 10, 0.95),
         (2, 3, 0.95), (1, 2, 0.95), (45, 50, 0.95), (17, 20, 0.90), (999, 1000, 0.99),
         (3, 1000, 0.95), (250, 400, 0.95), (1, 4, 0.99), (8, 10, 0.95)]

for x, n, level in CASES:
    low, high = proportion_confint(x, n, alpha=1 - level, method='wilson')
    ci = binomtest(x, n).proportion_ci(confidence_level=level, method='wilson')
    assert abs(ci.low - low) < 1e-12 and abs(ci.high - high) < 1e-12, (x, n, ci, low, high)
    print(json.dumps({"kind": "wilson", "x": x, "n": n, "level": level, "low": low,
                      "high": high, "source": "statsmodels proportion_confint wilson; "
                      "scipy binomtest proportion_ci wilson"}))
