#!/usr/bin/env python3
"""The kernels' error bounds (docs/spec.md §11.8) against mpmath at 60 digits.

The kernel values come from kernels.py, which check_kernels.py (ctest
kernels_independent) proves bit-equal to the C++ on random and edge inputs;
the references are exact values computed by mpmath. 120,000 seeded random
inputs over every kernel's whole domain (deep tails, tiny and huge values),
plus the edges. Errors are in ulp = 10^-18 (raw units). Asserted:

  exp, exp_wide   |err| <= 2 + 10^-18 |ref|
  ln, ln_wide     |err| <= 2
  sqrt            exactly floor(sqrt(x) 10^18)   (math.isqrt)
  normal_cdf      |err| <= 50
  normal_pdf      |err| <= 2
  pow             |err| <= 2 + |ref| (expm1(10^-18 (1.1 |b| + 1)) + 10^-18)

pow's bound: pow(a, b) = exp(E) with E = trunc(ln(a) b); ln(a) is within
1.05 ulp of ln a, so E is within 1.05 |b| + 1 ulp of ln(a) x b (the 1 is the
truncation), which multiplies the result by at most exp(10^-18 (1.05 |b| + 1));
exp then adds its own 2 ulp + 10^-18 relative. 1.1 leaves a margin over the
measured 1.05. An overflow or a 0 must be consistent with the reference.

Prints the measured extremes (signed, in ulp) per kernel. Usage:
kernel_bounds.py [--count N] [--seed S]   (N: total random inputs)
"""
from __future__ import annotations

import argparse
import math
import pathlib
import random
import sys
import time

import mpmath as mp

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import kernels as K  # noqa: E402

S = K.SCALE
MAX = K.MAX_RAW
mp.mp.dps = 60
ULP = mp.mpf(10) ** -18


def log_uniform(rng: random.Random, max_bits: int = 127) -> int:
    return min(rng.getrandbits(rng.randint(0, max_bits)), MAX)


def signed(rng: random.Random, v: int) -> int:
    return -v if rng.random() < 0.5 else v


class Stats:
    def __init__(self, name: str):
        self.name, self.n, self.lo, self.hi, self.failures = name, 0, mp.mpf(0), mp.mpf(0), 0
        self.worst: tuple = ()
        self.rel = mp.mpf(0)  # max |err| / |ref| where |ref| >= 1 (10^18 ulp)
        self.used = mp.mpf(0)  # max |err| / bound: how much of the bound is used

    def add(self, args: tuple, got: int, ref, bound) -> None:
        self.n += 1
        err = got - ref
        if err < self.lo:
            self.lo = err
        if err > self.hi:
            self.hi = err
        if abs(ref) >= S and abs(err) / abs(ref) > self.rel:
            self.rel = abs(err) / abs(ref)
        if bound and abs(err) / bound > self.used:
            self.used = abs(err) / bound
        if abs(err) > bound:
            self.failures += 1
            if self.failures <= 10:
                print(f"BOUND {self.name}{args}: got {got}, ref {mp.nstr(ref, 25)}, err {mp.nstr(err, 6)} > "
                      f"{mp.nstr(bound, 6)}", file=sys.stderr)

    def fail(self, message: str) -> None:
        self.n += 1
        self.failures += 1
        print(f"BOUND {self.name}: {message}", file=sys.stderr)

    def report(self) -> str:
        rel = f", max relative {mp.nstr(self.rel * S, 3)}e-18 where |ref| >= 1" if self.rel else ""
        return (f"{self.name:16} {self.n:7} inputs: error in [{mp.nstr(self.lo, 4)}, {mp.nstr(self.hi, 4)}] ulp"
                f"{rel}; {mp.nstr(self.used * 100, 3)}% of the bound used; {self.failures} over it")


def raw_ref(value) -> mp.mpf:
    return value * S


def check_exp(stats: dict, x: int, wide: bool) -> None:
    name = "exp_wide" if wide else "exp"
    st = stats[name + (" x<-3" if x < -3 * S else " x>3" if x > 3 * S else " |x|<=3")]
    ref = raw_ref(mp.exp(mp.mpf(x) / S))
    try:
        got = K.exp_wide(x) if wide else K.exp(x)
    except K.KernelError as err:
        limit = 2**254 if wide else MAX - 2 - ref * ULP
        if err.code != "overflow" or ref < limit:
            st.fail(f"x={x}: {err.code} but the exact value is {mp.nstr(ref, 20)}")
        else:
            st.n += 1
        return
    st.add((x,), got, ref, 2 + ref * ULP)


def check_ln(st: Stats, x: int, wide: bool) -> None:
    got = K.ln_wide(x) if wide else K.ln(x)
    st.add((x,), got, raw_ref(mp.log(mp.mpf(x) / S)), 2)


def check_gauss(st: Stats, x: int, cdf: bool) -> None:
    v = mp.mpf(x) / S
    if cdf:
        got, ref, bound = K.normal_cdf(x), raw_ref(mp.ncdf(v)), 50
    else:
        got, ref, bound = K.normal_pdf(x), raw_ref(mp.npdf(v)), 2
    st.add((x,), got, ref, bound)


