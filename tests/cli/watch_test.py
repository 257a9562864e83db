#!/usr/bin/env python3
"""`vmargin watch` end to end, each figure checked against `vmargin eval`.

Plain stream: 40 accounts (variations of the example) and 60 price lines
(random walks of both feeds, a crash and a recovery) with account updates
and bad lines in between. After every accepted line, the per-account pool
statuses implied by the events (status changes applied to the load state)
and the system line's totals must equal what `vmargin eval` reports for
each account at those prices, summed here in Python's exact decimals.

Signed stream: the example's trust store, parameters and statement, with
30 signed snapshots from vmargin_fixtures --stream; forged, replayed,
out-of-order and truncated lines are each one "rejected" event that changes
nothing; a run stopped half-way and restarted from its --save-state
checkpoint writes exactly the events of the uninterrupted run.

Usage: watch_test.py VMARGIN VMARGIN_FIXTURES REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import json
import pathlib
import random
import shutil
import subprocess
import sys
from decimal import Decimal

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def run(args: list, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True, timeout=300)


def events_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line]


def pools_of(report: dict) -> dict:
    """{pool name: (status, equity, maintenance, shortfall)} of an eval report."""
    out = {"cross": report["cross"]}
    for market, pool in report.get("isolated", {}).items():
        out[market] = pool
    return {k: (p["status"], Decimal(p["equity"]), Decimal(p["maintenance_margin"]),
                Decimal(p["insurance_fund_shortfall"])) for k, p in out.items()}


def plain_case(vmargin: pathlib.Path, repo: pathlib.Path, work: pathlib.Path) -> None:
    example = repo / "examples" / "exchange"
    params = example / "risk_parameters.json"
    base_account = json.loads((example / "account.json").read_text())
    base_prices = json.loads((example / "prices.json").read_text())
    rng = random.Random(20261129)

    def variant(i: int) -> dict:
        a = json.loads(json.dumps(base_account))
        a["id"] = f"acct-{i:03d}"
        a["collateral"]["USDC"] = str(rng.randrange(0, 40000))
        for p in a["positions"].values():
            p["quantity"] = format((Decimal(p["quantity"]) * Decimal(rng.randrange(1, 30)) / 10).normalize(), "f")
        if rng.random() < 0.3:
            del a["positions"]["ETH-PERP"]
        return a

    accounts = {f"acct-{i:03d}": variant(i) for i in range(40)}
    (work / "accounts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in accounts.values()) + "{\"id\": 5}\n")
    lines, states = [], []  # the stream, and per line the prices and accounts after it
    prices = json.loads(json.dumps(base_prices))
    current = dict(accounts)
    lines.append(json.dumps({"prices": prices}))
    states.append((json.loads(json.dumps(prices)), dict(current)))
    levels = {"BTC-USD": Decimal("61000"), "ETH-USD": Decimal("3000")}
    for t in range(60):
        kind = rng.random()
        if kind < 0.08:
            lines.append("{\"prices\": {\"as_of\": 1, \"feeds\": {\"BTC-USD\": {\"mark\": \"-5\"}}}}")  # bad
            states.append(None)
            continue
        if kind < 0.16:
            a = variant(rng.randrange(0, 45))
            current[a["id"]] = a
            lines.append(json.dumps({"account": a}))
            states.append((json.loads(json.dumps(prices)), dict(current)))
            continue
        feed = rng.choice(list(levels))
        move = Decimal(rng.choice([-1, 1])) * Decimal(rng.choice(["0.001", "0.01", "0.05", "0.2"]))
        if t == 30:
            move = Decimal("-0.45")  # the crash
        if t == 45:
            levels = {"BTC-USD": Decimal("61000"), "ETH-USD": Decimal("3000")}  # and recovery
        levels[feed] = (levels[feed] * (1 + move)).quantize(Decimal("0.01"))
        prices = json.loads(json.dumps(prices))
        prices["as_of"] += rng.randrange(0, 2000)
        for f, level in levels.items():
            prices["feeds"][f]["mark"] = str(level)
        lines.append(json.dumps({"prices": prices}))
        states.append((json.loads(json.dumps(prices)), dict(current)))
    (work / "stream.jsonl").write_text("".join(line + "\n" for line in lines))
    r = run([vmargin, "watch", "--params", params, "--accounts", work / "accounts.jsonl", "--stream",
             work / "stream.jsonl", "--insurance-fund", "5000", "--metrics", work / "metrics.json"])
    check(r.returncode == 0, f"plain watch exit {r.returncode}: {r.stderr}")
    events = events_of(r.stdout)
    check(any(e["type"] == "rejected" and e["input"] == "accounts" and e["line"] == 41 for e in events),
          "the bad account line 41 is rejected")
    metrics = json.loads((work / "metrics.json").read_text())
    check(metrics["stream_lines"] == len(lines), "metrics count the stream lines")

    statuses: dict = {}  # (account, pool) -> status; a pool not listed is healthy
    by_line: dict = {}
    for e in events:
        if e["input"] == "stream":
            by_line.setdefault(e["line"], []).append(e)
    checked = 0
    for n, state in enumerate(states, start=1):
        got = by_line.get(n, [])
        if state is None:
            check([e["type"] for e in got] == ["rejected"], f"line {n}: one rejection, got {got}")
            continue
        for e in got:
            if e["type"] == "status":
                statuses[(e["account"], e["pool"])] = e["to"] or "healthy"
        system = [e for e in got if e["type"] == "system"]
        check(len(system) == 1, f"line {n}: one system line")
        if not system:
            continue
        px, accts = state
        (work / "p.json").write_text(json.dumps(px))
        totals = [Decimal(0)] * 3
        worst_count = {"healthy": 0, "margin_call": 0, "liquidatable": 0, "bankrupt": 0}
        order = list(worst_count)
        for aid, acct in accts.items():
            (work / "a.json").write_text(json.dumps(acct))
            ev = run([vmargin, "eval", "--params", params, "--prices", work / "p.json", "--account",
                      work / "a.json", "--format", "json"])
            report = json.loads(ev.stdout)
            if "error" in report:
                check(False, f"line {n}: eval of {aid} failed: {report}")
                continue
            pools = pools_of(report)
            for pool, (status, eq, mm, sf) in pools.items():
                totals[0] += eq
                totals[1] += mm
                totals[2] += sf
                check(statuses.get((aid, pool), "healthy") == status,
                      f"line {n}: {aid} {pool} is {status} by eval, {statuses.get((aid, pool), 'healthy')} by events")
            worst_count[max((p[0] for p in pools.values()), key=order.index)] += 1
        s = system[0]
        check(Decimal(s["total_equity"]) == totals[0], f"line {n}: total equity {s['total_equity']} vs {totals[0]}")
        check(Decimal(s["total_maintenance_margin"]) == totals[1], f"line {n}: total maintenance")
        check(Decimal(s["total_shortfall"]) == totals[2], f"line {n}: total shortfall")
        check(all(s[k] == v for k, v in worst_count.items()), f"line {n}: accounts per status {s} vs {worst_count}")
        check(Decimal(s["uncovered"]) == max(totals[2] - 5000, 0), f"line {n}: uncovered")
        check((len([e for e in got if e["type"] == "adl"]) > 0) == (totals[2] > 5000), f"line {n}: ADL iff uncovered")
        checked += 1
    check(checked > 40, f"checked {checked} lines")
    changes = [e for e in events if e["type"] == "status"]
    print(f"plain: {checked} lines checked against eval of every account, {len(changes)} status changes, "
          f"{sum(1 for e in events if e['type'] == 'rejected')} rejections, "
          f"{sum(1 for e in events if e['type'] == 'adl')} ADL rankings")
    check(any(e["type"] == "status" and e["to"] == "bankrupt" for e in events), "the crash bankrupts someone")
    check(any(e["type"] == "status" and e.get("from") == "bankrupt" for e in events), "and the recovery heals")


def signed_case(vmargin: pathlib.Path, fixtures: pathlib.Path, repo: pathlib.Path, work: pathlib.Path) -> None:
    fx = work / "signed"
    r = run([fixtures, repo / "examples" / "exchange", fx, "--stream", "30", fx / "stream"])
    check(r.returncode == 0, f"fixtures: {r.stderr}")
    snaps = [(fx / "snapshot.signed").read_text().strip()]
    snaps += [(fx / "stream" / f"snapshot-{k:04d}.signed").read_text().strip() for k in range(30)]
    (work / "statements.jsonl").write_text((fx / "statement.signed").read_text().strip() + "\n")
    forged = json.loads(snaps[5])
    forged["signature"] = ("0" if forged["signature"][0] != "0" else "1") + forged["signature"][1:]
    bad = {6: json.dumps(forged, separators=(",", ":"), sort_keys=True),  # forged
           9: snaps[7],                                                   # replay
           12: snaps[3],                                                  # out of order
           15: snaps[14][: len(snaps[14]) // 2]}                          # truncated
    stream = []
    for k, s in enumerate(snaps):
        stream.append(s)
        if k in bad:
            stream.append(bad[k])
    (work / "signed.jsonl").write_text("".join(s + "\n" for s in stream))
    base = [vmargin, "watch", "--trust", fx / "trust.json", "--params", fx / "risk_parameters.signed",
            "--accounts", work / "statements.jsonl"]
    full = run(base + ["--stream", work / "signed.jsonl"])
    check(full.returncode == 0, f"signed watch exit {full.returncode}: {full.stderr}")
    events = events_of(full.stdout)
    rejected = [e for e in events if e["type"] == "rejected"]
    check(len(rejected) == 4, f"four rejections, got {len(rejected)}: {rejected}")
    codes = sorted(e["error"]["code"] for e in rejected)
    print(f"signed: {len(snaps)} snapshots accepted, rejections {codes}")
    check(len(set(codes)) >= 3, f"forged, replayed, out-of-order and truncated lines name their errors: {codes}")
    systems = [e for e in events if e["type"] == "system"]
    check(len(systems) == len(snaps), f"a system line per accepted snapshot: {len(systems)} vs {len(snaps)}")
    # Each accepted snapshot's totals equal eval --trust of the statement at that snapshot.
    state = ""
    for k, (s, sys_line) in enumerate(zip(snaps, systems)):
        (work / "snap.signed").write_text(s)
        args = [vmargin, "eval", "--trust", fx / "trust.json", "--params", fx / "risk_parameters.signed",
                "--snapshot", work / "snap.signed", "--statement", fx / "statement.signed", "--format", "json"]
        if state:
            (work / "st.json").write_text(state)
            args += ["--state", work / "st.json"]
        ev = run(args)
        out = json.loads(ev.stdout)
        state = json.dumps(out["state"], separators=(",", ":"), sort_keys=True)
        pools = pools_of(out["report"])
        check(Decimal(sys_line["total_equity"]) == sum(p[1] for p in pools.values()), f"snapshot {k}: equity")
        check(sys_line.get("snapshot") == out["verification"]["snapshot"]["id"], f"snapshot {k}: id")
    # Stopped after line 20, restarted from the checkpoint: the same events.
    half = stream[:20]
    (work / "first.jsonl").write_text("".join(s + "\n" for s in half))
    (work / "rest.jsonl").write_text("".join(s + "\n" for s in stream[20:]))
    first = run(base + ["--stream", work / "first.jsonl", "--save-state", work / "checkpoint.json"])
    # The restart reloads the accounts: its load events come with the first
    # snapshot after the checkpoint, so compare from the second line on.
    second = run(base + ["--stream", work / "rest.jsonl", "--state", work / "checkpoint.json"])
    check(first.returncode == 0 and second.returncode == 0, f"checkpoint runs: {first.stderr} {second.stderr}")
    resumed = [e for e in events_of(second.stdout) if e["line"] > 1]
    for e in resumed:
        e["line"] += 20
    original = [e for e in events if e["input"] == "stream" and e["line"] > 21]
    check(resumed == original, "the restarted run writes the uninterrupted run's events")
    replay = run(base + ["--stream", work / "first.jsonl", "--state", work / "checkpoint.json"])
    check(all(e["type"] == "rejected" for e in events_of(replay.stdout)),
          "after a restart, the snapshots before the checkpoint are all refused")


def main() -> int:
    vmargin, fixtures, repo, work = map(pathlib.Path, sys.argv[1:5])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    plain_case(vmargin, repo, work)
    signed_case(vmargin, fixtures, repo, work)
    print("watch_test:", "ok" if failures == 0 else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
