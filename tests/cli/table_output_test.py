#!/usr/bin/env python3
"""`vmargin eval --format table` shows what the JSON report says, for the
risk model v1.1 figures that only some accounts have (docs/spec.md §5.10 and
§3.3): every position key, hedge legs included, and the PnL each equity
counts where a market weighs profit, with the report's values. The expected
values come from the conformance vectors (checked by the independent model).

Usage: table_output_test.py VMARGIN REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def table_of(vmargin: pathlib.Path, vector: pathlib.Path, work: pathlib.Path) -> list[str]:
    case = json.loads(vector.read_text())
    path = work / (vector.stem + ".json")
    path.write_text(json.dumps(case["input"]))
    out = subprocess.run([str(vmargin), "eval", "--input", str(path), "--format", "table"],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def position_rows(lines: list[str]) -> dict[str, list[str]]:
    """The Positions grid: header cells, then one row of cells per position key."""
    start = lines.index("Positions") + 1
    rows = {}
    for line in lines[start:]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[0]] = cells
    return rows


def main() -> int:
    vmargin, repo, work = map(pathlib.Path, sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    vectors = repo / "tests/vectors"
    for name, columns in (("profit/maintenance_mango.json", ("PnL initial", "PnL counted")),
                          ("profit/mango_weight.json", ("PnL initial",)),
                          ("hedge/profit_weights.json", ("PnL initial", "PnL counted")),
                          ("hedge/both_legs.json", ())):
        vector = vectors / name
        expected = json.loads(vector.read_text())["expected"]["positions"]
        lines = table_of(vmargin, vector, work)
        header = lines[lines.index("Positions") + 1]
        rows = position_rows(lines)
        for key, p in expected.items():
            check(key in rows, f"{name}: a row for {key}")
            if key not in rows:
                continue
            row = rows[key]
            check(p["quantity"] in row and p["maintenance_margin"] in row, f"{name}: {key}'s figures in {row}")
            if "PnL initial" in columns:
                check(p.get("initial_unrealized_pnl", "-") in row, f"{name}: {key}'s initial PnL in {row}")
            if "PnL counted" in columns:
                check(p.get("maintenance_unrealized_pnl", "-") in row, f"{name}: {key}'s counted PnL in {row}")
        for column in ("PnL initial", "PnL counted"):
            check((column in header) == (column in columns), f"{name}: column {column!r} shown iff weighted")
    print("table output: " + ("ok" if failures == 0 else f"{failures} failures"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
