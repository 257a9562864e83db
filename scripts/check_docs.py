#!/usr/bin/env python3
"""Keeps the docs true: every error code of core/src/error.cpp has a section
in docs/errors.md (and no section names a code that does not exist); every
example error in docs/errors.md that a vector can produce is one a vector
produces; the README's quick start shows the two commands; and, given the
CLI (--cli PATH), every number in the README's example report is what the
CLI reports for examples/exchange.

Usage: check_docs.py [--cli PATH]"""
import json
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parents[1]
codes = set(re.findall(r'return "([a-z_]+)";', (root / "core/src/error.cpp").read_text()))
codes.discard("unknown_error")
documented = set(re.findall(r"^### `([a-z_]+)`", (root / "docs/errors.md").read_text(), re.M))
failures = []
for c in sorted(codes - documented):
    failures.append(f"docs/errors.md has no section for error code {c}")
for c in sorted(documented - codes):
    failures.append(f"docs/errors.md documents {c}, which core/src/error.cpp does not define")
readme = (root / "README.md").read_text()
for cmd in ("make demo", "make test"):
    if cmd not in readme:
        failures.append(f"README.md does not show `{cmd}`")
run = (root / ".ci/run").read_text()
if "make test" not in run:
    failures.append(".ci/run does not run `make test`")

# Error examples: `[vmargin.<code>] <path>: <message>` must match a vector,
# except codes no JSON input can produce (C++ numeric API, search limit).
api_only = {"division_by_zero", "domain_error", "liquidation_price_unresolved", "input_too_large"}
produced = set()
for v in (root / "tests/vectors").rglob("*.json"):
    e = json.loads(v.read_text(encoding="utf-8"))["expected"].get("error")
    if e:
        where = f"{e['path']}: " if e["path"] else ""  # as Error::to_string() prints it
        produced.add(f"[vmargin.{e['code']}] {where}{e['message']}")
# ...or asserted verbatim by a unit test (the signed path's errors).
unit_tests = "".join(p.read_text(encoding="utf-8") for p in (root / "tests/unit").rglob("*.cpp"))
unit_tests = re.sub(r'"\s*\n\s*"', "", unit_tests).replace('\\"', '"')  # join split literals, unescape
examples = re.findall(r"^`(\[vmargin\.([a-z_]+)\][^`]*)`$", (root / "docs/errors.md").read_text(), re.M)
for text, code in examples:
    if code not in api_only and text not in produced and text not in unit_tests:
        failures.append(f"docs/errors.md example is produced by no vector and asserted by no unit test: {text}")

if "--cli" in sys.argv:
    cli = sys.argv[sys.argv.index("--cli") + 1]
    ex = root / "examples/exchange"
    out = subprocess.run([cli, "eval", "--params", ex / "risk_parameters.json", "--prices", ex / "prices.json",
                          "--account", ex / "account.json", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    line = next(l for l in readme.splitlines() if l.startswith('{"account":"acct-7"'))
    for key, value in re.findall(r'"([a-z_]+)":"(-?[0-9.]+)"', line):
        if f'"{key}":"{value}"' not in out:
            failures.append(f"README example report: \"{key}\":\"{value}\" is not in the CLI's report")

for f in failures:
    print(f)
print(f"docs check: {len(codes)} error codes documented" if not failures else f"docs check: {len(failures)} problems")
sys.exit(1 if failures else 0)
