"""Ed25519 (RFC 8032 §5.1) in pure Python, for the independent checker only.

Written from the RFC, not from libsodium: it signs (deterministically, so it
must reproduce libsodium's signatures byte for byte) and verifies with the
checks libsodium 1.0.18's crypto_sign_verify_detached makes on ordinary
inputs: S < L, A and R canonical and not of small order, and the
cofactorless equation encode(sB - hA) == R. The edge cases where verifiers
differ (non-canonical encodings of small-order points, mixed-order keys) are
pinned by the Wycheproof vectors in the C++ tests, not here. Slow (a few
milliseconds per operation) and not constant time: never use it for secrets.
"""
from __future__ import annotations

import hashlib

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

# Points in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z.
IDENTITY = (0, 1, 1, 0)


def _add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(k: int, p):
    q = IDENTITY
    while k:
        if k & 1:
            q = _add(q, p)
        p = _add(p, p)
        k >>= 1
    return q


def _equal(p, q) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % P == 0 and (p[1] * q[2] - q[1] * p[2]) % P == 0


def _recover_x(y: int, sign: int):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
BASE = (_GX, _GY, 1, _GX * _GY % P)


def _encode(p) -> bytes:
    x, y, z, _ = p
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decode(b: bytes):
    """The point of a canonical encoding, or None."""
    if len(b) != 32:
        return None
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def _small_order(p) -> bool:
    return _equal(_mul(8, p), IDENTITY)


def _h(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little")


def _expand(seed: bytes):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def public_key(seed: bytes) -> bytes:
    a, _ = _expand(seed)
    return _encode(_mul(a, BASE))


def sign(seed: bytes, message: bytes) -> bytes:
    a, prefix = _expand(seed)
    pk = _encode(_mul(a, BASE))
    r = _h(prefix, message) % L
    R = _encode(_mul(r, BASE))
    s = (r + _h(R, pk, message) * a) % L
    return R + int.to_bytes(s, 32, "little")


_verified: dict = {}


def verify(pk: bytes, message: bytes, signature: bytes) -> bool:
    key = (pk, message, signature)
    if key not in _verified:
        _verified[key] = _verify(pk, message, signature)
    return _verified[key]


def _verify(pk: bytes, message: bytes, signature: bytes) -> bool:
    if len(signature) != 64 or len(pk) != 32:
        return False
    R_bytes, s = signature[:32], int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    A, R = _decode(pk), _decode(R_bytes)
    if A is None or R is None or _small_order(A) or _small_order(R):
        return False
    h = _h(R_bytes, pk, message) % L
    minus_hA = _mul(h, (P - A[0], A[1], A[2], P - A[3]))
    return _encode(_add(_mul(s, BASE), minus_hA)) == R_bytes
