#!/usr/bin/env python3
"""vmargin.dask.verify on a real cluster on loopback (a dask-scheduler and
two dask-worker processes): the same bytes as `vmargin verify --out
--summary` whatever the number of partitions; bad lines with their global
line numbers; signed inputs; a worker killed mid-run -> its tasks re-run on
the other, nothing lost or duplicated.

Usage: dask_verify_test.py VMARGIN VMARGIN_BATCH REPO_ROOT WORK_DIR PACKAGE_DIR
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from cluster import LocalCluster  # noqa: E402

import vmargin  # noqa: E402
import vmargin.dask  # noqa: E402

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def run(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(a) for a in args], capture_output=True)


def cli_verify(cli: pathlib.Path, batch: pathlib.Path, work: pathlib.Path, *extra: object) -> tuple[bytes, str]:
    out, summary = work / "cli_out.jsonl", work / "cli_summary.json"
    r = run(cli, "verify", "--accounts", batch / "accounts.jsonl", "--published", batch / "published.jsonl",
            "--out", out, "--summary", summary, *extra)
    check(r.returncode in (0, 5), f"vmargin verify: {r.returncode} {r.stderr!r}")
    return out.read_bytes(), summary.read_text()


def main() -> int:
    cli, batch_tool, repo, work, package = map(pathlib.Path, sys.argv[1:6])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    batch = work / "batch"
    r = run(batch_tool, "--exchange", repo / "examples/exchange", "--out", batch, "--accounts", 6000, "--seed", 11,
            "--tamper", 2000, "--bad-lines", 5)
    check(r.returncode == 0, f"vmargin_batch: {r.stderr!r}")
    plain = {"params": (batch / "risk_parameters.json").read_text(), "prices": (batch / "prices.json").read_text()}
    expected_lines, expected_summary = cli_verify(cli, batch, work, "--params", batch / "risk_parameters.json",
                                                  "--prices", batch / "prices.json")
    broken = {e["line"]: e["source"] for e in map(json.loads, (batch / "expected.jsonl").read_text().splitlines())
              if "source" in e}
    check(len(broken) == 5 and len(expected_lines) > 0, f"the batch: {len(broken)} broken lines")
    accounts, published = str(batch / "accounts.jsonl"), str(batch / "published.jsonl")

    started = time.monotonic()
    with LocalCluster(2, package, work / "cluster") as cluster:
        client = cluster.client
        print(f"cluster up in {time.monotonic() - started:.1f} s: {cluster.address}")
        for parts in (1, 2, 5, 16, 97):
            result = vmargin.dask.verify(accounts, published, **plain, client=client, partitions=parts)
            check(result.lines == expected_lines, f"{parts} partitions: the differences differ from the CLI's")
            check(vmargin.canonical_json(result.summary) + "\n" == expected_summary,
                  f"{parts} partitions: the summary differs from the CLI's")
        bad = {d["line"]: d["source"] for d in result.differences if "source" in d}
        check(bad == broken, f"bad lines at their global line numbers: {bad} vs {broken}")

        # Signed inputs: the example's signed parameters and snapshot, the same batch's accounts.
        signed = repo / "examples/signed"
        sig = {"trust": (signed / "trust.json").read_text(), "params": (signed / "risk_parameters.signed").read_text(),
               "snapshot": (signed / "snapshot.signed").read_text()}
        s_lines, s_summary = cli_verify(cli, batch, work, "--trust", signed / "trust.json", "--params",
                                        signed / "risk_parameters.signed", "--snapshot", signed / "snapshot.signed")
        result = vmargin.dask.verify(accounts, published, **sig, client=client, partitions=7)
        check(result.lines == s_lines and vmargin.canonical_json(result.summary) + "\n" == s_summary,
              "signed inputs: differs from the CLI")
        try:
            vmargin.dask.verify(accounts, published, **{**sig, "params": sig["params"].replace("a", "b", 1)},
                                client=client)
            check(False, "tampered signed parameters raise")
        except vmargin.VMarginError as e:
            check(e.path.startswith("/params"), f"tampered parameters: {e}")

        # A worker killed mid-run: SIGKILL once it holds work (running or finished, not yet gathered).
        victim_address = sorted(client.scheduler_info()["workers"])[0]
        victim_pid = cluster.worker_pid(victim_address)
        victim = next(p for p in cluster.worker_procs if p.pid == victim_pid)
        killed = threading.Event()
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(vmargin.dask.verify, accounts, published, **plain, client=client, partitions=200)
            deadline = time.monotonic() + 30
            while not future.done() and time.monotonic() < deadline:
                held = len(client.processing(workers=[victim_address]).get(victim_address, ())) + \
                    len(client.has_what(workers=[victim_address]).get(victim_address, ()))
                if held >= 3:
                    os.kill(victim.pid, signal.SIGKILL)
                    killed.set()
                    print(f"killed worker {victim_address} (pid {victim.pid}) holding {held} tasks")
                    break
                time.sleep(0.005)
            result = future.result(timeout=120)
        check(killed.is_set(), "the worker was killed mid-run")
        check(victim.wait(timeout=10) == -signal.SIGKILL, "the victim died of SIGKILL")
        check(result.lines == expected_lines, "after a worker was killed: the differences differ from the CLI's")
        check(vmargin.canonical_json(result.summary) + "\n" == expected_summary,
              f"after a worker was killed: the summary differs: {result.summary}")
        check(len(client.scheduler_info()["workers"]) == 1, "one worker left")
    print(f"dask_verify_test: {'OK' if not failures else f'{failures} failures'} "
          f"({time.monotonic() - started:.1f} s with the cluster)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
