#!/usr/bin/env python3
"""The C++ kernels against kernels.py (docs/spec.md §11), bit for bit.

Generates seeded random inputs over the whole domain of every kernel plus its
edges (0, ±1 ulp, the underflow and overflow limits ±1, the CDF's switch to
the continued fraction ±1, |x| = 37, powers of two for ln, the range's ends),
runs the probe (tests/support/kernel_probe.cpp) once on all of them and
compares every line with kernels.py's answer, errors included.

Usage: check_kernels.py [--count N] [--seed S] --probe COMMAND...
(everything after --probe is the probe's command line, e.g. an emulator).
"""
from __future__ import annotations

import argparse
import pathlib
import random
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import kernels as K  # noqa: E402

S = K.SCALE
MAX = K.MAX_RAW


def log_uniform(rng: random.Random, max_bits: int = 127, signed: bool = True) -> int:
    """A raw value whose bit length is uniform in [0, max_bits]: tiny and huge
    values are as frequent as ordinary ones."""
    v = rng.getrandbits(rng.randint(0, max_bits))
    v = min(v, MAX) if max_bits <= 127 else v
    return -v if signed and rng.random() < 0.5 else v


def around(*points: int, spread: int = 2) -> list[int]:
    return [p + d for p in points for d in range(-spread, spread + 1)]


def exp_overflow_edge() -> int:
    """The smallest X whose exp overflows the fixed-point range (bisection on
    kernels.py; used only to place edge inputs)."""
    lo, hi = 46 * S, 47 * S  # exp(lo) fits, exp(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if K.exp_wide(mid) > MAX:
            hi = mid
        else:
            lo = mid
    return hi


def cdf_switch_edge() -> int:
    """The smallest |X| whose 2^64-basis value reaches the continued fraction."""
    z = -(-K.CDF_SWITCH * K.FIVE18 // 2**46)
    assert (z << 46) // K.FIVE18 >= K.CDF_SWITCH > ((z - 1) << 46) // K.FIVE18
    return z


def gauss_underflow_edge(half) -> int:
    """The smallest z >= 0 whose Gaussian exponent t reaches exp's underflow."""
    lo, hi = 0, 10 * S
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if half(mid) * mid // S >= K.EXP_UNDERFLOW:
            hi = mid
        else:
            lo = mid
    return hi


def cases(count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    out: list[tuple] = []
    common = around(0, S, -S, MAX - 2, -MAX + 2)
    common = [x for x in common if abs(x) <= MAX]

    # exp and exp_wide.
    over = exp_overflow_edge()
    edges = common + around(-K.EXP_UNDERFLOW, K.EXP_WIDE_LIMIT, over, -41935 * 10**15, 46 * S, 135 * S)
    for name, top in (("exp", 47 * S), ("exp_wide", 136 * S)):
        out += [(name, x) for x in edges]
        for i in range(count):
            r = i % 3
            x = rng.randint(-43 * S, top) if r == 0 else rng.randint(-3 * S, 3 * S) if r == 1 else log_uniform(rng)
            out.append((name, x))

    # ln and ln_wide: powers of two and their neighbours, tiny and huge.
    out += [("ln", x) for x in common + [2**k + d for k in range(127) for d in (-1, 0, 1)] if 0 <= x <= MAX]
    out += [("ln", x) for x in (-1, -MAX, 0)]
    for i in range(count):
        out.append(("ln", rng.randint(1, 4 * S) if i % 4 == 0 else log_uniform(rng, signed=i % 50 == 1)))
    wide = [2**k + d for k in range(256) for d in (-1, 0, 1)] + [2**256 - 1]
    out += [("ln_wide", x) for x in wide if 0 <= x < 2**256]
    out += [("ln_wide", log_uniform(rng, 256, signed=False) or 1) for _ in range(count // 4)]

    # sqrt.
    out += [("sqrt", x) for x in common + [-1, -MAX]]
    for i in range(count):
        out.append(("sqrt", rng.randint(0, 4 * S) if i % 4 == 0 else log_uniform(rng, signed=i % 50 == 1)))

    # normal_cdf and normal_pdf.
    switch = cdf_switch_edge()
    cdf_under = gauss_underflow_edge(lambda z: z >> 1)
    pdf_under = gauss_underflow_edge(lambda z: -((-z) >> 1))  # ceil(z / 2), the odd negative case
    gauss_edges = common + around(switch, -switch, 37 * S, -37 * S, 10 * S, -10 * S, cdf_under, -cdf_under)
    gauss_edges += around(pdf_under, -pdf_under)
    for name in ("cdf", "pdf"):
        out += [(name, x) for x in gauss_edges]
        for i in range(count):
            r = i % 4
            if r == 0:
                x = rng.randint(-10 * S, 10 * S)
            elif r == 1:
                x = rng.randint(-38 * S, 38 * S)
            elif r == 2:
                x = rng.randint(switch - 10**12, switch + 10**12) * rng.choice((1, -1))
            else:
                x = log_uniform(rng)
            out.append((name, x))

    # pow: a > 0 anywhere, b anywhere; results from 0 through overflow.
    pow_edges = [(S, 0), (S, MAX), (S, -MAX), (1, 0), (1, S), (1, -S), (MAX, 1), (MAX, -MAX), (MAX, MAX)]
    pow_edges += [(0, S), (-S, S), (-1, 0), (2 * S, 66 * S), (2 * S, 68 * S), (2 * S, -61 * S), (2 * S, -60 * S)]
    pow_edges += [(1461123000000000000, 6134081200000000000)]
    out += [("pow", a, b) for a, b in pow_edges]
    for i in range(count):
        r = i % 3
        if r == 0:  # ordinary: a in (0, 10], b in [-10, 10]
            a, b = rng.randint(1, 10 * S), rng.randint(-10 * S, 10 * S)
        elif r == 1:  # exponents near exp's limits
            a = log_uniform(rng, signed=False) or 1
            la = K.ln(a)
            target = rng.randint(-45 * S, 47 * S)
            b = 0 if la == 0 else max(-MAX, min(MAX, target * S // la))
        else:
            a, b = log_uniform(rng, signed=i % 30 == 2) or 1, log_uniform(rng)
        out.append(("pow", a, b))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20000, help="random inputs per kernel")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--probe", nargs=argparse.REMAINDER, required=True)
    args = parser.parse_args()

    started = time.monotonic()
    calls = cases(args.count, args.seed)
    text = "".join(" ".join(map(str, call)) + "\n" for call in calls)
    run = subprocess.run(args.probe, input=text, capture_output=True, text=True, check=True)
    got = run.stdout.splitlines()
    if len(got) != len(calls):
        print(f"probe answered {len(got)} lines for {len(calls)} calls", file=sys.stderr)
        return 1
    failures = 0
    per_kernel: dict[str, int] = {}
    for call, line in zip(calls, got):
        per_kernel[call[0]] = per_kernel.get(call[0], 0) + 1
        want = K.evaluate(*call)
        if line != want:
            failures += 1
            if failures <= 20:
                print(f"MISMATCH {' '.join(map(str, call))}: probe {line}, spec {want}", file=sys.stderr)
    summary = ", ".join(f"{name} {n}" for name, n in per_kernel.items())
    print(f"{len(calls)} calls ({summary}) in {time.monotonic() - started:.1f} s: {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
