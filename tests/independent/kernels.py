"""The kernels of docs/spec.md §11 (§K) with plain Python integers.

Written from the spec's integer programs, not from the C++: Python integers
are unbounded, so nothing here wraps; the spec's floor shifts are Python's
`>>`, its truncating division is `tdiv` below (Python's `//` floors). Inputs
and outputs are raw values (integer counts of 10^-18). Errors raise
KernelError with the engine's code name (`overflow`, `domain_error`).

An optional width tracker (`track_widths`) records the largest bit length
of each intermediate, to check the spec's width table (§11.7).
"""
from __future__ import annotations

SCALE = 10**18
MAX_RAW = 2**127 - 1
FIVE18 = 3814697265625  # 5^18 = 10^18 / 2^18

EXP_UNDERFLOW = 42139678854452767551  # exp(X) = 0 for X <= -EXP_UNDERFLOW
EXP_WIDE_LIMIT = 135305999368893231589  # exp_wide(X) overflows for X >= this
LN2_Q96 = 54916777467707473351141471128

EXP_P = (
    2772001395605857295435445496992,
    44335888930127919016834873520032,
    398888492587501845352592340339721,
    1993839819670624470859228494792842,
)
EXP_P_LAST = 4385272521454847904632057985693276
EXP_Z = (750530180792738023273180420736, 32788456221302202726307501949080)
EXP_W = (2218138959503481824038194425854, 892943633302991980437332862907700)
EXP_Q = (78174809823045304726920794422040, 4203224763890128580604056984195872)
EXP_FINISH = 3822833074963236453042738258902158003155416615667

LN_P = (
    3273285459638523848632254066296,
    24828157081833163892658089445524,
    43456485725739037958740375743393,
    -11111509109440967052023855526967,
    -45023709667254063763336534515857,
    -14706773417378608786704636184526,
)
LN_P_LAST = 795164235651350426258249787498
LN_Q = (
    5573035233440673466300451813936,
    71694874799317883764090561454958,
    283447036172924575727196451306956,
    401686690394027663651624208769553,
    204048457590392012362485061816622,
    31853899698501571402653359427138,
    909429971244387300277376558375,
)
LN_SCALE = 1677202110996718588342820967067443963516166
LN_LN2 = 16597577552685614221487285958193947469193820559219878177908093499208371
LN_OFFSET = 600920179829731861736702779321621459595472258049074101567377883020018308

CDF_TAIL = 37 * SCALE
CDF_SWITCH = 130438178253327725388  # 7.07106781186547 x 2^64
CDF_N = (
    650478250178244362,
    12919787143353136591,
    117578849504046139487,
    625581961353917287603,
    2067498006223917203771,
    4080670594171652639712,
    4062099735652764000328,
)
CDF_M = (
    1630477228166597028,
    32386342837845824709,
    296331772558254578451,
    1600821957476871612085,
    5470644798650576484341,
    11756730424506726822413,
    14643514515380871948050,
    8124199471305528000657,
)
CDF_CF_START = 11990383647911208550  # 0.65 x 2^64
CDF_SQRT_2PI_Q64 = 46239130270042206915
PDF_SQRT_2PI = 2506628274631000502


class KernelError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_widths: dict[str, int] | None = None


def track_widths(table: dict[str, int] | None) -> None:
    """Record max bit lengths (signed: bit_length + 1 for negatives counts the
    sign as in two's complement) into `table`, or stop with None."""
    global _widths
    _widths = table


def _w(name: str, v: int) -> int:
    if _widths is not None:
        bits = v.bit_length() + 1 if v < 0 or name.startswith("s:") else v.bit_length()
        if bits > _widths.get(name, 0):
            _widths[name] = bits
    return v


