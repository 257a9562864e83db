#!/usr/bin/env python3
"""Recomputes the expected output of every conformance vector from
docs/spec.md with exact rationals (model.py) and compares it with the
vector's stored expectation. The engine is never consulted.

For a report: every field must match. For an error: the code and the JSON
path must match, and the message too where model.py knows its exact wording
(messages from the JSON parser are checked against the engine by the
conformance runners only, and were reviewed by hand).

Usage: check_vectors.py [VECTOR_DIR ...]   (default: tests/vectors and tests/vectors_pending)
"""
from __future__ import annotations

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from exact import VError  # noqa: E402
from model import Derivation, evaluate, largest_order  # noqa: E402
from signed import verify_and_evaluate  # noqa: E402
from strict_json import loads_strict  # noqa: E402

OPERATIONS = {"evaluate": evaluate, "largest_order": largest_order, "verify_evaluate": verify_and_evaluate}


def expected_of(vector):
    if "input_text" in vector:
        try:
            doc = loads_strict(vector["input_text"])
        except VError as e:
            return e
    else:
        doc = vector["input"]
    run = OPERATIONS[vector.get("operation", "evaluate")]
    try:
        return run(doc, Derivation())
    except VError as e:
        return e


def check_signing_model(repo: pathlib.Path) -> int:
    """The pure-Python Ed25519 against Wycheproof, and the signed example
    rebuilt from docs/formats.md §10 against the committed files."""
    import ed25519
    from signed_cases import example_files, options_example_files
    failures = 0
    wycheproof = json.loads((repo.parent / "shared" / "vectors" / "wycheproof_ed25519_test.json")
                            .read_text(encoding="utf-8"))
    tried = 0
    for group in wycheproof["testGroups"]:
        pk = bytes.fromhex(group["publicKey"]["pk"])
        for t in group["tests"]:
            tried += 1
            got = ed25519.verify(pk, bytes.fromhex(t["msg"]), bytes.fromhex(t["sig"]))
            if got != (t["result"] == "valid"):
                print(f"ed25519.py: Wycheproof tcId {t['tcId']} ({t['comment']}): got {got}, "
                      f"expected {t['result']}")
                failures += 1
    rebuilt = 0
    for folder, files in (("signed", example_files()), ("signed-options", options_example_files())):
        for name, text in files.items():
            committed = (repo / "examples" / folder / name).read_text(encoding="utf-8")
            if committed != text:
                print(f"examples/{folder}/{name}: differs from the independent rebuild")
                failures += 1
            rebuilt += 1
    print(f"independent signing model: ed25519.py {tried - failures}/{tried} Wycheproof vectors; "
          f"examples/signed/ and examples/signed-options/ rebuilt byte for byte: {rebuilt} files")
    return failures


def main() -> int:
    tests = pathlib.Path(__file__).resolve().parents[1]
    roots = [pathlib.Path(a) for a in sys.argv[1:]] or [tests / "vectors", tests / "vectors_pending"]
    files = sorted((p, root) for root in roots for p in root.rglob("*.json"))
    failures = 0
    reports = errors = messages = 0
    for path, root in files:
        name = path.relative_to(root.parent).as_posix()
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
    failures += check_signing_model(pathlib.Path(__file__).resolve().parents[2])
    print(f"independent checker: {len(files)} vectors, {reports} reports recomputed in full, "
          f"{errors} errors (code and path), {messages} error messages recomputed; "
          f"{failures} mismatches")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
