#!/usr/bin/env python3
"""The CLI's input files (issue 18, defect 8):

- `verify --out` (or `--summary`) naming an input, by any spelling or link,
  is refused (exit 2) before anything is opened for writing;
- a directory given as an input file is exit 3, like any unreadable input;
- a document over the 16 MiB limit is input_too_large with its true size,
  from a regular file or a pipe, even beyond 64 MiB;
- a JSON Lines line over 16 MiB is a bad line (input_too_large, its line
  number and length) and the run goes on; it is read through, not held.

Usage: verify_files_test.py VMARGIN REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

failures = 0
MiB = 1 << 20


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def main() -> int:
    vmargin, repo, work = map(pathlib.Path, sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # Copies: a CLI that wrote over its inputs must not damage the repository.
    for name in ("risk_parameters.json", "prices.json", "account.json"):
        shutil.copy(repo / "examples/exchange" / name, work / name)
    params, prices, account = work / "risk_parameters.json", work / "prices.json", work / "account.json"

    def run(*args, **kw):
        return subprocess.run([str(vmargin)] + [str(a) for a in args], capture_output=True, **kw)

    report = run("eval", "--params", params, "--prices", prices, "--account", account, "--format", "json")
    check(report.returncode == 0, "eval of the example")
    account_line = json.dumps(json.loads(account.read_text()), separators=(",", ":")) + "\n"
    accounts, published = work / "accounts.jsonl", work / "published.jsonl"
    accounts.write_text(account_line * 3)
    published.write_bytes(report.stdout * 3)
    bulk = ["verify", "--params", params, "--prices", prices, "--accounts", accounts, "--published", published]
    r = run(*bulk)
    check(r.returncode == 0, f"three matching lines: exit {r.returncode}: {r.stderr.decode()}")

    # --out / --summary naming an input: refused, the input untouched.
    (work / "link.jsonl").symlink_to(accounts)
    os.link(published, work / "hardlink.jsonl")
    before = (accounts.read_bytes(), published.read_bytes())
    for option, target in (("--out", accounts), ("--out", work / "." / "accounts.jsonl"),
                           ("--out", work / "link.jsonl"), ("--out", work / "hardlink.jsonl"),
                           ("--summary", accounts), ("--out", params)):
        r = run(*bulk, option, target)
        check(r.returncode == 2 and b"is the same file as" in r.stderr,
              f"{option} {target}: exit {r.returncode}: {r.stderr.decode()}")
        check((accounts.read_bytes(), published.read_bytes()) == before, f"{option} {target}: an input changed")
    r = run(*bulk, "--out", work / "same.jsonl", "--summary", work / "same.jsonl")
    check(r.returncode == 0, f"--out and --summary, a new file each time: exit {r.returncode}")
    (work / "same.jsonl").write_text("")
    r = run(*bulk, "--out", work / "same.jsonl", "--summary", work / "same.jsonl")
    check(r.returncode == 2, f"--out and --summary the same existing file: exit {r.returncode}")

    # A directory as an input file: exit 3, as an unreadable file.
    directory = work / "a-directory"
    directory.mkdir()
    for args in (["verify", "--params", params, "--prices", prices, "--accounts", directory,
                  "--published", published],
                 ["verify", "--params", params, "--prices", prices, "--accounts", accounts,
                  "--published", directory],
                 ["eval", "--params", params, "--prices", prices, "--account", directory],
                 ["eval", "--params", directory, "--prices", prices, "--account", account]):
        r = run(*args)
        check(r.returncode == 3 and b"is a directory" in r.stderr,
              f"{' '.join(map(str, args[:1] + args[-2:]))}: exit {r.returncode}: {r.stderr.decode()}")

    # Oversized documents: the true size, from a file or a pipe.
    big = work / "big.json"
    with open(big, "wb") as f:
        f.truncate(70 * MiB + 5)
    r = run("eval", "--params", params, "--prices", prices, "--account", big, "--format", "json")
    expected = {"error": {"code": "input_too_large", "path": "/account",
                          "message": f"the document has {70 * MiB + 5} bytes; the limit is {16 * MiB}"}}
    check(r.returncode == 4 and json.loads(r.stdout) == expected, f"70 MiB file: {r.stdout[:300]!r}")
    with open(big, "rb") as f:
        r = run("eval", "--params", params, "--prices", prices, "--account", "-", "--format", "json", stdin=f)
    check(r.returncode == 4 and json.loads(r.stdout) == expected, f"70 MiB on a pipe: {r.stdout[:300]!r}")
    exact = work / "exact.json"
    exact.write_bytes(b" " * (16 * MiB - len(account_line)) + account_line.encode())
    r = run("eval", "--params", params, "--prices", prices, "--account", exact, "--format", "json")
    check(r.returncode == 0, f"a document of exactly 16 MiB: exit {r.returncode}: {r.stderr[:300]!r}")

    # A line over the limit: a bad line with its number, the others verified.
    long_accounts = work / "long.jsonl"
    with open(long_accounts, "wb") as f:
        f.write(account_line.encode())
        f.write(b" " * (17 * MiB) + account_line.encode())
        f.write(account_line.encode())
    out = work / "out.jsonl"
    r = run("verify", "--params", params, "--prices", prices, "--accounts", long_accounts, "--published",
            published, "--out", out)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    check(r.returncode == 5 and records == [{
        "line": 2, "source": "accounts", "account": None,
        "error": {"code": "input_too_large", "path": "/account",
                  "message": f"line 2 has {17 * MiB + len(account_line) - 1} bytes; the limit is {16 * MiB} "
                             "(one JSON document per line)"}}],
          f"a 17 MiB line: exit {r.returncode}, records {records}")
    check(b"3 accounts, 2 match, 0 mismatch, 1 bad account lines" in r.stderr, r.stderr.decode())

    # ... read through, not held: a 512 MiB line (sparse) costs no memory.
    huge = work / "huge.jsonl"
    with open(huge, "wb") as f:
        f.truncate(512 * MiB)
    p = subprocess.Popen([str(vmargin), "verify", "--params", str(params), "--prices", str(prices),
                          "--accounts", str(huge), "--published", str(published), "--out", str(out)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    peak_mib = usage.ru_maxrss / 1024
    record = json.loads(out.read_text().splitlines()[0])
    check(os.waitstatus_to_exitcode(status) == 5 and record["error"]["code"] == "input_too_large",
          f"a 512 MiB line: {record}")
    check(peak_mib < 128, f"a 512 MiB line took {peak_mib:.0f} MiB of memory")

    print(f"verify files test: {'ok' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