def check_pow(st: Stats, a: int, b: int) -> None:
    exponent = mp.log(mp.mpf(a) / S) * (mp.mpf(b) / S)
    if exponent > 200:
        ref = mp.inf
    else:
        ref = raw_ref(mp.exp(exponent))
    bound = 2 + ref * (mp.expm1(ULP * (mp.mpf(1.1) * abs(mp.mpf(b) / S) + 1)) + ULP) if ref != mp.inf else 0
    try:
        got = K.pow(a, b)
    except K.KernelError as err:
        if err.code != "overflow" or ref + bound < MAX:
            st.fail(f"a={a} b={b}: {err.code} but the exact value is {mp.nstr(ref, 20)}")
        else:
            st.n += 1
        return
    if ref == mp.inf:
        st.fail(f"a={a} b={b}: {got} for an infinite reference")
        return
    st.add((a, b), got, ref, bound)


def run(total: int, seed: int) -> list[Stats]:
    rng = random.Random(seed)
    share = max(1, total // 12)  # twelve shares: exp 2, exp_wide 1, ln 2, ln_wide 0.5, sqrt 0.5, cdf 3, pdf 1.5, pow 1.5
    names = [f"{e}{r}" for e in ("exp", "exp_wide") for r in (" x<-3", " |x|<=3", " x>3")]
    stats = {n: Stats(n) for n in names + ["ln", "ln_wide", "sqrt", "cdf", "pdf", "pow"]}

    for x in (0, 1, -1, S, -S, -K.EXP_UNDERFLOW + 1, 46 * S, MAX, -MAX):
        check_exp(stats, x, False)
    for i in range(2 * share):
        r = i % 3
        x = rng.randint(-3 * S, 3 * S) if r == 0 else rng.randint(-43 * S, 47 * S) if r == 1 else signed(
            rng, log_uniform(rng, 68))
        check_exp(stats, x, False)
    for x in (K.EXP_WIDE_LIMIT - 1, K.EXP_WIDE_LIMIT):
        check_exp(stats, x, True)
    for _ in range(share):
        check_exp(stats, rng.randint(-43 * S, 136 * S), True)

    for x in [1, 2, S - 1, S, S + 1, MAX] + [2**k for k in range(127)]:
        check_ln(stats["ln"], x, False)
    for i in range(2 * share):
        check_ln(stats["ln"], rng.randint(1, 4 * S) if i % 3 == 0 else max(1, log_uniform(rng)), False)
    for i in range(share // 2):
        check_ln(stats["ln_wide"], max(1, rng.getrandbits(rng.randint(1, 256))), True)

    for i in range(share // 2):
        x = rng.randint(0, 4 * S) if i % 3 == 0 else log_uniform(rng)
        if K.sqrt(x) != math.isqrt(x * S):
            stats["sqrt"].fail(f"sqrt({x}) = {K.sqrt(x)}, floor is {math.isqrt(x * S)}")
        stats["sqrt"].n += 1

    switch = -(-K.CDF_SWITCH * K.FIVE18 // 2**46)
    for x in (0, 1, -1, switch, switch - 1, -switch, 1 - switch, 37 * S, -37 * S, MAX, -MAX):
        check_gauss(stats["cdf"], x, True)
    for i in range(3 * share):
        r = i % 5
        if r == 0:
            x = rng.randint(-S, S)
        elif r == 1:
            x = rng.randint(-8 * S, 8 * S)
        elif r == 2:
            x = rng.randint(-38 * S, -5 * S)  # the deep lower tail (and its complement below)
        elif r == 3:
            x = signed(rng, rng.randint(switch - 10**15, switch + 10**15))
        else:
            x = signed(rng, log_uniform(rng))
        check_gauss(stats["cdf"], x, True)
    for i in range(share * 3 // 2):
        r = i % 3
        x = rng.randint(-3 * S, 3 * S) if r == 0 else rng.randint(-11 * S, 11 * S) if r == 1 else signed(
            rng, log_uniform(rng, 70))
        check_gauss(stats["pdf"], x, False)

    for a, b in ((S, MAX), (1, S), (MAX, S), (2 * S, 60 * S), (1461123000000000000, 6134081200000000000)):
        check_pow(stats["pow"], a, b)
    for i in range(share * 3 // 2):
        r = i % 3
        if r == 0:
            a, b = rng.randint(1, 10 * S), rng.randint(-10 * S, 10 * S)
        elif r == 1:  # exponents across exp's whole range, with large |b|
            a = max(1, log_uniform(rng))
            la = mp.log(mp.mpf(a) / S)
            b = 0 if la == 0 else int(max(-MAX, min(MAX, mp.mpf(rng.randint(-44 * S, 46 * S)) / la)))
        else:  # tiny and huge both ways; most results are 0 or overflow
            a, b = max(1, log_uniform(rng)), signed(rng, log_uniform(rng, 80))
        check_pow(stats["pow"], a, b)
    return list(stats.values())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=120000)
    parser.add_argument("--seed", type=int, default=1129)
    args = parser.parse_args()
    started = time.monotonic()
    stats = run(args.count, args.seed)
    for st in stats:
        print(st.report())
    total = sum(st.n for st in stats)
    print(f"{total} inputs in {time.monotonic() - started:.1f} s")
    return 1 if any(st.failures for st in stats) else 0


if __name__ == "__main__":
    sys.exit(main())
