"""Exact arithmetic for the independent checker: decimals as Fractions.

Written from docs/spec.md, not from the C++ code: parsing, the rounding
directions and the canonical formatting are re-derived here so that the
engine and this checker can disagree if either is wrong.
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

SCALE = 10**18
MAX_RAW = 2**127 - 1
MAX = Fraction(MAX_RAW, SCALE)
MAX_TEXT = "170141183460469231731.687303715884105727"
DECIMAL_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
ULP = Fraction(1, SCALE)


class VError(Exception):
    """An expected engine error: code, JSON pointer, message (None when this
    checker does not model the exact wording, e.g. the JSON parser's)."""

    def __init__(self, code: str, path: str | None, message: str | None):
        super().__init__(f"[vmargin.{code}] {path}: {message}")
        self.code, self.path, self.message = code, path, message


def quoted(text: str) -> str:
    shown = text[:64]
    out = '"'
    for ch in shown:
        if ch in '"\\':
            out += "\\" + ch
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out += "\\u%04x" % ord(ch)
        else:
            out += ch
    if len(text) > 64:
        out += "..."
    return out + '"'


def parse_decimal(text: str, path: str) -> Fraction:
    """The grammar of docs/spec.md §1.1."""
    if len(text) > 64 or not DECIMAL_RE.fullmatch(text):
        raise VError("bad_decimal", path, None)  # several wordings; pinned by the C++ unit tests
    frac = text.split(".")[1] if "." in text else ""
    if len(frac) > 18:
        raise VError("decimal_too_precise", path,
                     f"{quoted(text)} has {len(frac)} fractional digits; at most 18 are allowed")
    value = Fraction(text)
    if abs(value) > MAX:
        raise VError("decimal_out_of_range", path,
                     f"{quoted(text)} is outside the representable range of +-{MAX_TEXT}")
    return value


class Overflow(Exception):
    """A value left the fixed-point range (the engine reports overflow)."""


def checked(x: Fraction) -> Fraction:
    if abs(x) > MAX:
        raise Overflow()
    return x


# The rounding functions of docs/spec.md. `exact` mode (for the checker's own
# liquidation search) turns every price-dependent rounding into the identity.
class Rounding:
    def __init__(self, exact: bool = False):
        self.exact = exact

    def up(self, x: Fraction) -> Fraction:
        if self.exact:
            return checked(x)
        return checked(Fraction(math.ceil(x * SCALE), SCALE))

    def down(self, x: Fraction) -> Fraction:
        if self.exact:
            return checked(x)
        return checked(Fraction(math.floor(x * SCALE), SCALE))

    def toward_zero(self, x: Fraction) -> Fraction:
        if self.exact:
            return checked(x)
        r = x * SCALE
        return checked(Fraction(math.floor(r) if r >= 0 else math.ceil(r), SCALE))


ROUNDED = Rounding(False)
EXACT = Rounding(True)


def up(x: Fraction) -> Fraction:
    return ROUNDED.up(x)


def down(x: Fraction) -> Fraction:
    return ROUNDED.down(x)


def sqrt_up(x: Fraction) -> Fraction:
    """up(sqrt(x)) for x >= 0 on the 10^-18 grid (exact integer root)."""
    n = x * SCALE * SCALE
    assert n.denominator == 1
    r = math.isqrt(n.numerator)
    if r * r != n.numerator:
        r += 1
    return Fraction(r, SCALE)


def fmt(x: Fraction) -> str:
    """Canonical decimal text: no trailing zeros, "0" for zero, no "-0"."""
    raw = x * SCALE
    assert raw.denominator == 1, f"{x} is not a multiple of 10^-18"
    raw = raw.numerator
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    integer, fraction = divmod(raw, SCALE)
    if fraction == 0:
        return f"{sign}{integer}"
    digits = f"{fraction:018d}".rstrip("0")
    return f"{sign}{integer}.{digits}"


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
