#!/usr/bin/env python3
"""Writes the conformance vectors of tests/vectors/ from the case list in
cases.py and signed_cases.py. Expected reports and their derivations come
from model.py (exact rationals, written from docs/spec.md) and, for signed
inputs, signed.py (docs/formats.md, with a pure-Python Ed25519); expected
error messages that model.py does not derive are written by hand in cases.py. The engine is never run
here: review `git diff tests/vectors` after regenerating.

Usage: make_vectors.py [--check]   (--check: fail if a file would change)
"""
from __future__ import annotations

import copy
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here))

from cases import CASES as MODEL_CASES  # noqa: E402
from exact import VError  # noqa: E402
from model import Derivation, evaluate, largest_order  # noqa: E402
from signed import verify_and_evaluate  # noqa: E402
from signed_cases import CASES as SIGNED_CASES  # noqa: E402
from strict_json import loads_strict  # noqa: E402

VECTORS = here.parent / "vectors"
PENDING = here.parent / "vectors_pending"  # cases with "pending": run by no conformance runner (README there)
CASES = MODEL_CASES + SIGNED_CASES
OPERATIONS = {"evaluate": evaluate, "largest_order": largest_order, "verify_evaluate": verify_and_evaluate}


def build(case) -> dict:
    d = Derivation()
    run = OPERATIONS[case.get("operation", "evaluate")]
    if "input_text" in case:
        try:
            doc = loads_strict(case["input_text"])
            result = run(doc, d)
        except VError as e:
            result = e
    else:
        try:
            result = run(copy.deepcopy(case["input"]), d)
        except VError as e:
            result = e
    if "expect" in case:  # the case states its outcome; the model must agree
        got = result.code if isinstance(result, VError) else "report"
        if got != case["expect"]:
            raise SystemExit(f"{case['name']}: the case expects {case['expect']}, the model gives {got}"
                             + (f" at {result.path}: {result.message}" if isinstance(result, VError) else ""))
    vector = {"description": case["description"]}
    if "pending" in case:
        vector["pending"] = case["pending"]
    if "operation" in case:
        vector["operation"] = case["operation"]
    if isinstance(result, VError):
        message = result.message if result.message is not None else case.get("message")
        path = result.path if result.path is not None else case.get("path")
        if message is None or path is None:
            raise SystemExit(f"{case['name']}: the error {result.code} needs a hand-written "
                             f"{'message' if message is None else 'path'} in cases.py")
        if "message" in case and result.message is not None and case["message"] != result.message:
            raise SystemExit(f"{case['name']}: hand-written message differs from the model's")
        vector["derivation"] = case.get("derivation", [f"rejected: {result.code} at {path}"])
        vector["expected"] = {"error": {"code": result.code, "path": path, "message": message}}
    else:
        vector["derivation"] = ([case["note"]] if "note" in case else []) + d.lines
        vector["expected"] = result
    if "input_text" in case:
        vector["input_text"] = case["input_text"]
    else:
        vector["input"] = case["input"]
    return vector


def main() -> int:
    check = "--check" in sys.argv
    names = set()
    changed = 0
    for case in CASES:
        if case["name"] in names:
            raise SystemExit(f"duplicate case name {case['name']}")
        names.add(case["name"])
        path = (PENDING if "pending" in case else VECTORS) / f"{case['name']}.json"
        text = json.dumps(build(case), indent=2, ensure_ascii=False) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed += 1
            if check:
                print(f"would change: {path.relative_to(VECTORS.parent)}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    pending = {c["name"] for c in CASES if "pending" in c}
    stale = [p for root, want in ((VECTORS, names - pending), (PENDING, pending)) for p in root.rglob("*.json")
             if p.relative_to(root).with_suffix("").as_posix() not in want]
    for p in stale:
        print(f"not produced by any case: {p.relative_to(VECTORS.parent)}")
    print(f"{len(CASES)} cases ({len(pending)} pending), {changed} {'would change' if check else 'written'}")
    return 1 if check and (changed or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
