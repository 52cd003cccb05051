#!/usr/bin/env python3
"""Make tests/data/eval-stationary.jsonl, the outcomes that
tests/scenario/eval-page-hinkley.sh records and watches.

Thirty stationary series, metrics noise-01 .. noise-30: 30 daily scores
each, Gaussian around 0.5 with sd 0.05 (no change at all).  Three series
drop-1 .. drop-3: 20 days around 0.5 then 15 around 0.4, a drop of 2 sd.
A fixed seed: the file is the same on every run.

Run: python3 tests/data/eval-stationary.py > tests/data/eval-stationary.jsonl
"""
import datetime
import random

rng = random.Random(20261201)
day0 = datetime.date(2026, 9, 1)


def series(metric, means):
    for i, mean in enumerate(means):
        day = day0 + datetime.timedelta(days=i)
        print('{"metric":"%s","score":%.4f,"ts":"%sT09:00:00Z"}'
              % (metric, rng.gauss(mean, 0.05), day.isoformat()))


for k in range(1, 31):
    series("noise-%02d" % k, [0.5] * 30)
for k in range(1, 4):
    series("drop-%d" % k, [0.5] * 20 + [0.4] * 15)
