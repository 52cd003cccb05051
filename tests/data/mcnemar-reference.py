#!/usr/bin/python3
"""Reference values of the paired comparison (brain-score compare) for
tests/unit/test_stats.c and tests/unit/test_compare.c, from scipy and
statsmodels, independent of GSL and of lib/pure/stats.c:

- "mcnemar": the exact McNemar test of discordant pairs b (only the
  baseline passed) and c (only the candidate passed): the two-sided
  exact binomial p of min(b, c) in b + c trials at 1/2, from
  scipy.stats.binomtest; statsmodels' mcnemar(exact=True) must agree.
- "newcombe": the interval of the paired difference p2 - p1 (candidate
  minus baseline) by Newcombe's method 10 (Statistics in Medicine 17
  (1998) 2635-2650), written out here over statsmodels' Wilson intervals
  (proportion_confint(method='wilson')) of the two margins.

Run: /usr/bin/python3 tests/data/mcnemar-reference.py > tests/data/mcnemar-reference.jsonl
"""
import json
from math import sqrt

from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

# (b, c): discordant pairs, small, tied, one-sided, zero and large.
MCNEMAR = [(0, 0), (1, 0), (0, 1), (3, 3), (5, 1), (1, 5), (10, 2), (2, 10), (7, 0),
           (12, 4), (25, 14), (40, 60), (0, 30), (137, 101), (500, 560), (1, 19)]

for b, c in MCNEMAR:
    p = binomtest(min(b, c), b + c, 0.5).pvalue if b + c > 0 else 1.0
    sm = mcnemar([[0, b], [c, 0]], exact=True).pvalue if b + c > 0 else 1.0
    assert abs(p - sm) < 1e-12, (b, c, p, sm)
    print(json.dumps({"kind": "mcnemar", "b": b, "c": c, "p": p,
                      "source": "scipy.stats.binomtest; statsmodels mcnemar exact"}))

# (a, b, c, d): both pass, only the baseline, only the candidate, neither.
NEWCOMBE = [((36, 12, 2, 0), 0.95), ((8, 3, 1, 8), 0.95), ((50, 0, 0, 0), 0.95),
            ((40, 2, 9, 9), 0.95), ((10, 5, 5, 10), 0.90), ((0, 0, 3, 7), 0.95),
            ((120, 14, 31, 35), 0.99), ((4, 6, 0, 0), 0.95)]

for (a, b, c, d), level in NEWCOMBE:
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = proportion_confint(a + b, n, alpha=1 - level, method='wilson')
    l2, u2 = proportion_confint(a + c, n, alpha=1 - level, method='wilson')
    den = (a + b) * (c + d) * (a + c) * (b + d)
    phi = (a * d - b * c) / sqrt(den) if den > 0 else 0.0
    diff = p2 - p1
    low = diff - sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    high = diff + sqrt(max(0.0, (u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2))
    print(json.dumps({"kind": "newcombe", "a": a, "b": b, "c": c, "d": d, "level": level,
                      "difference": diff, "low": low, "high": high,
                      "source": "statsmodels proportion_confint wilson; Newcombe 1998 method 10"}))
