"""A Dask cluster on loopback for the tests and the benchmark: one
`dask-scheduler` and N `dask-worker` processes (no nanny: a killed worker
stays dead), on free random ports, the vmargin package on their PYTHONPATH,
every process stopped (by its own id) when the `with` block ends, failure
or not."""
from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import time
from types import TracebackType
from typing import Any, Optional

PYTHON = "/usr/bin/python3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalCluster:
    def __init__(self, workers: int, package_dir: pathlib.Path, work: pathlib.Path, nthreads: int = 1) -> None:
        self.workers = workers
        self.nthreads = nthreads
        self.work = work
        self.env = {**os.environ, "PYTHONPATH": str(package_dir.resolve())}
        self.scheduler: Optional[subprocess.Popen[bytes]] = None
        self.worker_procs: list[subprocess.Popen[bytes]] = []
        self.address = ""
        self.client: Any = None

    def _start(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        out = open(self.work / log, "wb")
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=self.work)

    def __enter__(self) -> LocalCluster:
        from distributed import Client

        self.work.mkdir(parents=True, exist_ok=True)
        try:
            port = free_port()
            self.address = f"tcp://127.0.0.1:{port}"
            self.scheduler = self._start([PYTHON, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                          "--port", str(port), "--dashboard-address", f"127.0.0.1:{free_port()}"],
                                         "scheduler.log")
            for i in range(self.workers):
                self.worker_procs.append(self._start(
                    [PYTHON, "-m", "distributed.cli.dask_worker", self.address, "--host", "127.0.0.1",
                     "--nthreads", str(self.nthreads), "--no-nanny", "--no-dashboard", "--name", f"w{i}",
                     "--local-directory", str(self.work / f"w{i}")], f"worker{i}.log"))
            self.client = Client(self.address, timeout=30)
            self.client.wait_for_workers(self.workers, timeout=60)
        except BaseException:
            self.close()
            raise
        return self

    def worker_pid(self, address: str) -> int:
        return int(self.client.run(os.getpid, workers=[address])[address])

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close(timeout=5)
            except Exception:  # noqa: BLE001 - the processes are stopped below anyway
                pass
        for p in self.worker_procs + ([self.scheduler] if self.scheduler else []):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in self.worker_procs + ([self.scheduler] if self.scheduler else []):
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def __exit__(self, t: Optional[type[BaseException]], e: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()
