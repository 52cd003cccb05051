#!/usr/bin/python3
"""Reference values of a stepped canary's analysis (brain-model analyze,
lib/pure/rollout.c) for tests/unit/test_rollout.c, from scipy,
independent of GSL and of lib/pure/stats.c:

- "difference": the canary's rate minus the serving version's, with
  Newcombe's hybrid score interval (Statistics in Medicine 17 (1998)
  873-890, method 10) written out here over scipy's Wilson intervals
  (binomtest(...).proportion_ci(method='wilson')) of the two rates.
- "ratio": the canary's rate over the serving version's, with the Katz
  log interval, z from scipy.stats.norm.ppf.

Each vector also has the verdict for its threshold and minimum of
samples: pass when the low end reaches the bound (-threshold for a
difference, 1 - threshold for a ratio), fail when the high end is below
it, else inconclusive; too few samples, or a ratio without a success in a
version, is inconclusive with no interval.

Run: /usr/bin/python3 tests/data/rollout-reference.py > tests/data/rollout-reference.jsonl
"""
import json
from math import exp, log, sqrt

from scipy.stats import binomtest, norm

# (serving successes, trials, canary successes, trials, confidence,
#  threshold, min_samples): passes, failures, intervals across the bound,
#  rates of 0 and 1, too few samples, unequal arms.
CASES = [(100, 1000, 110, 1000, 0.95, 0.05, 100), (150, 1000, 60, 1000, 0.95, 0.05, 100),
         (20, 200, 18, 200, 0.95, 0.02, 100), (0, 50, 0, 60, 0.95, 0.05, 10),
         (50, 50, 49, 50, 0.95, 0.05, 10), (30, 300, 9, 40, 0.90, 0.1, 30),
         (400, 2000, 95, 500, 0.99, 0.03, 200), (3, 10, 4, 10, 0.95, 0.05, 100),
         (700, 1000, 690, 1000, 0.95, 0.05, 0), (12, 100, 30, 100, 0.95, 0.0, 50),
         (5000, 10000, 4700, 10000, 0.95, 0.02, 1000), (1, 7, 0, 9, 0.95, 0.5, 1)]


def wilson(x, n, level):
    ci = binomtest(x, n).proportion_ci(confidence_level=level, method='wilson')
    return ci.low, ci.high


def verdict(low, high, bound):
    return "pass" if low >= bound else "fail" if high < bound else "inconclusive"


for xs, ns, xc, nc, level, threshold, min_samples in CASES:
    ps, pc = xs / ns, xc / nc
    enough = ns >= min_samples and nc >= min_samples
    # The difference.
    out = {"kind": "difference", "serving_successes": xs, "serving_trials": ns,
           "canary_successes": xc, "canary_trials": nc, "confidence": level,
           "threshold": threshold, "min_samples": min_samples, "bound": -threshold}
    if enough:
        ls, us = wilson(xs, ns, level)
        lc, uc = wilson(xc, nc, level)
        d = pc - ps
        out.update(estimate=d, low=d - sqrt((pc - lc) ** 2 + (us - ps) ** 2),
                   high=d + sqrt((uc - pc) ** 2 + (ps - ls) ** 2))
        out["result"] = verdict(out["low"], out["high"], -threshold)
    else:
        out["result"] = "inconclusive"
    out["source"] = "scipy binomtest proportion_ci wilson; Newcombe 1998 method 10"
    print(json.dumps(out))
    # The ratio.
    out = {"kind": "ratio", "serving_successes": xs, "serving_trials": ns,
           "canary_successes": xc, "canary_trials": nc, "confidence": level,
           "threshold": threshold, "min_samples": min_samples, "bound": 1 - threshold}
    if enough and xs > 0 and xc > 0:
        z = norm.ppf(1 - (1 - level) / 2)
        r = pc / ps
        se = sqrt(1 / xc - 1 / nc + 1 / xs - 1 / ns)
        out.update(estimate=r, low=exp(log(r) - z * se), high=exp(log(r) + z * se))
        out["result"] = verdict(out["low"], out["high"], 1 - threshold)
    else:
        out["result"] = "inconclusive"
    out["source"] = "scipy.stats.norm.ppf; Katz log interval of a ratio of rates"
    print(json.dumps(out))
