#!/usr/bin/python3
"""Reference sample sizes for tests/unit/test_plan.c, from statsmodels
(NormalIndPower on Cohen's h, two-sided, equal arms), independent of GSL.

Run: /usr/bin/python3 tests/data/plan-reference.py > tests/data/plan-vectors.jsonl
"""
import json

from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

CASES = [(0.10, 0.2, 0.05, 0.8), (0.10, 0.5, 0.05, 0.8), (0.05, 0.1, 0.05, 0.9),
         (0.30, 0.05, 0.01, 0.8), (0.02, 0.25, 0.10, 0.8), (0.50, -0.1, 0.05, 0.95)]

for baseline, mde, alpha, power in CASES:
    h = proportion_effectsize(baseline * (1 + mde), baseline)
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1,
                                     alternative="two-sided")
    print(json.dumps({"baseline": baseline, "mde": mde, "alpha": alpha, "power": power,
                      "n_per_arm": n, "source": "statsmodels NormalIndPower"}))
