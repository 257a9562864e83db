#!/usr/bin/env python3
"""`vmargin watch` sharded over NATS: a real nats-server on loopback (started
and stopped here), three watch processes with --shard K/3 subscribed to one
stream subject, against one unsharded watch reading the same lines from a
file.

- the union of the shards' status and account_error events is exactly the
  unsharded run's (each event in exactly one shard);
- per stream line, the shards' system lines add up to the unsharded one
  (accounts per status, failed, total equity, maintenance and shortfall);
- shard 0 publishes its events to a subject, read back here with a minimal
  NATS client (the protocol is text over TCP): the same events as the file.

Usage: watch_nats_test.py VMARGIN REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import json
import pathlib
import random
import shutil
import socket
import subprocess
import sys
import time
from decimal import Decimal

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nats:
    """Just enough of the NATS client protocol: CONNECT, PUB, SUB, MSG, PING."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""
        self._line()  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n')

    def _line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def publish(self, subject: str, payload: bytes) -> None:
        self.sock.sendall(b"PUB %s %d\r\n%s\r\n" % (subject.encode(), len(payload), payload))

    def subscribe(self, subject: str) -> None:
        self.sock.sendall(b"SUB %s 1\r\n" % subject.encode())

    def flush(self) -> None:
        self.sock.sendall(b"PING\r\n")
        while self._line() != b"PONG":
            pass

    def messages(self, until_idle: float) -> list[bytes]:
        out = []
        self.sock.settimeout(until_idle)
        try:
            while True:
                line = self._line()
                if line.startswith(b"MSG"):
                    size = int(line.split()[-1])
                    while len(self.buf) < size + 2:
                        self.buf += self.sock.recv(65536)
                    out.append(self.buf[:size])
                    self.buf = self.buf[size + 2:]
                elif line == b"PING":
                    self.sock.sendall(b"PONG\r\n")
        except socket.timeout:
            return out


def subscriptions(monitor: int, subject: str) -> int:
    """Client subscriptions to `subject` (the server's /subsz total also counts
    its own internal subscriptions, about 40: waiting on it raced the shards)."""
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{monitor}/connz?subs=1", timeout=5) as r:
        connections = json.loads(r.read())["connections"]
    return sum(c.get("subscriptions_list", []).count(subject) for c in connections)


def make_inputs(repo: pathlib.Path, work: pathlib.Path) -> list[str]:
    example = repo / "examples" / "exchange"
    base = json.loads((example / "account.json").read_text())
    prices = json.loads((example / "prices.json").read_text())
    rng = random.Random(7)
    with open(work / "accounts.jsonl", "w") as f:
        for i in range(300):
            a = json.loads(json.dumps(base))
            a["id"] = f"acct-{i:04d}"
            a["collateral"]["USDC"] = str(rng.randrange(0, 40000))
            for p in a["positions"].values():
                p["quantity"] = format((Decimal(p["quantity"]) * rng.randrange(1, 30) / 10).normalize(), "f")
            f.write(json.dumps(a) + "\n")
    lines = [json.dumps({"prices": prices})]
    levels = {"BTC-USD": Decimal(61000), "ETH-USD": Decimal(3000)}
    for t in range(40):
        feed = rng.choice(list(levels))
        levels[feed] = (levels[feed] * (1 + Decimal(rng.choice([-1, 1])) * Decimal(rng.choice(["0.01", "0.08"])))).quantize(Decimal("0.01"))
        if t == 20:
            levels["BTC-USD"] = Decimal(35000)
        prices = json.loads(json.dumps(prices))
        prices["as_of"] += 1000
        for k, v in levels.items():
            prices["feeds"][k]["mark"] = str(v)
        lines.append(json.dumps({"prices": prices}))
        if t % 9 == 4:
            lines.append(json.dumps({"account": json.loads((work / "accounts.jsonl").read_text().splitlines()[t])}))
    return lines


