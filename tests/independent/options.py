"""Options of docs/spec.md §12 (§O) with plain Python integers.

Written from the spec's programs (Black-76, the Greeks, SVI, the standard
option margin and max-loss netting) on top of kernels.py (§K). Inputs and
outputs are raw values (integer counts of 10^-18); `secs` is whole seconds.
Errors raise kernels.KernelError with the engine's code name
(`invalid_value`, `overflow`, `division_by_zero`); SVI validation errors
carry the field's path in `.path`.
"""
from __future__ import annotations

from dataclasses import dataclass

import kernels as K
from kernels import KernelError, tdiv

S = K.SCALE
MAX = K.MAX_RAW
YEAR = 31_536_000
TV_CAP = 24 * S
D1_LIMIT = 10**38
SVI_LIMIT = 1000 * S
SVI_MAX_W = 144 * S


class OptionError(KernelError):
    def __init__(self, code: str, path: str = ""):
        super().__init__(code)
        self.path = path


def _fail(code: str, path: str = "") -> None:
    raise OptionError(code, path)


def _fits(v: int, code: str = "overflow") -> int:
    if v > MAX or v < -MAX:
        _fail(code)
    return v


# §12.1 -----------------------------------------------------------------

@dataclass
class Black76:
    call: int
    put: int
    call_delta: int
    tau: int
    sqrt_tau: int
    tv: int
    d1: int = 0
    degenerate: bool = True


def annualise(secs: int) -> int:
    return secs * S // YEAR


