"""vmargin for Python: the deterministic margin engine (the same C++ core as
the CLI and the npm package, through pybind11).

Inputs are dicts (or any Mapping) or JSON text; outputs are dicts exactly as
the engine's canonical JSON holds them:

* decimals are ``str`` -- the canonical decimal text ("44594.5", "0.000001"),
  exact, byte for byte what every other face prints (``decimal.Decimal(s)``
  when arithmetic is needed); in inputs a ``decimal.Decimal`` is accepted
  and written as its plain text; a ``float`` is refused (``wrong_type``);
* integers (versions, times, sequences, counts) are ``int``, exact at any size;
* every failure an input can cause is :class:`VMarginError` (``code``,
  ``path``, ``detail``); an unreadable bulk file is ``OSError``.

The engine runs without the GIL: threads evaluate in parallel.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NewType, Optional, Union

from . import _native
from ._errors import VMarginError

__all__ = [
    "VMarginError", "StateToken", "Session", "BulkResult", "Evaluator", "evaluate", "evaluate_text", "largest_order",
    "verify_evaluate", "open_session", "import_state", "export_state", "compare_reports", "verify",
    "verify_bulk", "canonical_json", "__version__",
]

__version__: str = _native.version

#: A JSON document as Python holds it: decimals ``str``, integers ``int``.
Document = dict[str, Any]
#: What a function accepts as a document: a mapping or its JSON text.
DocumentInput = Union[Mapping[str, Any], str, bytes]
#: The acceptance state as an opaque checked token: "vmargin-state/1:<digest>:<json>".
StateToken = NewType("StateToken", str)
#: A signed envelope's exact bytes (never a parsed object: the signature covers the bytes).
Envelope = Union[str, bytes]


def _check(value: Any, path: str) -> None:
    """Refuses what JSON cannot carry exactly, with its JSON pointer."""
    t = type(value)
    if t is str or t is int or t is bool or value is None or t is Decimal:
        if t is Decimal and not value.is_finite():
            raise VMarginError("wrong_type", path or "/", "a Decimal that is not finite")
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if type(k) is not str:
                raise VMarginError("wrong_type", path or "/", f"an object key must be a str, not {type(k).__name__}")
            _check(v, f"{path}/{k.replace('~', '~0').replace('/', '~1')}")
        return
    if t is list or t is tuple:
        for i, v in enumerate(value):
            _check(v, f"{path}/{i}")
        return
    what = "a float (decimals are str or decimal.Decimal)" if t is float else f"a {t.__name__}"
    raise VMarginError("wrong_type", path or "/", f"{what} has no exact JSON form")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(type(value).__name__)


def canonical_json(value: Any, path: str = "") -> str:
    """``value`` as canonical JSON (sorted keys, no whitespace, UTF-8 as is):
    the bytes every face of vmargin prints."""
    _check(value, path)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_default,
                      allow_nan=False)


def _text(doc: Any, path: str) -> str:
    if isinstance(doc, str):
        return doc
    if isinstance(doc, (bytes, bytearray, memoryview)):
        try:
            return bytes(doc).decode("utf-8")
        except UnicodeDecodeError as e:
            raise VMarginError("malformed_json", path or "/", f"not UTF-8: {e.reason} at byte {e.start}") from None
    if isinstance(doc, Mapping):
        text = _native.to_json(doc, path)  # in C++: checked and written in one walk
        if text is None:  # nested deeper than the reader allows: its own error, at its path
            try:
                return canonical_json(doc, path)
            except RecursionError:
                raise VMarginError("input_too_large", path or "/", "nested too deeply") from None
        return text
    raise VMarginError("wrong_type", path or "/", f"a document is a dict or JSON text, not {type(doc).__name__}")


def _envelope(value: Any, path: str) -> str:
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return _text(value, path)
    raise VMarginError("wrong_type", path, "a signed envelope is its exact bytes (str or bytes), not a parsed object")


def evaluate_text(input: Optional[DocumentInput] = None, *, risk_parameters: Optional[DocumentInput] = None,
                  prices: Optional[DocumentInput] = None, account: Optional[DocumentInput] = None,
                  scenario: Optional[DocumentInput] = None) -> str:
    """As :func:`evaluate`, the report as its canonical JSON text."""
    if input is not None:
        if risk_parameters is not None or prices is not None or account is not None or scenario is not None:
            raise VMarginError("invalid_value", "", "give the combined document or the separate ones, not both")
        return _native.evaluate(_text(input, ""))
    missing = [n for n, d in (("risk_parameters", risk_parameters), ("prices", prices), ("account", account))
               if d is None]
    if missing:
        raise VMarginError("missing_field", f"/{missing[0]}", f"evaluate needs {missing[0]} (or one combined input)")
    assert risk_parameters is not None and prices is not None and account is not None
    return _native.evaluate_documents(_text(risk_parameters, "/risk_parameters"), _text(prices, "/prices"),
                                      _text(account, "/account"),
                                      None if scenario is None else _text(scenario, "/scenario"))


def evaluate(input: Optional[DocumentInput] = None, *, risk_parameters: Optional[DocumentInput] = None,
             prices: Optional[DocumentInput] = None, account: Optional[DocumentInput] = None,
             scenario: Optional[DocumentInput] = None) -> Document:
    """The account's report: ``evaluate({"risk_parameters", "prices",
    "account", "scenario"?})`` or ``evaluate(risk_parameters=..., prices=...,
    account=..., scenario=...)`` (each a dict or JSON text)."""
    result: Document = json.loads(evaluate_text(input, risk_parameters=risk_parameters, prices=prices,
                                                account=account, scenario=scenario))
    return result


class Evaluator:
    """Risk parameters and prices decoded and validated once, then accounts
    evaluated one by one (a notebook over many accounts, a risk loop):
    ``Evaluator(risk_parameters=..., prices=...).evaluate(account)`` is
    ``evaluate({"risk_parameters", "prices", "account"})`` without decoding
    the parameters and prices again. Safe to share between threads."""

    def __init__(self, *, risk_parameters: DocumentInput, prices: DocumentInput) -> None:
        self._native = _native.Evaluator.make(_text(risk_parameters, "/risk_parameters"), _text(prices, "/prices"))

    def evaluate_text(self, account: DocumentInput) -> str:
        return self._native.evaluate(_text(account, "/account"))

    def evaluate(self, account: DocumentInput) -> Document:
        result: Document = json.loads(self.evaluate_text(account))
        return result


def largest_order(input: DocumentInput) -> Document:
    """The largest order that keeps the initial requirement:
    ``{"risk_parameters", "prices", "account", "scenario"?, "query"}``."""
    result: Document = json.loads(_native.largest_order(_text(input, "")))
    return result


def import_state(text: Union[str, bytes]) -> StateToken:
    """A state file of the CLI (``--save-state``) as a token."""
    return StateToken(_native.seal_state(_text(text, "/state")))


def export_state(state: StateToken) -> str:
    """The state's canonical JSON, as the CLI's ``--state`` reads it."""
    if not isinstance(state, str):
        raise VMarginError("wrong_type", "/state", "a state is the token a previous call returned")
    return _native.unseal_state(state)


def _state_json(state: Optional[StateToken]) -> str:
    return "" if state is None else export_state(state)


def _with_token(text: str) -> Document:
    result: Document = json.loads(text)
    result["state"] = StateToken(_native.seal_state(canonical_json(result["state"])))
    return result


def verify_evaluate(*, trust: DocumentInput, params: Envelope, snapshot: Envelope, statement: Envelope,
                    state: Optional[StateToken] = None) -> Document:
    """Verifies signed inputs (docs/formats.md) and evaluates:
    ``{"report", "verification", "state"}``, the state a token to pass to the next call."""
    return _with_token(_native.verify_evaluate(_text(trust, "/trust"), _state_json(state),
                                               _envelope(params, "/params"), _envelope(snapshot, "/snapshot"),
                                               _envelope(statement, "/statement")))


class Session:
    """Parameters and a statement verified once, then one signed snapshot per
    :meth:`tick`. Close it (or use ``with``); :attr:`state` is the token
    after the last successful tick."""

    def __init__(self, *, trust: DocumentInput, params: Envelope, statement: Envelope,
                 state: Optional[StateToken] = None) -> None:
        self._native = _native.Session(_text(trust, "/trust"), _state_json(state), _envelope(params, "/params"),
                                       _envelope(statement, "/statement"))
        self._state = state
        self.description: Document = json.loads(self._native.description())

    def tick(self, snapshot: Envelope) -> Document:
        result = _with_token(self._native.tick(_envelope(snapshot, "/snapshot")))
        self._state = result["state"]
        return result

    @property
    def state(self) -> Optional[StateToken]:
        return self._state

    @property
    def closed(self) -> bool:
        return self._native.closed

    def close(self) -> None:
        self._native.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_session(*, trust: DocumentInput, params: Envelope, statement: Envelope,
                 state: Optional[StateToken] = None) -> Session:
    return Session(trust=trust, params=params, statement=statement, state=state)


def compare_reports(recomputed: DocumentInput, published: DocumentInput, inputs: Mapping[str, Any]) -> Document:
    """Every field of ``recomputed`` against ``published``, exactly:
    ``{"match", "account", "inputs", "differences": [{"path", "kind", "recomputed"?, "published"?}]}``."""
    published_text = _text(published, "/published")
    if not isinstance(published, Mapping):
        try:
            json.loads(published_text)
        except ValueError as e:
            raise VMarginError("malformed_json", "/published", f"not valid JSON: {e}") from None
    text = (f'{{"inputs":{_text(inputs, "/inputs")},"published":{published_text},'
            f'"recomputed":{_text(recomputed, "/recomputed")}}}')
    result: Document = json.loads(_native.compare_reports(text))
    return result


def verify(result: Mapping[str, Any], published: DocumentInput,
           inputs: Optional[Mapping[str, Any]] = None) -> Document:
    """A :func:`verify_evaluate` result (or a bare report with ``inputs``:
    ``{"risk_parameters_version", "as_of", "snapshot_id"?}``) against the
    exchange's published report."""
    if not isinstance(result, Mapping):
        raise VMarginError("wrong_type", "/recomputed", "a verify_evaluate result or a report")
    report = result["report"] if "report" in result else result
    if inputs is None:
        v = result.get("verification")
        if not isinstance(v, Mapping) or v.get("risk_parameters") is None or v.get("snapshot") is None:
            raise VMarginError("missing_field", "/inputs",
                               "verify() needs the inputs ({risk_parameters_version, as_of}) given a bare report")
        inputs = {"risk_parameters_version": v["risk_parameters"]["version"], "as_of": v["snapshot"]["as_of"],
                  "snapshot_id": v["snapshot"]["id"]}
    return compare_reports(report, published, inputs)


