#!/usr/bin/env python3
# The chances quoted in brain-promote(1), EXAMPLES, for raw thresholds set
# for a 3 % conversion rate: promote_at 0.036, demote_below 0.025, floor
# 0.015, min_samples 3000.  Exact binomial tails (standard library only).
from math import comb


def cdf(k, n, p):
    """P(X <= k) for X ~ Binomial(n, p)."""
    return sum(comb(n, i) * p**i * (1 - p)**(n - i) for i in range(k + 1))


n = 3000
up_k, down_k, floor_k = 108, 74, 44   # rate >= 0.036, < 0.025, < 0.015
for name, p in (("3 %", 0.03), ("4 %", 0.04), ("2 %", 0.02)):
    up = 1 - cdf(up_k - 1, n, p)
    down = cdf(down_k, n, p)
    print(f"{name}: promote {up:.4f} (twice {up*up:.5f}), demote {down:.4f} "
          f"(twice {down*down:.5f}), floor {cdf(floor_k, n, p):.2e}")