def _standard_call(m: int, tv: int) -> tuple[int, int, int]:
    t = max(tv, 1)
    m1 = max(m, 1)
    k = K.ln_wide(m1)
    h = ((t >> 1) * t) // S
    a = abs(h - k)
    d1 = min(a * S // t, D1_LIMIT)
    if h - k < 0:
        d1 = -d1
    d2 = d1 - t
    n1 = K.normal_cdf(d1)
    n2 = K.normal_cdf(d2)
    mn = m1 * n2 // S
    c = n1 - mn if mn < n1 else 0
    return c, n1, d1


def black76(secs: int, d: int, sigma: int, f: int, k: int) -> Black76:
    if secs < 0:
        _fail("invalid_value")
    if secs > 100 * YEAR:
        _fail("invalid_value")
    if d <= 0 or d > S:
        _fail("invalid_value")
    if sigma < 0 or f < 0 or k < 0:
        _fail("invalid_value")
    tau = annualise(secs)
    s = K.sqrt(tau)
    tv = min(sigma * s // S, TV_CAP)
    fd = f * d // S
    kd = k * d // S
    if k == 0:
        return Black76(fd, 0, d, tau, s, tv)
    if f == 0:
        return Black76(0, kd, 0, tau, s, tv)
    m = k * S // f
    d1, degenerate = 0, True
    if tv == TV_CAP:
        c, n1 = S, S
    else:
        c, n1, d1 = _standard_call(m, tv)
        degenerate = False
    p = c + m - S if c + m >= S else 0
    call = min(c * fd // S, fd)
    put = min(p * fd // S, kd)
    return Black76(call, put, n1 * d // S, tau, s, tv, d1, degenerate)


# §12.2 -----------------------------------------------------------------

@dataclass
class Greeks:
    delta: int
    gamma: int
    vega: int
    vega_per_point: int
    theta_per_year: int
    theta_per_day: int


def discount_factor(r: int, tau: int) -> int:
    if r < 0:
        _fail("invalid_value")
    if tau < 0:
        _fail("invalid_value")
    if r == 0 or tau == 0:
        return S
    p = r * tau
    if p >= S * 2**128:
        _fail("overflow")
    e = p // S
    if e > MAX:
        _fail("overflow")
    if e == 0:
        return S
    d = 0 if e >= K.EXP_UNDERFLOW else K.exp(-e)
    if d == 0:
        _fail("invalid_value")
    return d


def greeks(secs: int, d: int, sigma: int, f: int, k: int, r: int, is_call: bool,
           prices: Black76 | None = None) -> Greeks:
    if r < 0:
        _fail("invalid_value")
    b = prices if prices is not None else black76(secs, d, sigma, f, k)
    delta = b.call_delta if is_call else b.call_delta - d
    v = b.call if is_call else b.put
    carry = _fits(r * v // S)
    gamma = vega = vpp = decay = 0
    if not b.degenerate and b.tv > 0 and f > 0:
        x = K.normal_pdf(b.d1) * d // S
        gamma = _fits(x * S * S // (f * b.tv))
        vega = _fits(f * x * b.sqrt_tau // (S * S))
        vpp = vega // 100
        decay = _fits(f * x * b.tv // (2 * b.tau * S))
    year = carry - decay
    return Greeks(delta, gamma, vega, vpp, year, tdiv(year, 365))


# §12.3 -----------------------------------------------------------------

def _mul(x: int, y: int) -> int:
    return tdiv(x * y, S)


def svi_validate(a: int, b: int, rho: int, m: int, sigma: int, fref: int, tau: int) -> None:
    if abs(a) > SVI_LIMIT:
        _fail("invalid_value", "/a")
    if b < 0 or b > SVI_LIMIT:
        _fail("invalid_value", "/b")
    if abs(rho) >= S:
        _fail("invalid_value", "/rho")
    if abs(m) > SVI_LIMIT:
        _fail("invalid_value", "/m")
    if sigma <= 0 or sigma > SVI_LIMIT:
        _fail("invalid_value", "/sigma")
    if fref <= 0:
        _fail("invalid_value", "/forward")
    if tau <= 0:
        _fail("invalid_value", "/tau")
    root = K._isqrt(S * S - rho * rho)
    if a + b * sigma * root // (S * S) < 0:
        _fail("invalid_value", "/a")


def svi_volatility(a: int, b: int, rho: int, m: int, sigma: int, fref: int, tau: int, strike: int) -> int:
    if strike <= 0:
        return 0
    limit = 4 * K.sqrt(a + _mul(b, sigma))
    mk = strike * S // fref
    k = -limit if mk == 0 else min(max(K.ln_wide(mk), -limit), limit)
    u = k - m
    root = K.sqrt(_mul(u, u) + _mul(sigma, sigma))
    w = a + _mul(b, root + _mul(rho, u))
    if w < 0:
        _fail("invalid_value")
    w = min(w, SVI_MAX_W)
    return K.sqrt(w * S // tau)


def svi(a: int, b: int, rho: int, m: int, sigma: int, fref: int, tau: int, strike: int) -> int:
    svi_validate(a, b, rho, m, sigma, fref, tau)
    return svi_volatility(a, b, rho, m, sigma, fref, tau, strike)


# §12.4 -----------------------------------------------------------------

def _cdiv(n: int, dv: int) -> int:
    return -((-n) // dv)


def up(x: int, y: int) -> int:
    """x * y / S rounded toward plus infinity, within [-MAX, MAX]."""
    return _fits(_cdiv(x * y, S))


def down_div(x: int, y: int) -> int:
    """x * S / y rounded toward minus infinity, within [-MAX, MAX]."""
    if y == 0:
        _fail("division_by_zero")
    return _fits((x * S) // y)


def add(x: int, y: int) -> int:
    return _fits(x + y)


@dataclass
class Rates:
    a: int
    b: int
    c_call: int
    c_put: int
    c_mark: int
    floor: int
    unpaired_initial: int = 0
    unpaired_maintenance: int = 0


def short_option_requirement(is_call: bool, k: int, spot: int, mark: int, r: Rates) -> tuple[int, int]:
    if k <= 0 or spot <= 0 or mark < 0:
        _fail("invalid_value")
    o = k - spot if is_call else spot - k
    otm = down_div(o, spot) if o > 0 else 0
    mult = max(r.a - otm, r.b)
    initial = add(up(mult, spot), mark)
    if is_call:
        maintenance = add(up(r.c_call, spot), mark)
    else:
        maintenance = add(max(up(r.c_put, spot), up(r.c_mark, mark)), mark)
        initial = max(initial, up(r.floor, maintenance))
    return initial, maintenance


def _payoff(legs: list[tuple[bool, int, int]], price: int) -> int:
    total = 0
    for is_call, strike, q in legs:
        intrinsic = price - strike if is_call else strike - price
        if intrinsic <= 0:
            continue
        total += q * intrinsic
        if not -(2**255) <= total < 2**255:
            _fail("overflow")
    return total


def max_loss_requirement(legs: list[tuple[bool, int, int]], forward: int, r: Rates) -> tuple[int, int]:
    if any(strike <= 0 for _, strike, _ in legs):
        _fail("invalid_value")
    worst = _payoff(legs, 0)
    for _, strike, _ in legs:
        worst = min(worst, _payoff(legs, strike))
    if worst >= 0:
        loss = 0
    elif -worst > (MAX - 1) * S:
        _fail("overflow")
    else:
        loss = _cdiv(-worst, S)
    net = 0
    for is_call, _, q in legs:
        if is_call:
            net = add(net, q)
    if net >= 0:
        return loss, loss
    iu = up(r.unpaired_initial, forward)
    mu = up(r.unpaired_maintenance, forward)
    ic = up(-net, iu)
    mc = up(-net, mu)
    return add(loss, ic), add(loss, mc)


# The probe's line format (tests/support/kernel_probe.cpp) -------------------

def _type(word: str) -> bool:
    if word not in ("call", "put"):
        raise ValueError(word)
    return word == "call"


def _run(words: list[str]) -> str:
    name, args = words[0], words[1:]
    if name == "black76":
        b = black76(*map(int, args))
        d1 = "none" if b.degenerate else str(b.d1)
        return f"{b.call} {b.put} {b.call_delta} {d1} {b.tau} {b.sqrt_tau} {b.tv}"
    if name == "greeks":
        secs, r, sigma, f, k = map(int, args[:5])
        is_call = _type(args[5])
        d = discount_factor(r, annualise(secs)) if secs >= 0 else S
        g = greeks(secs, d, sigma, f, k, r, is_call)
        return " ".join(str(v) for v in (g.delta, g.gamma, g.vega, g.vega_per_point, g.theta_per_year,
                                         g.theta_per_day))
    if name == "svi":
        return str(svi(*map(int, args)))
    if name == "short_req":
        is_call = _type(args[0])
        k, spot, mark, a, b, c, cp, floor = map(int, args[1:])
        return "%d %d" % short_option_requirement(is_call, k, spot, mark, Rates(a, b, c, c, cp, floor))
    if name == "max_loss":
        f, ui, um = map(int, args[:3])
        rest = args[3:]
        legs = [(_type(rest[i]), int(rest[i + 1]), int(rest[i + 2])) for i in range(0, len(rest), 3)]
        return "%d %d" % max_loss_requirement(legs, f, Rates(0, 0, 0, 0, 0, 0, ui, um))
    raise ValueError(name)


def evaluate(words: list[str]) -> str:
    """The probe's answer for one line: the results or `error <code>` (SVI
    validation errors add the path)."""
    try:
        return _run(words)
    except OptionError as err:
        return f"error {err.code} {err.path}" if err.path else f"error {err.code}"
    except KernelError as err:
        return f"error {err.code}"
