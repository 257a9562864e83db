#!/usr/bin/env python3
"""Recomputes the expected output of every conformance vector from
docs/spec.md with exact rationals (model.py) and compares it with the
vector's stored expectation. The engine is never consulted.

For a report: every field must match. For an error: the code and the JSON
path must match, and the message too where model.py knows its exact wording
(messages from the JSON parser are checked against the engine by the
conformance runners only, and were reviewed by hand).

Usage: check_vectors.py [VECTOR_DIR]
"""
from __future__ import annotations

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from exact import VError  # noqa: E402
from model import Derivation, evaluate, largest_order  # noqa: E402
from strict_json import loads_strict  # noqa: E402


def expected_of(vector):
    if "input_text" in vector:
        try:
            doc = loads_strict(vector["input_text"])
        except VError as e:
            return e
    else:
        doc = vector["input"]
    run = largest_order if vector.get("operation") == "largest_order" else evaluate
    try:
        return run(doc, Derivation())
    except VError as e:
        return e


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).resolve().parents[1] / "vectors")
    files = sorted(p for p in root.rglob("*.json"))
    failures = 0
    reports = errors = messages = 0
    for path in files:
        name = path.relative_to(root).as_posix()
        vector = json.loads(path.read_text(encoding="utf-8"))
        for key in ("description", "derivation", "expected"):
            if key not in vector:
                print(f"{name}: missing \"{key}\"")
                failures += 1
        if ("input" in vector) == ("input_text" in vector):
            print(f"{name}: needs exactly one of \"input\" and \"input_text\"")
            failures += 1
            continue
        got = expected_of(vector)
        want = vector["expected"]
        if isinstance(got, VError):
            e = want.get("error") if isinstance(want, dict) else None
            if e is None:
                print(f"{name}: the checker expects error {got.code} at {got.path}, the vector a report")
                failures += 1
                continue
            ok = e["code"] == got.code and (got.path is None or e["path"] == got.path)
            if got.message is not None:
                ok = ok and e["message"] == got.message
                messages += 1
            if not ok:
                print(f"{name}: expected error {e}, checker computed "
                      f"{{code: {got.code}, path: {got.path}, message: {got.message}}}")
                failures += 1
            errors += 1
        else:
            if got != want:
                print(f"{name}: report differs\n  vector:  {json.dumps(want, sort_keys=True)}\n"
                      f"  checker: {json.dumps(got, sort_keys=True)}")
                failures += 1
            reports += 1
    print(f"independent checker: {len(files)} vectors, {reports} reports recomputed in full, "
          f"{errors} errors (code and path), {messages} error messages recomputed; "
          f"{failures} mismatches")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
