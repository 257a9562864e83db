#!/usr/bin/env python3
"""Black-76 price and Greek error bounds (docs/spec.md §12.5) against mpmath.

The integer values come from options.py, which check_options.py (ctest
options_independent) proves bit-equal to the C++; the references are the
closed forms at the exact inputs (tau = secs / 31,536,000, unfloored),
evaluated by mpmath at 50 digits. 2 x N seeded random inputs (default
N = 50,000: 100,000 prices, call and put for the first N, the option's own
for the Greeks' N) over
F in [1e-6, 1e9], K/F in [0.01, 100], tau in [1 s, 3 y], sigma in [0.01, 5]
and D in (0.5, 1] (for the Greeks D = discount_factor(r, tau), r in [0, 0.2]).
Errors are in ulp = 10^-18. The bounds are an error budget of the program
(the reasons and the measured maxima are in the spec §12.5), with
tv = sigma sqrt(tau), d2 = d1 - tv and

  eps = 1/tau_raw + 1/s_raw + 1/tv_raw   (relative error of tv: annualise,
                                          sqrt and tv each floor once)
  dd1 = |d2| eps + 3 ulp / tv            (error of d1: tv's, ln's and m's)
  phi_rel = expm1(|d1| dd1)              (relative error of phi(d1) from dd1)

Asserted:

  call, put  |err| <= 60 ulp (F + K) D + 1.5 D F phi(d1) tv eps + 100 ulp + 2 ulp (1 + K/F)
             (Phi is within 42.3 ulp: 60 covers it, the final floors and ln;
              the second term is tv's error times dC/dtv = D F phi(d1); the
              last one the floors of F x D and m, times m and F)
  delta      |err| <= 60 ulp + 1.5 D phi(d1) dd1          (vs D N(d1); put D (N(d1) - 1))
  gamma      |err| <= 1.5 |ref| (eps + phi_rel) + 5 ulp D / (F tv) + 2 ulp
  vega       |err| <= 1.5 |ref| (eps + phi_rel) + 5 ulp D F sqrt(tau) + 2 ulp
  theta/year |err| <= 1.5 decay (3 eps + phi_rel) + 5 ulp D F tv / (2 tau) + 3 ulp
                      + r x (the price bound)

Prints the measured maxima. Usage:
options_bounds.py [--count N] [--seed S]
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

import options as O  # noqa: E402

S = O.S
YEAR = O.YEAR
mp.mp.dps = 50
ULP = mp.mpf(10) ** -18
SQRT2 = mp.sqrt(2)
SQRT2PI = mp.sqrt(2 * mp.pi)


def ncdf(x):
    return mp.erfc(-x / SQRT2) / 2


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


class Stat:
    def __init__(self, name: str, bound_text: str):
        self.name, self.bound_text = name, bound_text
        self.n = self.failures = 0
        self.max_abs = 0.0  # max |err| in ulp
        self.max_used = 0.0  # max |err| / bound
        self.max_scaled = 0.0  # max |err| / scale (e.g. / (F + K) for prices)
        self.worst: tuple = ()

    def add(self, args: tuple, err, bound: float, scale: float | None = None) -> None:
        self.n += 1
        e = abs(float(err))
        if e / U > self.max_abs:
            self.max_abs = e / U
        if scale and e / scale > self.max_scaled:
            self.max_scaled = e / scale
        used = e / bound
        if used > self.max_used:
            self.max_used, self.worst = used, args
        if e > bound:
            self.failures += 1
            if self.failures <= 5:
                print(f"BOUND {self.name} {args}: err {e:.6g} > {bound:.6g}", file=sys.stderr)

    def report(self, scale_name: str = "") -> str:
        scaled = f", max |err|/{scale_name} {self.max_scaled:.3g}" if scale_name else ""
        return (f"{self.name:10} n={self.n}: max |err| {self.max_abs:.4g} ulp{scaled}, "
                f"{100 * self.max_used:.3g} % of the bound ({self.bound_text}); worst {self.worst}")


U = 1e-18  # ulp as a float: the bounds are computed in floats, the errors exactly


def budget(b: O.Black76, F: float, Kx: float, D: float, tv: float, d1: float):
    """eps, dd1, phi_rel, pdf and the price bound of one pricing (see above)."""
    eps = 1 / b.tau + 1 / b.sqrt_tau + 1 / b.tv
    d2 = d1 - tv
    dd1 = abs(d2) * eps + 3 * U / tv
    phi_rel = math.expm1(min(abs(d1) * dd1, 700))
    pdf = math.exp(-d1 * d1 / 2) / math.sqrt(2 * math.pi)
    price = 60 * U * (F + Kx) * D + 1.5 * D * F * pdf * tv * eps + 100 * U + 2 * U * (1 + Kx / F)
    return eps, dd1, phi_rel, pdf, price


def g_value(b: O.Black76, is_call: bool) -> int:
    return b.call if is_call else b.put


def sample(rng: random.Random) -> tuple[int, int, int, int]:
    secs = int(log_uniform(rng, 1, 3 * YEAR))
    sigma = int(log_uniform(rng, 0.01, 5) * S)
    f = int(log_uniform(rng, 1e-6, 1e9) * S)
    k = int(f * log_uniform(rng, 0.01, 100))
    return secs, sigma, f, k


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50000, help="random inputs for prices, and as many for the Greeks")
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(args.seed)
    st = {
        "call": Stat("call", "60 ulp (F + K) D + 1.5 D F phi tv eps + 100 ulp + 2 ulp (1 + K/F)"),
        "put": Stat("put", "60 ulp (F + K) D + 1.5 D F phi tv eps + 100 ulp + 2 ulp (1 + K/F)"),
        "delta": Stat("delta", "60 ulp + 1.5 D phi dd1"),
        "gamma": Stat("gamma", "1.5 |ref| (eps + phi_rel) + 5 ulp D/(F tv) + 2 ulp"),
        "vega": Stat("vega", "1.5 |ref| (eps + phi_rel) + 5 ulp D F sqrt(tau) + 2 ulp"),
        "theta": Stat("theta", "1.5 decay (3 eps + phi_rel) + 5 ulp D F tv/(2 tau) + 3 ulp + r price bound"),
    }
    # Prices: D drawn directly in (0.5, 1].
    for _ in range(args.count):
        secs, sigma, f, k = sample(rng)
        d = rng.randint(S // 2 + 1, S) if rng.random() < 0.7 else S
        b = O.black76(secs, d, sigma, f, k)
        F, Kx, D = mp.mpf(f) / S, mp.mpf(k) / S, mp.mpf(d) / S
        tv = mp.mpf(sigma) / S * mp.sqrt(mp.mpf(secs) / YEAR)
        d1 = (mp.log(F / Kx) + tv * tv / 2) / tv
        n1, n2 = ncdf(d1), ncdf(d1 - tv)
        call = D * (F * n1 - Kx * n2)
        put = D * (Kx * (1 - n2) - F * (1 - n1))
        fF, fK, fD = float(F), float(Kx), float(D)
        eps, dd1, _, pdf, bound = budget(b, fF, fK, fD, float(tv), float(d1))
        a = (secs, d, sigma, f, k)
        st["call"].add(a, mp.mpf(b.call) / S - call, bound, fF + fK)
        st["put"].add(a, mp.mpf(b.put) / S - put, bound, fF + fK)
        st["delta"].add(a, mp.mpf(b.call_delta) / S - D * n1, 60 * U + 1.5 * fD * pdf * dd1)
    # Greeks: D from the rate, as positions are valued.
    for _ in range(args.count):
        secs, sigma, f, k = sample(rng)
        r = rng.randint(0, S // 5) if rng.random() < 0.8 else 0
        is_call = rng.random() < 0.5
        d = O.discount_factor(r, O.annualise(secs))
        b = O.black76(secs, d, sigma, f, k)
        g = O.greeks(secs, d, sigma, f, k, r, is_call, b)
        F, Kx, D, R = mp.mpf(f) / S, mp.mpf(k) / S, mp.mpf(d) / S, mp.mpf(r) / S
        tau = mp.mpf(secs) / YEAR
        sig = mp.mpf(sigma) / S
        tv = sig * mp.sqrt(tau)
        d1 = (mp.log(F / Kx) + tv * tv / 2) / tv
        n1, n2 = ncdf(d1), ncdf(d1 - tv)
        fF, fK, fD, fR, ftv, ftau = float(F), float(Kx), float(D), float(R), float(tv), float(tau)
        eps, dd1, phi_rel, fpdf, price_bound = budget(b, fF, fK, fD, ftv, float(d1))
        pdf = mp.exp(-d1 * d1 / 2) / SQRT2PI
        value = D * (F * n1 - Kx * n2) if is_call else D * (Kx * (1 - n2) - F * (1 - n1))
        delta = D * n1 if is_call else D * (n1 - 1)
        gamma = D * pdf / (F * tv)
        vega = D * F * pdf * mp.sqrt(tau)
        decay = D * F * pdf * sig / (2 * mp.sqrt(tau))
        theta = R * value - decay
        a = (secs, r, sigma, f, k, "call" if is_call else "put")
        st["call" if is_call else "put"].add(a, mp.mpf(g_value(b, is_call)) / S - value, price_bound, fF + fK)
        c = 1.5
        st["delta"].add(a, mp.mpf(g.delta) / S - delta, 60 * U + c * fD * fpdf * dd1)
        gamma_bound = c * float(gamma) * (eps + phi_rel) + 5 * U * fD / (fF * ftv) + 2 * U
        st["gamma"].add(a, mp.mpf(g.gamma) / S - gamma, gamma_bound)
        vega_bound = c * float(vega) * (eps + phi_rel) + 5 * U * fD * fF * math.sqrt(ftau) + 2 * U
        st["vega"].add(a, mp.mpf(g.vega) / S - vega, vega_bound)
        theta_bound = c * float(decay) * (3 * eps + phi_rel) + 5 * U * fD * fF * ftv / (2 * ftau) + 3 * U + fR * price_bound
        st["theta"].add(a, mp.mpf(g.theta_per_year) / S - theta, theta_bound)
    for name, s in st.items():
        print(s.report("(F+K)" if name in ("call", "put") else ""))
    failures = sum(s.failures for s in st.values())
    print(f"{2 * args.count} inputs in {time.monotonic() - started:.1f} s: {failures} outside their bounds")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
