#!/usr/bin/env python3
"""Reference values of P(arm i has the largest rate) for
tests/unit/test_stats.c, from mpmath at 30 digits, independent of GSL:
P_i = int_0^1 f_i(x) prod_{j != i} I_x(a_j, b_j) dx for Beta(1 + s, 1 + n - s)
posteriors, by tanh-sinh quadrature split at every arm's mean +/- 1, 3,
6, 10 and 20 sd.

Run: python3 tests/data/prob-best-reference.py > tests/data/prob-best-vectors.jsonl
(some minutes; "... 5 6" prints only those cases, counted from 0).
"""
import json
import sys
from mpmath import mp, mpf, betainc, beta as B, quad, sqrt

mp.dps = 30

CASES = [
    ("three arms of 100 (the shared vector)", [[10, 100], [15, 100], [12, 100]]),
    ("two equal arms", [[50, 500], [50, 500]]),
    ("five arms of 1,000", [[90, 1000], [101, 1000], [95, 1000], [110, 1000], [99, 1000]]),
    ("a clear winner", [[100, 1000], [200, 1000], [150, 1000]]),
    ("no conversions yet", [[0, 50], [1, 50], [0, 10]]),
    ("wide and narrow arms", [[2, 20], [210, 2000], [19, 180]]),
    ("six arms of 300", [[24 + 3 * i, 300] for i in range(6)]),
]


def prob_best(arms):
    ab = [(mpf(1 + s), mpf(1 + n - s)) for s, n in arms]
    cuts = {mpf(0), mpf(1)}
    for a, b in ab:
        mean, sd = a / (a + b), sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        for c in (1, 3, 6, 10, 20):
            for x in (mean - c * sd, mean + c * sd):
                if 0 < x < 1:
                    cuts.add(x)
        cuts.add(mean)
    cuts = sorted(cuts)
    out = []
    for i, (a, b) in enumerate(ab):
        def f(x, i=i, a=a, b=b):
            v = x ** (a - 1) * (1 - x) ** (b - 1) / B(a, b)
            for j, (aj, bj) in enumerate(ab):
                if j != i:
                    v *= betainc(aj, bj, 0, x, regularized=True)
            return v
        out.append(quad(f, cuts))
    return out


chosen = [int(a) for a in sys.argv[1:]] or range(len(CASES))
for note, arms in (CASES[i] for i in chosen):
    p = prob_best(arms)
    print(json.dumps({"method": "prob_best_beta_arms", "note": note,
                      "inputs": {"arms_successes_trials": arms, "prior": [1, 1]},
                      "expected": {"prob_best": [float(v) for v in p]},
                      "source": "mpmath quad, 30 digits",
                      "tolerance": 1e-9}))
