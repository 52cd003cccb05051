#!/usr/bin/python3
"""Reference values of the expected loss E[(p_A - p_B)+] of two Beta
posteriors, for tests/unit/test_stats.c: loss-vectors.jsonl.

Computed by scipy as the integral
    int_0^1 f_A(t) (t I_t(a_B, b_B) - mean_B I_t(a_B + 1, b_B)) dt
by adaptive quadrature (QUADPACK's qagp) over panels of two sd around
A's mass, with the regularized incomplete Beta function of scipy.special
(Cephes: an implementation independent of GSL and of the sums brain uses
for whole parameters).  Both are good to about 1e-13 absolute here.  Run: tests/data/loss-reference.py
> tests/data/loss-vectors.jsonl
"""
import json

import numpy as np
from scipy import integrate, special, stats

CASES = [
    (1, 1, 2, 1), (2, 2, 2, 2), (11, 91, 16, 86), (16, 86, 11, 91),
    (50, 52, 52, 50), (1, 51, 3, 49), (93, 909, 101, 901),
    (101, 901, 93, 909), (2398, 5404, 34, 168), (34, 168, 2398, 5404),
    (301, 701, 352, 650), (352, 650, 301, 701), (961, 9041, 1001, 9001),
    (1201, 1801, 1401, 1601), (1401, 1601, 1201, 1801),
    (3001, 7001, 3100, 6902), (10.5, 90.5, 12.25, 88.75),
    (201, 801, 261, 741), (5, 3, 1, 9),
]


def loss(aa, ba, ab, bb):
    mean_b = ab / (ab + bb)

    def f(t):
        inner = t * special.betainc(ab, bb, t) - mean_b * special.betainc(ab + 1, bb, t)
        return stats.beta.pdf(t, aa, ba) * max(0.0, inner)

    mean = aa / (aa + ba)
    sd = np.sqrt(aa * ba / ((aa + ba) ** 2 * (aa + ba + 1)))
    lo, hi = max(0.0, mean - 40 * sd), min(1.0, mean + 40 * sd)
    cuts = [mean + k * sd for k in range(-40, 41, 2)]
    pts = [c for c in cuts if lo < c < hi]
    value, _ = integrate.quad(f, lo, hi, points=pts, epsabs=1e-15, epsrel=1e-13,
                              limit=500)
    return value


for c in CASES:
    value = loss(*c)
    print(json.dumps({"method": "expected_loss",
                      "inputs": {"alpha_a": c[0], "beta_a": c[1], "alpha_b": c[2],
                                 "beta_b": c[3]},
                      "expected": {"loss": float("%.15g" % value)},
                      "source": "scipy quad over special.betainc",
                      "tolerance": 1e-11}))
