#!/usr/bin/env python3
"""`vmargin verify` end to end: a generated batch with tampered published
results and broken lines must be reported exactly (every tampered field at
its path, every broken line with its source, nothing else), identically
whatever the number of threads; one-account verification, plain and signed.

Usage: bulk_verify_test.py VMARGIN VMARGIN_BATCH REPO_ROOT WORK_DIR
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


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, **kw)


def main() -> int:
    vmargin, batch_tool, repo, work = map(pathlib.Path, sys.argv[1:5])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    batch = work / "batch"
    r = run(batch_tool, "--exchange", repo / "examples/exchange", "--out", batch, "--accounts", 2500,
            "--seed", 7, "--tamper", 20000, "--bad-lines", 6)
    check(r.returncode == 0, f"vmargin_batch: {r.stderr.decode()}")
    expected = [json.loads(line) for line in (batch / "expected.jsonl").read_text().splitlines()]
    tampered = {e["line"]: e["path"] for e in expected if "path" in e}
    broken = {e["line"]: e["source"] for e in expected if "source" in e}
    check(len(tampered) > 20 and len(broken) == 6, f"batch has {len(tampered)} tampered, {len(broken)} broken")

    outputs = {}
    for threads in (1, 2, 3):
        out, summary = work / f"out{threads}.jsonl", work / f"summary{threads}.json"
        r = run(vmargin, "verify", "--params", batch / "risk_parameters.json", "--prices", batch / "prices.json",
                "--accounts", batch / "accounts.jsonl", "--published", batch / "published.jsonl",
                "--threads", threads, "--out", out, "--summary", summary)
        check(r.returncode == 5, f"--threads {threads}: exit code {r.returncode}, expected 5 (differences found)")
        outputs[threads] = out.read_bytes()
        s = json.loads(summary.read_text())
        check(s["accounts"] == 2500 and s["mismatches"] == len(tampered)
              and s["bad_account_lines"] + s["bad_published_lines"] == len(broken)
              and s["matches"] == 2500 - len(tampered) - len(broken), f"summary {s}")
    check(outputs[1] == outputs[2] == outputs[3], "output differs with the number of threads")

    records = [json.loads(line) for line in outputs[1].decode().splitlines()]
    by_line = {rec["line"]: rec for rec in records}
    check(len(by_line) == len(records), "a line is reported twice")
    check([rec["line"] for rec in records] == sorted(by_line), "records are not in line order")
    check(set(by_line) == set(tampered) | set(broken),
          f"reported lines differ from the seeded ones: extra {sorted(set(by_line) - set(tampered) - set(broken))[:5]}, "
          f"missed {sorted((set(tampered) | set(broken)) - set(by_line))[:5]}")
    for line, path in tampered.items():
        rec = by_line.get(line, {})
        diffs = rec.get("differences", [])
        check(len(diffs) == 1 and diffs[0]["path"] == path and diffs[0]["kind"] == "differs"
              and diffs[0]["recomputed"] != diffs[0]["published"],
              f"line {line}: expected one difference at {path}, got {diffs}")
        check(rec.get("inputs") == {"as_of": 1795521600000, "risk_parameters_version": 12},
              f"line {line}: inputs {rec.get('inputs')}")
    for line, source in broken.items():
        rec = by_line.get(line, {})
        check(rec.get("source") == source and rec.get("error", {}).get("code") == "malformed_json",
              f"line {line}: expected a malformed {source} line, got {rec}")

    # A published file one line short: the last account is reported, not skipped.
    short = work / "short.jsonl"
    short.write_text("".join((batch / "published.jsonl").read_text().splitlines(keepends=True)[:-1]))
    r = run(vmargin, "verify", "--params", batch / "risk_parameters.json", "--prices", batch / "prices.json",
            "--accounts", batch / "accounts.jsonl", "--published", short, "--threads", 2)
    last = json.loads(r.stdout.decode().splitlines()[-1])
    check(last["line"] == 2500 and last["source"] == "published", f"missing last published line: {last}")

    # A clean batch: exit 0, nothing on standard output.
    clean = work / "clean"
    run(batch_tool, "--exchange", repo / "examples/exchange", "--out", clean, "--accounts", 300, "--tamper", 0)
    r = run(vmargin, "verify", "--params", clean / "risk_parameters.json", "--prices", clean / "prices.json",
            "--accounts", clean / "accounts.jsonl", "--published", clean / "published.jsonl")
    check(r.returncode == 0 and r.stdout == b"", f"clean batch: exit {r.returncode}, output {r.stdout[:200]}")
    check(b"300 accounts, 300 match" in r.stderr, f"clean batch summary: {r.stderr[:300]}")

    # One account, signed inputs: the example's own report matches; one tampered field is named.
    signed = repo / "examples/signed"
    r = run(vmargin, "eval", "--trust", signed / "trust.json", "--params", signed / "risk_parameters.signed",
            "--snapshot", signed / "snapshot.signed", "--statement", signed / "statement.signed", "--format", "json")
    report = json.loads(r.stdout)["report"]
    published = work / "published.json"
    published.write_text(json.dumps(report))
    args = ["verify", "--trust", signed / "trust.json", "--params", signed / "risk_parameters.signed",
            "--snapshot", signed / "snapshot.signed", "--statement", signed / "statement.signed",
            "--published", published, "--format", "json"]
    r = run(vmargin, *args)
    result = json.loads(r.stdout)
    check(r.returncode == 0 and result["match"] and result["inputs"]["snapshot_id"] == "snap-2026-11-24T12:00:00Z",
          f"signed one-account verify: {r.returncode} {result}")
    report["positions"]["BTC-PERP"]["liquidation_price"] = "1"
    del report["cross"]["health"]
    report["cross"]["bonus"] = "0"
    published.write_text(json.dumps(report))
    r = run(vmargin, *args)
    result = json.loads(r.stdout)
    got = [(d["path"], d["kind"]) for d in result["differences"]]
    check(r.returncode == 5 and got == [("/cross/bonus", "extra"), ("/cross/health", "missing"),
                                        ("/positions/BTC-PERP/liquidation_price", "differs")],
          f"signed one-account tampered: {r.returncode} {got}")
    check(result["inputs"]["risk_parameters_version"] == 12, f"inputs {result['inputs']}")

    print(f"bulk verify: 2500 accounts, {len(tampered)} tampered fields and {len(broken)} broken lines found "
          f"exactly with 1, 2 and 3 threads; {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
