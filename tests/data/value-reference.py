#!/usr/bin/python3
"""Reference values of the value metrics of brain-ab report for
tests/unit/test_ab.c, from the arms' sums written out here with scipy's
normal distribution, independent of GSL and of lib/pure:

  mean = S/n, sd = sqrt((Q - S^2/n)/(n - 1)), ci = mean -/+ z_{1-a/2} sd/sqrt(n)
  lift = mean_B - mean_A, se = sqrt(sd_A^2/n_A + sd_B^2/n_B), p = 2 Q(|lift/se|)
  always-valid interval (the asymptotic confidence sequence of
  ../shared/spec/statistics.md): with N = n_A + n_B, l = -2 ln a,
  rho^2 = (l + ln(l + 1))/N*, half = se sqrt(N) sqrt(2 (rho^2 N + 1)/(N^2 rho^2)
  ln(sqrt(rho^2 N + 1)/a)), and p = min(1, exp(-(rho^2 N z^2/(2 (rho^2 N + 1))
  - ln(rho^2 N + 1)/2))).

Run: /usr/bin/python3 tests/data/value-reference.py > tests/data/value-vectors.jsonl
"""
import json
from math import exp, log, sqrt

from scipy.stats import norm

# (n, sum of values, sum of squares) of the control and the variant, alpha, tuning
CASES = [((1000, 9000.0, 900000.0), (1000, 12000.0, 1500000.0), 0.05, 5000),
         ((400, 3600.0, 420000.0), (380, 3000.0, 300000.0), 0.05, 2000),
         ((5000, 60000.0, 9.0e6), (5000, 61000.0, 9.5e6), 0.01, 20000)]


def arm(n, s, q, alpha):
    mean = s / n
    sd = sqrt((q - s * s / n) / (n - 1))
    half = norm.ppf(1 - alpha / 2) * sd / sqrt(n)
    return mean, sd, mean - half, mean + half


for (na, sa, qa), (nb, sb, qb), alpha, tuning in CASES:
    ma, sda, _, _ = arm(na, sa, qa, alpha)
    mb, sdb, lo, hi = arm(nb, sb, qb, alpha)
    lift = mb - ma
    se = sqrt(sda ** 2 / na + sdb ** 2 / nb)
    z = lift / se
    n = na + nb
    l = -2 * log(alpha)
    rho2 = (l + log(l + 1)) / tuning
    r2n = rho2 * n
    half = se * sqrt(n) * sqrt(2 * (r2n + 1) / (n * n * rho2) * log(sqrt(r2n + 1) / alpha))
    e = r2n * z * z / (2 * (r2n + 1)) - 0.5 * log(r2n + 1)
    print(json.dumps({"control": [na, sa, qa], "variant": [nb, sb, qb], "alpha": alpha,
                      "tuning": tuning, "value_mean": mb, "value_sd": sdb,
                      "value_ci_low": lo, "value_ci_high": hi, "value_lift": lift,
                      "value_p_value": 2 * norm.sf(abs(z)),
                      "value_seq_ci_low": lift - half, "value_seq_ci_high": lift + half,
                      "value_seq_p_value": 1 if e <= 0 else min(1, exp(-e)),
                      "source": "scipy.stats.norm"}))
