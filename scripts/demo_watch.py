#!/usr/bin/env python3
"""The end of `make demo`: a keeper watching a whole exchange.

100,000 signed statements and 100 signed snapshots (BTC and ETH fall 2 % a
tick for five ticks from tick 60). The keeper (`vmargin watch --trust`) is
killed with SIGKILL right after tick 60 and restarted from its checkpoint
(--save-state / --state); its events are compared with an uninterrupted
run's, then summarised.

Usage: demo_watch.py VMARGIN LIVE_DIR
"""
import collections
import json
import pathlib
import signal
import subprocess
import sys
import time

cli, live = sys.argv[1], pathlib.Path(sys.argv[2])
stream = (live / "stream.jsonl").read_text().splitlines()
base = [cli, "watch", "--trust", live / "signed/trust.json", "--params", live / "signed/risk_parameters.signed",
        "--accounts", live / "statements.jsonl", "--insurance-fund", "250000"]


def events(path):
    return [json.loads(l) for l in path.read_text().splitlines() if l]


# The uninterrupted run.
subprocess.run(base + ["--stream", live / "stream.jsonl", "--events", live / "events.jsonl",
                       "--metrics", live / "metrics.json"], check=True, stderr=subprocess.DEVNULL)

# The keeper killed after tick 60: lines fed one at a time, SIGKILL once the
# 60th system line is out (the checkpoint was written before it).
(live / "crashed.jsonl").unlink(missing_ok=True)
keeper = subprocess.Popen(base + ["--events", live / "crashed.jsonl", "--save-state", live / "checkpoint.json"],
                          stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
for n, line in enumerate(stream, start=1):
    keeper.stdin.write(line + "\n")
    keeper.stdin.flush()
    if n == 60:
        systems, seen = 0, 0
        with open(live / "crashed.jsonl", "rb") as out:  # read as it grows, once
            while systems < 60:
                chunk = out.read()
                systems += chunk.count(b'"type":"system"')
                if not chunk:
                    time.sleep(0.05)
        keeper.send_signal(signal.SIGKILL)
        break
keeper.wait()
(live / "rest.jsonl").write_text("".join(l + "\n" for l in stream[60:]))
subprocess.run(base + ["--state", live / "checkpoint.json", "--stream", live / "rest.jsonl",
                       "--events", live / "restarted.jsonl"], check=True, stderr=subprocess.DEVNULL)

whole = events(live / "events.jsonl")
before = events(live / "crashed.jsonl")
after = [e for e in events(live / "restarted.jsonl") if e["line"] > 1]  # its first snapshot reloads the book
for e in after:
    e["line"] += 60
resumed = before + after
same = [e for e in whole if e["line"] <= 60 or e["line"] > 61] == resumed
print(f"  killed after tick 60 and restarted from the checkpoint: "
      f"{'the same events as the uninterrupted run' if same else 'EVENTS DIFFER from the uninterrupted run'}"
      f" ({len(resumed)} events)")
if not same:
    sys.exit(1)

kinds = collections.Counter(e["type"] for e in whole)
moves = collections.Counter((e["from"], e["to"]) for e in whole if e["type"] == "status")
systems = [e for e in whole if e["type"] == "system"]
print(f"  {len(systems)} snapshots accepted, {kinds['status']} status changes, {kinds['account_error']} account "
      f"errors, {kinds['adl']} ADL rankings, {kinds['rejected']} rejected lines")
for (a, b), n in moves.most_common(6):
    print(f"    {a or 'new'} -> {b or 'gone'}: {n}")
print("  tick  healthy  margin_call  liquidatable  bankrupt     total_shortfall      uncovered")
for k, s in enumerate(systems, start=1):
    if k in (1, 59, 60, 61, 62, 63, 64, 65, 100):
        print(f"  {k:>4}  {s['healthy']:>7}  {s['margin_call']:>11}  {s['liquidatable']:>12}  {s['bankrupt']:>8}  "
              f"{s['total_shortfall']:>18}  {s['uncovered']}")
m = json.loads((live / "metrics.json").read_text())
print(f"  first snapshot (every account evaluated) {m['load_us'] // 1000} ms; per snapshot "
      f"p50 {m['latency_us']['p50'] // 1000} ms, p99 {m['latency_us']['p99'] // 1000} ms; at most "
      f"{m['revalued']['max_per_line']} accounts re-evaluated by one snapshot")