@dataclass(frozen=True)
class BulkResult:
    """A bulk verification: ``lines`` is exactly what ``vmargin verify --out``
    writes (JSON Lines in input order), ``summary`` its ``--summary``."""

    lines: bytes
    summary: Document

    @property
    def differences(self) -> list[Document]:
        return [json.loads(line) for line in self.lines.splitlines()]

    @property
    def ok(self) -> bool:
        return bool(self.summary["matches"] == self.summary["accounts"])


def _auditor(params: Optional[Envelope], prices: Optional[DocumentInput], trust: Optional[DocumentInput],
             snapshot: Optional[Envelope], state: Optional[StateToken]) -> _native.Auditor:
    if trust is not None:
        if params is None or snapshot is None:
            raise VMarginError("missing_field", "/params" if params is None else "/snapshot",
                               "signed bulk verification needs trust, params and snapshot")
        return _native.Auditor.from_signed(_text(trust, "/trust"), _state_json(state), _envelope(params, "/params"),
                                           _envelope(snapshot, "/snapshot"))
    if params is None or prices is None:
        raise VMarginError("missing_field", "/risk_parameters" if params is None else "/prices",
                           "bulk verification needs params and prices (or trust, params and snapshot)")
    return _native.Auditor.plain(_text(params, "/risk_parameters"), _text(prices, "/prices"))


def verify_bulk(accounts: Union[str, os.PathLike[str]], published: Union[str, os.PathLike[str]], *, params: Optional[Envelope] = None,
                prices: Optional[DocumentInput] = None, trust: Optional[DocumentInput] = None,
                snapshot: Optional[Envelope] = None, state: Optional[StateToken] = None,
                threads: int = 0) -> BulkResult:
    """``vmargin verify --accounts --published`` on this machine: line N of
    the ``published`` JSON Lines file is the exchange's report for line N of
    ``accounts``; ``threads`` 0 is every core."""
    auditor = _auditor(params, prices, trust, snapshot, state)
    lines, tally = auditor.audit_range(os.fspath(accounts), 0, _native.to_end, os.fspath(published), 0,
                                       _native.to_end, 1, threads or (os.cpu_count() or 1))
    return BulkResult(lines, json.loads(auditor.summary(tally)))
