#!/usr/bin/env python3
"""Reference values of tests/unit/test_ab.c holm_family_is_the_m_used:
pooled two-proportion z-tests against the control A (1000 trials, 100
conversions) and Holm's step-down adjustment over the variants that have
a test, computed with Python's standard library only."""
from statistics import NormalDist


def ztest(xa, na, xb, nb):
    pooled = (xa + xb) / (na + nb)
    se = (pooled * (1 - pooled) * (1 / na + 1 / nb)) ** 0.5
    z = (xb / nb - xa / na) / se
    return z, 2 * (1 - NormalDist().cdf(abs(z)))


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adj, running = [0.0] * len(ps), 0.0
    for r, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - r) * ps[i]))
        adj[i] = running
    return adj


# B 1000/150 and C 1000/120 are tested: m = 2.
pb = ztest(100, 1000, 150, 1000)[1]
pc = ztest(100, 1000, 120, 1000)[1]
print("B p %.12g holm %.12g" % (pb, holm([pb, pc])[0]))
print("C p %.12g holm %.12g" % (pc, holm([pb, pc])[1]))
# With C at 0 trials only B is tested: m = 1, its Holm p is its p.
print("B alone p %.12g holm %.12g" % (pb, holm([pb])[0]))
