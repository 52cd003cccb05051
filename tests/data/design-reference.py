#!/usr/bin/python3
"""Reference values for tests/unit/test_design.c: the boundary of the
sequential design truncated at a planned horizon (lib/pure/design.h),
written out here with scipy, independent of GSL and of lib/pure/design.c.

On the Brownian scale S_t = W(t) + theta t, the two-sided boundary is
|S_t| >= a for t <= 1 and |S_t| >= a + b (t - 1) after.  Per side, alpha/2:

  (1 - share) alpha/2 = P(sup_{t<=1} W > a) = 2 (1 - Phi(a))
  share alpha/2       = T(a, b), the chance of crossing the line after t = 1
                        without having crossed a before:
  T(a, b) = int_{-inf}^a [phi(w) - phi(w - 2a)] exp(-2 b (a - w)) dw
          = exp(2b^2 - 2ab) Phi(a - 2b) - exp(2b^2 + 2ab) Phi(-a - 2b)

The closed form is checked against the integral (scipy.integrate.quad)
before b is solved with brentq.  Power by fraction t under drift theta is
the sum of both sides' first-passage probabilities of a constant line,
1 - Phi((a - theta t)/sqrt t) + exp(2 a theta) Phi((-a - theta t)/sqrt t),
at theta and at -theta.  The p-value of (z, t) is the least level whose
boundary is crossed there, found by brentq on the log of the level.

The flat design (design_init_flat, brain-ab's) takes b = a: a solves
2 (1 - Phi(a)) + T(a, a) = alpha/2 (brentq), its share is T(a, a)/(alpha/2),
and its p-value at (z, t) is the level whose a is z min(sqrt t, 1/sqrt t),
found here by brentq on the boundary (not by that closed form) and
checked by simulation of the flat boundary's crossing frequency in the C
tests.

Run: /usr/bin/python3 tests/data/design-reference.py > tests/data/design-vectors.jsonl
"""
import json
from math import exp, inf, log, pi, sqrt

from numpy import logaddexp

from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import erfcx, log_ndtr
from scipy.stats import norm

CASES = [(0.05, 0.1), (0.05, 0.25), (0.01, 0.1), (0.10, 0.05), (0.20, 0.5), (0.05, 0.0),
         (0.001, 0.3)]
THETAS = [2.8016, 2.0, 3.5, 1.0, 0.0]
POINTS = [(2.5, 0.4), (3.1, 1.0), (2.0, 1.0), (4.1, 1.7), (3.0, 2.5), (9.0, 6.0), (0.3, 3.0)]


def tail(a, b):
    return (exp(2 * b * b - 2 * a * b + log_ndtr(a - 2 * b))
            - exp(2 * b * b + 2 * a * b + log_ndtr(-a - 2 * b)))


def tail_quad(a, b):
    f = lambda w: (norm.pdf(w) - norm.pdf(w - 2 * a)) * exp(-2 * b * (a - w))
    return quad(f, -inf, a, epsabs=0, epsrel=1e-12, limit=200)[0]


def calibrate(alpha, share):
    a = norm.isf((1 - share) * alpha / 4)
    if share == 0:
        return a, inf
    goal = log(share * alpha / 2)
    b = brentq(lambda s: log(tail(a, s)) - goal, 0, 100, xtol=1e-15, rtol=1e-15)
    t_closed, t_quad = tail(a, b), tail_quad(a, b)
    assert abs(t_closed - t_quad) < 1e-8 * t_closed, (alpha, share, t_closed, t_quad)
    assert abs(t_closed - share * alpha / 2) < 1e-12 * t_closed
    return a, b


def one_side(a, theta, t):
    s = sqrt(t)
    return norm.sf((a - theta * t) / s) + exp(2 * a * theta + log_ndtr((-a - theta * t) / s))


def power(a, theta, t):
    return min(1.0, one_side(a, theta, t) + one_side(a, -theta, t))


def median_fraction(a, theta):
    if power(a, theta, 1) < 0.5:
        return -1
    return brentq(lambda t: power(a, theta, t) - 0.5, 1e-9, 1, xtol=1e-15, rtol=1e-15)


def multiplier(a, b, t):
    return a / sqrt(t) if t <= 1 else (a + b * (t - 1)) / sqrt(t)


def p_value(share, z, t):
    def margin(log_level):
        a, b = calibrate(exp(log_level), share)
        return z - multiplier(a, b, t)
    if margin(0) < 0:
        return 1.0
    return exp(brentq(margin, log(1e-300), 0, xtol=1e-14, rtol=1e-15))


for alpha, share in CASES:
    a, b = calibrate(alpha, share)
    for theta in THETAS:
        print(json.dumps({"kind": "calibration", "alpha": alpha, "share": share, "theta": theta,
                          "a": a, "b": b if b < inf else None,
                          "tail": tail(a, b) if b < inf else 0, "tail_quad": tail_quad(a, b)
                          if b < inf else 0, "power_half": power(a, theta, 0.5),
                          "power_horizon": power(a, theta, 1),
                          "median_fraction": median_fraction(a, theta),
                          "source": "scipy brentq, quad, log_ndtr"}))
for _, share in CASES[:2] + CASES[5:6]:
    for z, t in POINTS:
        print(json.dumps({"kind": "p_value", "share": share, "z": z, "t": t,
                          "p": p_value(share, z, t) if share > 0 or t <= 1 else 1.0,
                          "source": "scipy brentq on the level"}))


def mills(x):
    return sqrt(pi / 2) * erfcx(x / sqrt(2))


def tail_mills(a, b):
    """T(a, b) as phi(a) [R(2b - a) - R(2b + a)], R Mills' ratio: no
    cancellation of huge terms at the large a of tiny levels."""
    return norm.pdf(a) * (mills(2 * b - a) - mills(2 * b + a))


def flat_log_level(a):
    """log of 2 [2 (1 - Phi(a)) + T(a, a)], in log space for the tiny levels."""
    if a < 6:
        assert abs(tail_mills(a, a) - tail(a, a)) < 1e-9 * tail(a, a)
    log_t = norm.logpdf(a) + log(mills(a) - mills(3 * a))
    return log(2) + logaddexp(log(2) + norm.logsf(a), log_t)


def flat_calibrate(alpha):
    return brentq(lambda a: flat_log_level(a) - log(alpha), 0.1, 40, xtol=1e-15, rtol=1e-15)


def flat_p(z, t):
    def margin(log_level):
        a = flat_calibrate(exp(log_level))
        return z - multiplier(a, a, t)
    if margin(log(0.999999)) < 0:
        return 1.0
    return exp(brentq(margin, log(1e-300), log(0.999999), xtol=1e-14, rtol=1e-15))


for alpha in (0.05, 0.01, 0.10, 0.025):
    a = flat_calibrate(alpha)
    assert abs(tail(a, a) - tail_quad(a, a)) < 1e-8 * tail(a, a)
    for theta in THETAS:
        print(json.dumps({"kind": "flat", "alpha": alpha, "theta": theta, "a": a,
                          "share": tail(a, a) / (alpha / 2),
                          "power_horizon": power(a, theta, 1),
                          "median_fraction": median_fraction(a, theta),
                          "source": "scipy brentq, quad, log_ndtr"}))
for z, t in POINTS:
    print(json.dumps({"kind": "flat_p", "z": z, "t": t, "p": flat_p(z, t),
                      "source": "scipy brentq on the level"}))
