"""Bulk verification on a Dask cluster.

``verify(accounts, published, params=..., prices=..., client=client)`` (or
``trust=..., params=..., snapshot=...``) splits the two JSON Lines files
into line-aligned byte ranges (the same lines of both files per range),
audits each range on a worker with the native bulk auditor (the one behind
``vmargin verify``) and returns exactly what ``vmargin verify --out
--summary`` writes on one machine -- the differences and bad lines in input
order with their global line numbers, and the summary -- whatever the number
of workers and partitions. A worker lost mid-run costs its tasks a re-run
(the scheduler's), never a line lost or counted twice: each range's result
is a pure function of its bytes.

The files must be readable at the same path on every worker (a shared or
replicated file system); the documents (parameters, prices, trust store,
snapshot) travel with the tasks.
"""
from __future__ import annotations

import functools
import json
import os
from typing import Any, Optional, Union

from . import BulkResult, DocumentInput, Envelope, StateToken, _auditor, _native, _state_json, _text
from . import _envelope

__all__ = ["verify"]

_Documents = tuple[str, str, str, str, str, str]  # kind, params, prices, trust, snapshot, state


@functools.lru_cache(maxsize=8)
def _worker_auditor(docs: _Documents) -> _native.Auditor:
    kind, params, prices, trust, snapshot, state = docs
    if kind == "signed":
        return _native.Auditor.from_signed(trust, state, params, snapshot)
    return _native.Auditor.plain(params, prices)


def _audit_range(docs: _Documents, accounts: str, published: str,
                 r: tuple[int, int, Optional[int], int, Optional[int]], threads: int) -> tuple[bytes, dict[str, Any]]:
    """One task: the lines of one range of both files (runs on a worker)."""
    first_line, a_begin, a_end, p_begin, p_end = r
    end = _native.to_end
    return _worker_auditor(docs).audit_range(accounts, a_begin, end if a_end is None else a_end, published,
                                             p_begin, end if p_end is None else p_end, first_line, threads)


def _add(total: dict[str, Any], tally: dict[str, Any]) -> None:
    for key in ("accounts", "matches", "mismatches", "bad_account_lines", "bad_published_lines"):
        total[key] += tally[key]
    fields = total["mismatches_by_field"]
    for field, count in tally["mismatches_by_field"].items():
        fields[field] = fields.get(field, 0) + count


def _worker_threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def verify(accounts: Union[str, os.PathLike[str]], published: Union[str, os.PathLike[str]], *, params: Optional[Envelope] = None,
           prices: Optional[DocumentInput] = None, trust: Optional[DocumentInput] = None,
           snapshot: Optional[Envelope] = None, state: Optional[StateToken] = None, client: Any = None,
           partitions: Optional[int] = None, threads_per_task: int = 1) -> BulkResult:
    """``vmargin verify --accounts accounts --published published`` on the
    cluster of ``client`` (default: the current one). ``partitions``
    (default: 4 per worker thread) sets the number of byte ranges."""
    if client is None:
        from distributed import get_client

        client = get_client()
    # Checked here first: a bad document is one typed error, not one per task.
    auditor = _auditor(params, prices, trust, snapshot, state)
    signed = trust is not None
    docs: _Documents = ("signed" if signed else "plain",
                        _envelope(params, "/params") if signed else _text(params, "/risk_parameters"),
                        "" if signed or prices is None else _text(prices, "/prices"),
                        "" if trust is None else _text(trust, "/trust"),
                        "" if snapshot is None else _envelope(snapshot, "/snapshot"), _state_json(state))
    accounts_path, published_path = os.fspath(accounts), os.fspath(published)
    parts = partitions if partitions else 4 * _worker_threads(client)
    ranges = _native.split_lines(accounts_path, published_path, parts)
    futures = client.map(_audit_range, [docs] * len(ranges), [accounts_path] * len(ranges),
                         [published_path] * len(ranges), ranges, [threads_per_task] * len(ranges), pure=False)
    results = client.gather(futures)
    total: dict[str, Any] = {"accounts": 0, "matches": 0, "mismatches": 0, "bad_account_lines": 0,
                             "bad_published_lines": 0, "mismatches_by_field": {}}
    for _, tally in results:
        _add(total, tally)
    return BulkResult(b"".join(lines for lines, _ in results), json.loads(auditor.summary(total)))