def tdiv(a: int, b: int) -> int:
    """a / b truncated toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def exp_wide(x: int) -> int:
    if x <= -EXP_UNDERFLOW:
        return 0
    if x >= EXP_WIDE_LIMIT:
        raise KernelError("overflow")
    y = _w("s:exp.y", tdiv(_w("s:exp.x<<78", x << 78), FIVE18))
    k = (tdiv(_w("s:exp.y<<96", y << 96), LN2_Q96) + 2**95) >> 96
    r = _w("s:exp.r", y - k * LN2_Q96)
    p = r + EXP_P[0]
    for c in EXP_P[1:]:
        p = _w("s:exp.p", (_w("s:exp.prod", p * r) >> 96) + c)
    big_p = _w("s:exp.P", p * r + (EXP_P_LAST << 96))
    z = r + EXP_Z[0]
    z = _w("s:exp.z", (_w("s:exp.prod", z * r) >> 96) + EXP_Z[1])
    w = r - EXP_W[0]
    w = _w("s:exp.w", (_w("s:exp.prod", w * z) >> 96) + EXP_W[1])
    q = z + w - EXP_Q[0]
    q = _w("s:exp.q", (_w("s:exp.prod", q * w) >> 96) + EXP_Q[1])
    a = _w("s:exp.a", tdiv(big_p, q))
    _w("exp.k", k + 61)  # k is in [-61, 195]: track k + 61 >= 0
    if _widths is not None:
        _widths["exp.k_min"] = min(_widths.get("exp.k_min", 0), k)
        _widths["exp.k_max"] = max(_widths.get("exp.k_max", 0), k)
    return _w("u:exp.a*C", a * EXP_FINISH) >> (195 - k)


def exp(x: int) -> int:
    v = exp_wide(x)
    if v > MAX_RAW:
        raise KernelError("overflow")
    return v


def ln_wide(x: int) -> int:
    if x <= 0:
        raise KernelError("domain_error")
    if x >= 2**256:
        raise ValueError("ln_wide takes x < 2^256")
    k = x.bit_length() - 97
    m = x >> k if k >= 0 else x << -k
    p = m + LN_P[0]
    for c in LN_P[1:]:
        p = _w("s:ln.p", (_w("s:ln.prod", p * m) >> 96) + c)
    big_p = _w("s:ln.P", p * m - (LN_P_LAST << 96))
    q = m + LN_Q[0]
    for c in LN_Q[1:]:
        q = _w("s:ln.q", (_w("s:ln.prod", q * m) >> 96) + c)
    a = _w("s:ln.a", tdiv(big_p, q))
    return _w("s:ln.sum", a * LN_SCALE + k * LN_LN2 + LN_OFFSET) >> 174


def ln(x: int) -> int:
    if x <= 0:
        raise KernelError("domain_error")
    return ln_wide(x)


def _isqrt(n: int) -> int:
    """floor(sqrt(n)) by Newton's method on integers (not math.isqrt, so the
    check does not lean on the same library routine as the bound test)."""
    if n == 0:
        return 0
    r = 1 << ((n.bit_length() + 1) // 2)  # >= sqrt(n)
    while True:
        s = (r + n // r) >> 1
        if s >= r:
            return r
        r = s


def sqrt(x: int) -> int:
    if x < 0:
        raise KernelError("domain_error")
    return _isqrt(x * SCALE)


def _exp_neg(t: int) -> int:
    """e^(-t / 10^18) for t >= 0, 0 from the underflow limit on (§11.4)."""
    return 0 if t >= EXP_UNDERFLOW else exp(-t)


def normal_cdf(x: int) -> int:
    z = abs(x)
    if z > CDF_TAIL:
        return 0 if x < 0 else SCALE
    e = _exp_neg(_w("u:cdf.hz", (z >> 1) * z) // SCALE)
    z2 = (z << 46) // FIVE18
    e2 = (e << 46) // FIVE18
    if z2 < CDF_SWITCH:
        n = CDF_N[0]
        for c in CDF_N[1:]:
            n = _w("u:cdf.n", (_w("u:cdf.prod", n * z2) >> 64) + c)
        d = CDF_M[0]
        for c in CDF_M[1:]:
            d = _w("u:cdf.d", (_w("u:cdf.prod", d * z2) >> 64) + c)
        c = _w("u:cdf.c", _w("u:cdf.prod", n * e2) // d)
    else:
        f = CDF_CF_START
        for j in (4, 3, 2, 1):
            f = _w("u:cdf.f", (j << 128) // (z2 + f))
        f = _w("u:cdf.f", ((f + z2) * CDF_SQRT_2PI_Q64) >> 64)
        c = _w("u:cdf.c", (e2 << 64) // f)
    c = (c * FIVE18) >> 46
    return c if x <= 0 else SCALE - c


def normal_pdf(x: int) -> int:
    z = abs(x)
    if z >= 10 * SCALE:
        return 0
    h = abs(x >> 1)
    e = _exp_neg(_w("u:pdf.hz", h * z) // SCALE)
    return e * SCALE // PDF_SQRT_2PI


def pow(a: int, b: int) -> int:  # noqa: A001 - the spec's name
    if a <= 0:
        raise KernelError("domain_error")
    return exp(tdiv(_w("s:pow.lb", ln(a) * b), SCALE))


FUNCTIONS = {
    "exp": exp,
    "exp_wide": exp_wide,
    "ln": ln,
    "ln_wide": ln_wide,
    "sqrt": sqrt,
    "cdf": normal_cdf,
    "pdf": normal_pdf,
    "pow": pow,
}


def evaluate(name: str, *args: int) -> str:
    """The probe's answer for one line: the raw result or `error <code>`."""
    try:
        return str(FUNCTIONS[name](*args))
    except KernelError as err:
        return f"error {err.code}"
