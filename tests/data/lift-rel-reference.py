#!/usr/bin/python3
"""Reference intervals of the relative lift for tests/unit/test_ab.c: the
delta method for p_B / p_A - 1 with binomial variances, written out here
with scipy's normal quantile, independent of GSL and of lib/pure/ab.c.

Var = p_B (1 - p_B) / (n_B p_A^2) + p_B^2 p_A (1 - p_A) / (n_A p_A^4)

Run: /usr/bin/python3 tests/data/lift-rel-reference.py > tests/data/lift-rel-vectors.jsonl
"""
import json
from math import sqrt

from scipy.stats import norm

CASES = [((100, 1000), (150, 1000), 0.05), ((30, 400), (45, 380), 0.05),
         ((500, 5000), (480, 5000), 0.01), ((12, 100), (30, 90), 0.10)]

for (xa, na), (xb, nb), alpha in CASES:
    pa, pb = xa / na, xb / nb
    se = sqrt(pb * (1 - pb) / (nb * pa ** 2) + pb ** 2 * pa * (1 - pa) / (na * pa ** 4))
    z = norm.ppf(1 - alpha / 2)
    rel = pb / pa - 1
    print(json.dumps({"control": [xa, na], "variant": [xb, nb], "alpha": alpha,
                      "lift_rel": rel, "lift_rel_low": rel - z * se,
                      "lift_rel_high": rel + z * se, "source": "scipy.stats.norm"}))
