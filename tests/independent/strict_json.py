"""The strict JSON rules of docs/spec.md "JSON", re-implemented on Python's
json module: duplicate keys, a byte-order mark, a NUL byte anywhere, numbers
with a fraction or exponent and integers beyond 64 bits are errors."""
from __future__ import annotations

import json

from exact import VError


class _Reject(Exception):
    def __init__(self, code):
        self.code = code


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise _Reject("duplicate_key")
        seen.add(k)
    return dict(pairs)


def _float(text):
    raise _Reject("wrong_type")


def _int(text):
    v = int(text)
    if v < -(2**63) or v > 2**64 - 1:
        raise _Reject("wrong_type")
    return v


def loads_strict(text: str, base_path: str = ""):
    """Parses like the engine's strict parser; errors give the code only
    (paths and parser wording are checked against the engine by hand)."""
    raw = text.encode("utf-8")
    at = raw.find(b"\0")
    if at >= 0:  # a NUL is never JSON (escaped in strings); position in bytes, from 1
        line_start = raw.rfind(b"\n", 0, at) + 1
        line = raw.count(b"\n", 0, at) + 1
        raise VError("malformed_json", base_path,
                     f"not valid JSON: a NUL byte at line {line}, column "
                     f"{at - line_start + 1} (byte {at + 1}); NUL is not allowed anywhere in a document")
    if text.startswith("\ufeff"):
        raise VError("malformed_json", base_path,
                     "the document starts with a UTF-8 byte-order mark, which is not allowed")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_float=_float, parse_int=_int,
                          parse_constant=_float)
    except _Reject as r:
        raise VError(r.code, None, None)
    except json.JSONDecodeError:
        raise VError("malformed_json", base_path, None)
