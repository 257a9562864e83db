#!/usr/bin/env python3
"""Keeps the docs true: every error code of core/src/error.cpp has a section
in docs/errors.md (and no section names a code that does not exist), and
the README's quick start shows the two commands."""
import pathlib
import re
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
for f in failures:
    print(f)
print(f"docs check: {len(codes)} error codes documented" if not failures else f"docs check: {len(failures)} problems")
sys.exit(1 if failures else 0)
