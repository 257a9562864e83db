#!/usr/bin/env python3
"""Human-readable output escapes what a terminal acts on (issue 18, defect
9): ids from the inputs (an account id, a market, an asset, a snapshot id,
paths of published values) and error messages quoting them cannot clear the
screen, move the cursor or forge a line such as "status: healthy", in
`--format table` and on standard error. JSON output stays JSON.

Usage: terminal_output_test.py VMARGIN REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys

failures = 0
HOSTILE = "\x1b[2J\x1b[H\u009b31m\x7f\nCross margin pool\n  status  healthy\x07\u202e"


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def inert(data: bytes) -> bool:
    """No C0 control but newline, no DEL, no C1 control (as UTF-8 or raw)."""
    text = data.decode("utf-8", errors="replace")
    return not re.search("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)


def main() -> int:
    vmargin, repo, work = map(pathlib.Path, sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ex = repo / "examples/exchange"
    params = json.loads((ex / "risk_parameters.json").read_text())
    # A market and an asset with hostile ids, and an account id.
    params["markets"][HOSTILE] = params["markets"].pop("ETH-PERP")
    params["assets"]["X" + HOSTILE] = params["assets"]["USDC"]
    account = json.loads((ex / "account.json").read_text())
    account["id"] = HOSTILE
    account["positions"][HOSTILE] = account["positions"].pop("ETH-PERP")
    account["collateral"]["X" + HOSTILE] = "5"
    files = {"params": params, "account": account}
    for name, doc in files.items():
        (work / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copy(ex / "prices.json", work / "prices.json")
    docs = ["--params", work / "params.json", "--prices", work / "prices.json", "--account", work / "account.json"]

    def run(*args):
        return subprocess.run([str(vmargin)] + [str(a) for a in args], capture_output=True)

    r = run("eval", *docs, "--format", "table")
    check(r.returncode == 0, f"eval --format table: exit {r.returncode}: {r.stderr!r}")
    check(inert(r.stdout), f"eval --format table prints control characters: {r.stdout[:200]!r}")
    lines = r.stdout.split(b"\n")
    check(lines.count(b"Cross margin pool") == 1 and b"  status  healthy" not in lines,
          "eval --format table: a forged line")
    check(b"\\x1b[2J\\x1b[H\\u009b31m\\x7f\\nCross margin pool\\n  status  healthy\\x07\\u202e" in r.stdout,
          "the account id is not shown escaped")
    j = run("eval", *docs, "--format", "json")
    check(j.returncode == 0 and json.loads(j.stdout)["account"] == HOSTILE, "eval --format json: the id")

    r = run("max-order", *docs, "--market", HOSTILE, "--side", "buy", "--format", "table")
    check(r.returncode == 0 and inert(r.stdout), f"max-order --format table: {r.stdout[:200]!r}")

    # Verify's table: the account id and the paths of differing values.
    published = json.loads(j.stdout)
    published["positions"][HOSTILE]["notional"] = "1" + HOSTILE
    (work / "published.json").write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    r = run("verify", *docs, "--published", work / "published.json", "--format", "table")
    check(r.returncode == 5 and inert(r.stdout), f"verify --format table: {r.stdout[:300]!r}")
    # ... and the bulk summary on standard error.
    (work / "accounts.jsonl").write_text(json.dumps(account, ensure_ascii=False) + "\n", encoding="utf-8")
    (work / "published.jsonl").write_text(json.dumps(published, ensure_ascii=False) + "\n", encoding="utf-8")
    r = run("verify", "--params", work / "params.json", "--prices", work / "prices.json", "--accounts",
            work / "accounts.jsonl", "--published", work / "published.jsonl", "--out", work / "out.jsonl")
    check(r.returncode == 5 and inert(r.stderr), f"bulk verify summary: {r.stderr[:300]!r}")

    # inspect: a key id and a payload holding control characters.
    key = run("keygen", "--seed", "11" * 32)
    (work / "key.json").write_bytes(key.stdout)
    (work / "payload.json").write_text(json.dumps({"id": HOSTILE}, ensure_ascii=False) + "\x1b[2J",
                                       encoding="utf-8")
    signed = run("sign", "--role", "statement", "--key", work / "key.json", "--key-id", HOSTILE,
                 work / "payload.json")
    check(signed.returncode == 0, f"sign: {signed.stderr!r}")
    (work / "statement.signed").write_bytes(signed.stdout)
    r = run("inspect", work / "statement.signed", "--format", "table")
    check(r.returncode == 0 and inert(r.stdout), f"inspect --format table: {r.stdout[:300]!r}")

    # Error messages quoting an id, on standard error.
    del params["markets"][HOSTILE]
    (work / "params.json").write_text(json.dumps(params, ensure_ascii=False), encoding="utf-8")
    r = run("eval", *docs, "--format", "json")
    check(r.returncode == 4 and inert(r.stderr) and r.stderr.count(b"\n") == 1,
          f"an error quoting an id: {r.stderr!r}")
    check(json.loads(r.stdout)["error"]["code"] == "unknown_market", "the JSON error")
    r = run("eval", "--params", work / ("no-such-" + HOSTILE), "--prices", work / "prices.json",
            "--account", work / "account.json")
    check(r.returncode == 3 and inert(r.stderr) and r.stderr.count(b"\n") == 1, f"a file name: {r.stderr!r}")
    r = run("eval", "--shock", HOSTILE)
    check(r.returncode == 2 and inert(r.stderr), f"a usage error quoting an argument: {r.stderr!r}")

    print(f"terminal output test: {'ok' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
