"""Benchmark: one million Wilson score intervals, vectorised, against a scalar loop.

Not a test.  Run with ``python bench/bench_stats.py [--n 1000000] [--loop-sample 100000]``.

It times :func:`hwb.stats.wilson_ci` on one million (x, n) pairs at once (best of
five runs), then a plain Python loop over the same formula (``math.sqrt``, the
normal quantile computed once) on a sample of the pairs, scaled to the full
count, and prints both times and their ratio.  For information it also times
``wilson_ci`` called once per interval (2,000 calls, scaled).  The loops are timed
on a sample only so that the benchmark finishes in a few seconds; the scaling assumes the
loop's cost per interval is constant, which it is.  It also checks that the two
agree to 1e-12 on the sample.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.stats import norm

from hwb.stats import wilson_ci


def scalar_wilson(xs: list[float], ns: list[float], conf: float = 0.95
                  ) -> tuple[list[float], list[float]]:
    """The Wilson formula one interval at a time (the baseline)."""
    z = float(norm.ppf(conf + (1 - conf) / 2))
    z2 = z * z
    lows, highs = [], []
    for x, n in zip(xs, ns, strict=True):
        root = z * math.sqrt(z2 + 4 * x * (1 - x / n))
        den = 2 * (n + z2)
        lows.append(0.0 if x == 0 else (2 * x + z2 - root) / den)
        highs.append(1.0 if x == n else (2 * x + z2 + root) / den)
    return lows, highs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="intervals (default 1e6)")
    parser.add_argument("--loop-sample", type=int, default=100_000,
                        help="intervals timed in the scalar loop (default 1e5)")
    parser.add_argument("--repeat", type=int, default=5, help="vectorised runs (best is kept)")
    args = parser.parse_args()

    rng = np.random.default_rng(20260101)
    n = rng.integers(1, 200_000, size=args.n).astype(float)
    x = np.floor(rng.random(args.n) * (n + 1))

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        lo, hi = wilson_ci(x, n, 0.95)
        times.append(time.perf_counter() - t0)
    vec = min(times)

    k = min(args.loop_sample, args.n)
    xs, ns = x[:k].tolist(), n[:k].tolist()
    t0 = time.perf_counter()
    slo, shi = scalar_wilson(xs, ns)
    loop = (time.perf_counter() - t0) * args.n / k

    k2 = min(2_000, args.n)
    t0 = time.perf_counter()
    for xi, ni in zip(xs[:k2], ns[:k2], strict=True):
        wilson_ci(xi, ni, 0.95)
    per_call = (time.perf_counter() - t0) * args.n / k2

    agree = np.allclose(lo[:k], slo, rtol=0, atol=1e-12) and np.allclose(hi[:k], shi, rtol=0,
                                                                          atol=1e-12)
    print(f"wilson_ci vectorised: {args.n:,} intervals in {vec:.3f} s "
          f"(best of {args.repeat}; {vec / args.n * 1e9:.0f} ns per interval)")
    print(f"scalar Python loop:   {args.n:,} intervals in {loop:.3f} s "
          f"(timed on {k:,}, scaled)")
    print(f"wilson_ci per scalar: {args.n:,} calls in {per_call:.1f} s "
          f"(timed on {k2:,}, scaled; input validation on every call)")
    print(f"speed-up: {loop / vec:.1f}x; results agree to 1e-12: {agree}")
    if not agree:
        raise SystemExit("vectorised and scalar results differ")


if __name__ == "__main__":
    main()
