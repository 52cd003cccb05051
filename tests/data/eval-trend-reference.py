#!/usr/bin/env python3
"""Reference values for tests/unit/test_trend.c and test_eval.c, from
Python's standard library (statistics.NormalDist), independent of GSL.

Mann-Kendall over n points: the smallest two-sided p (a strictly
monotone series: S = n(n-1)/2, Var(S) = n(n-1)(2n+5)/18, continuity
corrected Z = (S-1)/sqrt(Var)); and the backfilled five-point series
0.5 0.4 0.3 0.2 0.1 in time order (S = -10).

Run: python3 tests/data/eval-trend-reference.py
"""
from math import sqrt
from statistics import NormalDist


def p_two_sided(z):
    return 2 * (1 - NormalDist().cdf(abs(z)))


for n in (3, 4, 5):
    s = n * (n - 1) / 2
    var = n * (n - 1) * (2 * n + 5) / 18
    print(f"min_p n={n}: {p_two_sided((s - 1) / sqrt(var))!r}")
z = (-10 + 1) / sqrt(5 * 4 * 15 / 18)
print(f"backfilled: Z={z!r} p={p_two_sided(z)!r}")
