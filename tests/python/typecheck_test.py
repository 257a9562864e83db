#!/usr/bin/env python3
"""The package's type annotations and stubs (python/vmargin/*.py, _native.pyi)
under `mypy --strict`, with a typed use of the API; and a misuse (a float
as a document, an int as a state token) that mypy must reject, so the check
is known to bite.

Usage: typecheck_test.py REPO_ROOT WORK_DIR
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

USE = '''\
from decimal import Decimal
import vmargin
import vmargin.dask

def margin_ratio(docs: dict[str, object]) -> Decimal | None:
    report = vmargin.evaluate(docs)
    ratio = report["cross"]["margin_ratio"]
    return None if ratio is None else Decimal(ratio)

def many(rp: str, prices: dict[str, object], accounts: list[dict[str, object]]) -> list[str]:
    ev = vmargin.Evaluator(risk_parameters=rp, prices=prices)
    return [ev.evaluate(a)["cross"]["status"] for a in accounts]

def signed(trust: str, params: bytes, snapshot: str, statement: str) -> vmargin.StateToken:
    result = vmargin.verify_evaluate(trust=trust, params=params, snapshot=snapshot, statement=statement)
    token: vmargin.StateToken = result["state"]
    with vmargin.open_session(trust=trust, params=params, statement=statement, state=token) as s:
        s.tick(snapshot)
    return token

def bulk(a: str, p: str) -> int:
    r = vmargin.dask.verify(a, p, params="{}", prices="{}", partitions=4)
    e: vmargin.VMarginError = vmargin.VMarginError("wrong_type", "/x", "y")
    return len(r.differences) + len(e.code)
'''

MISUSE = '''\
import vmargin
vmargin.evaluate(1.5)
vmargin.export_state(42)
'''


def mypy(root: pathlib.Path, work: pathlib.Path, *files: pathlib.Path) -> subprocess.CompletedProcess[str]:
    # Modules outside the package (distributed, imported lazily by vmargin.dask)
    # are not analysed (--follow-imports=skip: they are Any); the standard
    # library's stubs are.
    env = {**os.environ, "MYPYPATH": str(root / "python")}
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=skip",
                           "--cache-dir", str(work / "mypy-cache"), "--python-version", "3.11",
                           "vmargin", *map(str, files)], capture_output=True, text=True, env=env,
                          cwd=root / "python")


def main() -> int:
    root, work = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    use, misuse = work / "use.py", work / "misuse.py"
    use.write_text(USE)
    misuse.write_text(MISUSE)
    ok = mypy(root, work, use)
    print(ok.stdout, ok.stderr, end="")
    bad = mypy(root, work, misuse)
    rejected = bad.returncode != 0 and "misuse.py:2" in bad.stdout and "misuse.py:3" in bad.stdout
    if not rejected:
        print("FAIL: mypy accepted a float document and an int state token:\n" + bad.stdout)
    return 0 if ok.returncode == 0 and rejected else 1


if __name__ == "__main__":
    sys.exit(main())
