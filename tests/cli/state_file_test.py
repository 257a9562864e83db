#!/usr/bin/env python3
"""`vmargin eval --trust ... --state/--save-state`: the acceptance state file
is crash-safe and locked (issue 18, defect 2).

- the state is written whole or not at all: with writes failing (a full
  disk: RLIMIT_FSIZE 0), the previous state file is left unchanged, and no
  temporary file is left behind after a successful write;
- an empty or truncated state file is a typed error (exit 4), never a fresh
  start that would accept a replayed snapshot;
- concurrent runs on one state file are serialized: of N runs verifying the
  same snapshot against the same state, exactly one accepts it.

Usage: state_file_test.py VMARGIN REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import fcntl
import json
import pathlib
import resource
import shutil
import signal
import subprocess
import sys
import time

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def main() -> int:
    vmargin, repo, work = map(pathlib.Path, sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    signed = repo / "examples/signed"
    base = [str(vmargin), "eval", "--trust", str(signed / "trust.json"), "--params",
            str(signed / "risk_parameters.signed"), "--snapshot", str(signed / "snapshot.signed"),
            "--statement", str(signed / "statement.signed"), "--format", "json"]

    def run(*extra, **kw):
        return subprocess.run(base + [str(a) for a in extra], capture_output=True, **kw)

    # A first run saves the state: whole, canonical, and nothing else left
    # in the directory but the state and its lock file.
    state = work / "state.json"
    r = run("--save-state", state)
    check(r.returncode == 0, f"first run: exit {r.returncode}: {r.stderr.decode()}")
    saved = state.read_bytes()
    check(json.loads(saved) == json.loads(r.stdout)["state"], "the saved state is the run's next state")
    check(sorted(p.name for p in work.iterdir()) == ["state.json", "state.json.lock"],
          f"files left: {sorted(p.name for p in work.iterdir())}")
    # The same snapshot again is a replay.
    r = run("--state", state, "--save-state", state)
    check(r.returncode == 4 and b"[vmargin.quorum_not_met]" in r.stderr, f"replay: exit {r.returncode}")
    check(state.read_bytes() == saved, "a failed verification changed the state file")

    # Empty and truncated state files are errors, never "nothing accepted yet".
    for name, text in (("empty", b""), ("truncated", saved[: len(saved) // 2]), ("one byte", saved[:1])):
        damaged = work / "damaged.json"
        damaged.write_bytes(text)
        r = run("--state", damaged, "--save-state", damaged)
        check(r.returncode == 4 and b"[vmargin.malformed_json] /state: " in r.stderr,
              f"{name} state: exit {r.returncode}: {r.stderr.decode()}")
        check(damaged.read_bytes() == text, f"{name} state: the file was rewritten")
    r = run("--state", work / "empty-does-not-exist.json")
    check(r.returncode == 3, f"a missing state file: exit {r.returncode}")

    # A full disk while saving: the previous state stays as it was (it used
    # to be truncated first, then written: left empty, then read as a fresh
    # start). RLIMIT_FSIZE 0 makes every write to a file fail (EFBIG).
    fresh = b'{"sources":{}}\n'
    full = work / "full.json"
    full.write_bytes(fresh)

    def no_space():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    r = run("--state", full, "--save-state", full, preexec_fn=no_space)
    check(r.returncode == 3, f"full disk: exit {r.returncode}: {r.stderr.decode()}")
    check(full.read_bytes() == fresh, f"full disk: the state file is now {full.read_bytes()!r}")
    check(sorted(p.name for p in work.glob("full.json*")) == ["full.json", "full.json.lock"],
          f"full disk: files left {sorted(p.name for p in work.glob('full.json*'))}")
    r = run("--state", full, "--save-state", full)
    check(r.returncode == 0, f"after the full disk: exit {r.returncode}: {r.stderr.decode()}")

    # Concurrent writers: the lock serializes read-verify-write, so the
    # snapshot is accepted once, and every other run sees it as a replay.
    shared = work / "shared.json"
    shared.write_bytes(fresh)
    runs = [subprocess.Popen(base + ["--state", str(shared), "--save-state", str(shared)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(8)]
    codes = [(p.wait(), p.stderr.read()) for p in runs]
    accepted = sum(1 for c, _ in codes if c == 0)
    replays = sum(1 for c, e in codes if c == 4 and b"[vmargin.quorum_not_met]" in e)
    check(accepted == 1 and replays == 7, f"8 concurrent runs: {accepted} accepted, {replays} replays")
    check(json.loads(shared.read_bytes()) == json.loads(saved), "the shared state is the accepted run's")

    # The lock is an flock on <state>.lock, held from reading the state to
    # writing it: a run waits while another holder has it.
    held = work / "held.json"
    held.write_bytes(fresh)
    with open(work / "held.json.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = subprocess.Popen(base + ["--state", str(held), "--save-state", str(held)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        check(waiting.poll() is None, "a run did not wait for the state's lock")
        check(held.read_bytes() == fresh, "the state was written while another process held its lock")
    check(waiting.wait(timeout=60) == 0, "the run did not finish once the lock was released")
    check(held.read_bytes() == saved, "the state was not saved once the lock was released")

    # --save-state must name a regular file (or none yet): never renamed
    # over a directory or a device, and no lock file made beside one.
    (work / "a-directory").mkdir()
    r = run("--save-state", work / "a-directory")
    check(r.returncode == 3 and not (work / "a-directory.lock").exists(),
          f"--save-state DIRECTORY: exit {r.returncode}")

    print(f"state file test: {'ok' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