def events(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        if line:
            e = json.loads(line)
            e.pop("shard", None)
            out.append(e)
    return out


def main() -> int:
    vmargin, repo, work = map(pathlib.Path, sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    params = repo / "examples" / "exchange" / "risk_parameters.json"
    lines = make_inputs(repo, work)
    (work / "stream.jsonl").write_text("".join(l + "\n" for l in lines))
    whole = subprocess.run([vmargin, "watch", "--params", params, "--accounts", work / "accounts.jsonl",
                            "--stream", work / "stream.jsonl", "--insurance-fund", "1000"],
                           capture_output=True, text=True, timeout=300)
    check(whole.returncode == 0, f"unsharded run: {whole.stderr}")
    reference = events(whole.stdout)

    port, monitor = free_port(), free_port()
    server = subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(port), "-m", str(monitor)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shards = []
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        reader = Nats(port)
        reader.subscribe("vm.events.0")
        reader.flush()
        url = f"nats://127.0.0.1:{port}"
        for k in range(3):
            out = ["--events-subject", "vm.events.0"] if k == 0 else ["--events", str(work / f"shard{k}.jsonl")]
            shards.append(subprocess.Popen(
                [vmargin, "watch", "--params", params, "--accounts", work / "accounts.jsonl", "--shard", f"{k}/3",
                 "--insurance-fund", "1000", "--nats", url, "--stream-subject", "vm.stream"] + out,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        deadline = time.time() + 30
        while subscriptions(monitor, "vm.stream") < 3:  # every shard, before anything is published
            check(time.time() < deadline, "the shards subscribed within 30 s")
            if time.time() > deadline:
                return 1
            time.sleep(0.1)
        publisher = Nats(port)
        for line in lines:
            publisher.publish("vm.stream", line.encode())
        publisher.publish("vm.stream", b"")  # the end of the stream
        publisher.flush()
        for p in shards:
            p.wait(timeout=120)
            check(p.returncode == 0, f"shard exit {p.returncode}: {p.stderr.read()}")
        published = [json.loads(m) for m in reader.messages(until_idle=2.0)]
    finally:
        for p in shards:
            if p.poll() is None:
                p.kill()
        server.terminate()
        server.wait(timeout=10)

    for e in published:
        e.pop("shard", None)
    parts = [published] + [events((work / f"shard{k}.jsonl").read_text()) for k in (1, 2)]
    news = lambda evs: sorted(json.dumps(e, sort_keys=True) for e in evs if e["type"] in ("status", "account_error"))
    union = sorted(sum((news(p) for p in parts), []))
    check(union == news(reference), f"union of the shards' events ({len(union)}) = the unsharded run's ({len(news(reference))})")
    check(len(union) > 50, f"the stream moves accounts: {len(union)} events")
    # A price line gives every shard a system line; an account update only
    # the shard that holds the account. Each shard's current totals are its
    # last system line.
    systems = [{e["line"]: e for e in p if e["type"] == "system"} for p in parts]
    ref_systems = {e["line"]: e for e in reference if e["type"] == "system"}
    price_lines = [n for n, l in enumerate(lines, start=1) if l.startswith('{"prices"')]
    check(all(set(price_lines) <= set(s) for s in systems), "every shard writes a system line per price line")
    current = lambda s, line: s[max(n for n in s if n <= line)]
    for line, ref in ref_systems.items():
        for key in ("accounts", "healthy", "margin_call", "liquidatable", "bankrupt", "failed"):
            check(sum(current(s, line)[key] for s in systems) == ref[key], f"line {line}: {key} adds up")
        for key in ("total_equity", "total_maintenance_margin", "total_shortfall"):
            check(sum(Decimal(current(s, line)[key]) for s in systems) == Decimal(ref[key]),
                  f"line {line}: {key} adds up")
    check(all(s[min(s)]["accounts"] > 50 for s in systems), "each shard holds a share of the accounts")
    print(f"watch_nats_test: {len(lines)} stream lines, {len(union)} events over 3 shards,",
          "ok" if failures == 0 else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
