#!/usr/bin/env python3
"""Runs prepared conformance inputs through the Python package's API (dicts
in, dicts out, VMarginError for rejections) and prints one line per input,
"<name>\\t<canonical output>", for tests/conformance/cross_target.py to
compare byte for byte with every other runner.

  run_vectors.py <inputs dir> <list file>      (PYTHONPATH=<build>/python)

An input is passed as a dict when it is exactly the canonical JSON of what
json.loads makes of it (else -- malformed text, duplicate keys, numbers with
a fraction, other spacing -- as its text). A vector's state goes in through
import_state and the result's comes out through export_state, so the state's
bytes are compared too.
"""
from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import vmargin


def input_of(text: str) -> Any:
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) and vmargin.canonical_json(value) == text else text
    except (ValueError, vmargin.VMarginError, RecursionError):
        return text


def run(name: str, operation: str, inputs: pathlib.Path) -> Any:
    file = inputs / name
    if operation == "verify_evaluate":
        def part(p: str) -> str | None:
            f = pathlib.Path(f"{file}.{p}")
            return f.read_text(encoding="utf-8") if f.exists() else None

        state = part("state")
        result = vmargin.verify_evaluate(trust=input_of(part("trust") or ""),
                                         state=None if state is None else vmargin.import_state(state),
                                         params=part("params") or "", snapshot=part("snapshot") or "",
                                         statement=part("statement") or "")
        return {**result, "state": json.loads(vmargin.export_state(result["state"]))}
    doc = input_of(file.read_text(encoding="utf-8"))
    return vmargin.largest_order(doc) if operation == "largest_order" else vmargin.evaluate(doc)


def main() -> int:
    inputs, names = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out = []
    for line in names.read_text(encoding="utf-8").splitlines():
        name, operation = line.split("\t")
        try:
            output = run(name, operation, inputs)
        except vmargin.VMarginError as e:
            output = {"error": {"code": e.code, "path": e.path, "message": e.detail}}
        out.append(f"{name}\t{vmargin.canonical_json(output)}\n")
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
