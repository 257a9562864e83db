"""The signed conformance cases (tests/vectors/signed/): each rule of
docs/formats.md with a passing and a failing input, signed here with
ed25519.py from the same public seeds as the bundled example.

`example_files()` rebuilds examples/signed/ from examples/exchange/ the way
docs/formats.md §10 describes, independently of native/tools/make_fixtures.cpp;
check_vectors.py compares it with the committed files byte for byte.
"""
from __future__ import annotations

import copy
import hashlib
import json
import pathlib

import ed25519
from signed import canonical, envelope_value, signed_message, Envelope

ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = 1795521600000  # 2026-11-24T12:00:00Z
VALID_FROM, VALID_UNTIL = 1795132800000, 1798761600000


def seed(name: str) -> bytes:
    return hashlib.blake2b(f"vmargin example key: {name}".encode(), digest_size=32).digest()


KEYS = {name: seed(name) for name in ("governance", "exchange", "oracle-a", "oracle-b", "oracle-c", "outsider",
                                      "oracle-d")}
PUBLIC = {name: ed25519.public_key(s) for name, s in KEYS.items()}


def sign(doc_type: str, key_id: str, key: str, payload: str) -> dict:
    data = payload.encode("utf-8")
    return envelope_value(Envelope(doc_type, key_id, data, ed25519.sign(KEYS[key], signed_message(doc_type, data))))


def envelope_text(doc_type, key_id, key, payload) -> str:
    return canonical(sign(doc_type, key_id, key, payload))


def trust_doc(extra=None) -> dict:
    keys = {
        "governance": {"public_key": PUBLIC["governance"].hex(), "roles": ["parameters"]},
        "exchange": {"public_key": PUBLIC["exchange"].hex(), "roles": ["snapshot", "statement"]},
        "oracle-a": {"public_key": PUBLIC["oracle-a"].hex(), "roles": ["oracle"]},
        "oracle-b": {"public_key": PUBLIC["oracle-b"].hex(), "roles": ["oracle"]},
        "oracle-c": {"public_key": PUBLIC["oracle-c"].hex(), "roles": ["oracle"]},
    }
    keys.update(extra or {})
    return {"keys": keys}


def exchange_doc(name: str):
    return json.loads((ROOT / "examples" / "exchange" / name).read_text(encoding="utf-8"))


def oracle_rules(**changes) -> dict:
    rules = {"sources": [PUBLIC[k].hex() for k in ("oracle-a", "oracle-b", "oracle-c")], "quorum": 2,
             "max_age_ms": 10000, "max_future_ms": 2000, "max_confidence_ratio": "0.005",
             "max_deviation_ratio": "0.1", "stable_price_rate": "0.005"}
    rules.update(changes)
    return rules


def params_text(version=None, valid_from=VALID_FROM, valid_until=VALID_UNTIL, btc=None, key_id="governance",
                key="governance", doc_type="risk_parameters/v1") -> str:
    risk = exchange_doc("risk_parameters.json")
    if version is not None:
        risk["version"] = version
    payload = {"risk_parameters": risk, "valid_from": valid_from, "valid_until": valid_until,
               "oracles": {"BTC-USD": btc or oracle_rules(), "ETH-USD": oracle_rules()}}
    return envelope_text(doc_type, key_id, key, canonical(payload))


# (key id, signing key, feed, price, confidence, volatility, age in ms, sequence): the example's bundle.
EXAMPLE_MESSAGES = [
    ("oracle-a", "oracle-a", "BTC-USD", "61000", "12.5", "0.72", 800, 90211),
    ("oracle-b", "oracle-b", "BTC-USD", "61012.5", "20", "0.73", 400, 55102),
    ("oracle-c", "oracle-c", "BTC-USD", "60990", "15", "0.71", 1200, 77310),
    ("oracle-a", "oracle-a", "ETH-USD", "3000", "1.5", "0.5", 700, 90212),
    ("oracle-b", "oracle-b", "ETH-USD", "3001.25", "2", None, 300, 55103),
    ("oracle-c", "oracle-c", "ETH-USD", "2999", "1", "0.49", 25000, 77290),
    ("oracle-x", "outsider", "ETH-USD", "2500", None, None, 100, 1),
]
EXAMPLE_PREVIOUS = {"BTC-USD": "60500", "ETH-USD": "3010"}


def message(key_id, key, feed, price, confidence, volatility, age, sequence, as_of=AS_OF,
            doc_type="oracle_price/v1") -> dict:
    body = {"feed": feed, "price": price, "publish_time": as_of - age, "sequence": sequence}
    if confidence is not None:
        body["confidence"] = confidence
    if volatility is not None:
        body["volatility"] = volatility
    return sign(doc_type, key_id, key, canonical(body))


def snapshot_text(messages=None, as_of=AS_OF, previous=None, key_id="exchange", key="exchange",
                  snapshot_id="snap-2026-11-24T12:00:00Z", doc_type="snapshot/v1", totals=None) -> str:
    if messages is None:
        messages = [message(*m, as_of=as_of) for m in EXAMPLE_MESSAGES]
    payload = {"id": snapshot_id, "as_of": as_of, "messages": messages,
               "previous_stable": EXAMPLE_PREVIOUS if previous is None else previous}
    payload.update(totals or {})  # open_interest, total_deposits (formats.md §4)
    return envelope_text(doc_type, key_id, key, canonical(payload))


def statement_text(as_of=AS_OF - 5000, key_id="exchange", key="exchange", doc_type="statement/v1") -> str:
    payload = {"id": "stmt-acct-7-000311", "as_of": as_of, "account": exchange_doc("account.json")}
    return envelope_text(doc_type, key_id, key, canonical(payload))


def example_files() -> dict:
    """examples/signed/ as docs/formats.md §10 describes it."""
    return {
        "trust.json": json.dumps(trust_doc(), indent=2, sort_keys=True) + "\n",
        "risk_parameters.signed": params_text(),
        "snapshot.signed": snapshot_text(),
        "statement.signed": statement_text(),
    }


def risk(change) -> str:
    """Signed risk parameters: the example's, changed by `change(doc)`."""
    doc = exchange_doc("risk_parameters.json")
    change(doc)
    payload = {"risk_parameters": doc, "valid_from": VALID_FROM, "valid_until": VALID_UNTIL,
               "oracles": {"BTC-USD": oracle_rules(), "ETH-USD": oracle_rules()}}
    return envelope_text("risk_parameters/v1", "governance", "governance", canonical(payload))


def with_totals_rules(doc):
    """BTC-PERP's initial margin scales with open interest; BTC has a deposit limit (spec §5.7-§5.8)."""
    doc["markets"]["BTC-PERP"]["open_interest_scaling"] = {"lower_cap": "25000000", "upper_cap": "50000000"}
    doc["assets"]["BTC"]["deposit_weight_scale_start"] = "1000000"


TOTALS = {"open_interest": {"BTC-PERP": "600", "ETH-PERP": "10000"}, "total_deposits": {"BTC": "100"}}


def inputs(params=None, snapshot=None, statement=None, trust=None, state=None) -> dict:
    out = {"trust": trust or trust_doc(), "params": params or params_text(),
           "snapshot": snapshot or snapshot_text(), "statement": statement or statement_text()}
    if state is not None:
        out["state"] = state
    return out


def bad_signature(text: str) -> str:
    """The envelope with the last byte of its signature changed (still canonical hex)."""
    e = json.loads(text)
    sig = e["signature"]
    e["signature"] = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    return canonical(e)


def btc(price, confidence=None, volatility=None, age=500, sequence=1000, key="oracle-a", key_id=None,
        as_of=AS_OF, feed="BTC-USD"):
    return message(key_id or key, key, feed, price, confidence, volatility, age, sequence, as_of=as_of)


def eth_ok(as_of=AS_OF):
    """Two fresh ETH-USD messages that meet the quorum, for cases about BTC-USD."""
    return [message("oracle-a", "oracle-a", "ETH-USD", "3000", "1.5", "0.5", 700, 90212, as_of=as_of),
            message("oracle-b", "oracle-b", "ETH-USD", "3001.25", "2", None, 300, 55103, as_of=as_of)]


def snapshot_of(btc_messages, as_of=AS_OF, previous=None):
    return snapshot_text(btc_messages + eth_ok(as_of), as_of=as_of, previous=previous)


def state_of(parameters=None, sources=None) -> dict:
    state = {"sources": sources or {}}
    if parameters is not None:
        state["risk_parameters"] = parameters
    return state


def params_digest(text: str) -> str:
    import base64
    return hashlib.blake2b(base64.b64decode(json.loads(text)["payload"]), digest_size=32).hexdigest()


def _cases():
    P = params_text()
    version = exchange_doc("risk_parameters.json")["version"]
    a = PUBLIC["oracle-a"].hex()
    two_btc = [btc("61000", age=800, sequence=90211), btc("61012.5", key="oracle-b", age=400, sequence=55102)]

    yield "example", "the bundled example (examples/signed/): verified, aggregated and evaluated", inputs()

    # Acceptance state of the parameters: rollback, equivocation.
    yield ("params_same_version_same_bytes", "the last accepted version with the same digest is accepted again",
           inputs(state=state_of({"version": version, "digest": params_digest(P)})))
    yield ("params_newer_version", "a version newer than the last accepted is accepted",
           inputs(state=state_of({"version": version - 1, "digest": "00" * 32})))
    yield ("params_rollback", "a version older than the last accepted is a rollback",
           inputs(state=state_of({"version": version + 1, "digest": params_digest(P)})))
    yield ("params_equivocation", "the last accepted version with other bytes is an equivocation",
           inputs(state=state_of({"version": version, "digest": "ab" * 32})))

    # Validity: [valid_from, valid_until), each end exactly and one millisecond beyond.
    for name, valid_from, valid_until, note in [
            ("valid_from_exact", AS_OF, VALID_UNTIL, "a snapshot at valid_from is inside the validity"),
            ("valid_until_minus_1", VALID_FROM, AS_OF + 1, "a snapshot 1 ms before valid_until is valid"),
            ("before_valid_from", AS_OF + 1, VALID_UNTIL, "a snapshot 1 ms before valid_from: not yet valid"),
            ("at_valid_until", VALID_FROM, AS_OF, "a snapshot at valid_until: the parameters are frozen")]:
        yield f"validity_{name}", note, inputs(params=params_text(valid_from=valid_from, valid_until=valid_until))

    # Age and skew at the exact limit and one millisecond beyond.
    yield ("stale_at_limit", "a message exactly max_age_ms old is used",
           inputs(snapshot=snapshot_of([btc("61000", age=10000), btc("61010", key="oracle-b", age=1)])))
    yield ("stale_one_ms_over", "a message max_age_ms + 1 old is stale; the quorum fails with one source left",
           inputs(snapshot=snapshot_of([btc("61000", age=10001), btc("61010", key="oracle-b", age=1)])))
    yield ("future_at_limit", "a message max_future_ms ahead of the snapshot is used",
           inputs(snapshot=snapshot_of([btc("61000", age=-2000), btc("61010", key="oracle-b", age=1)])))
    yield ("future_one_ms_over", "a message max_future_ms + 1 ahead is from the future and dropped",
           inputs(snapshot=snapshot_of([btc("61000", age=-2001), btc("61010", key="oracle-b", age=1),
                                        btc("61020", key="oracle-c", age=1)])))

    # Freshness against the state: sequence and publish time both strictly greater.
    last = {a: {"BTC-USD": {"sequence": 999, "publish_time": AS_OF - 501}}}
    yield ("fresher_than_state", "sequence and publish time both after the last accepted: used",
           inputs(snapshot=snapshot_of([btc("61000", sequence=1000, age=500), btc("61010", key="oracle-b")]),
                  state=state_of(sources=last)))
    yield ("not_fresher_same_sequence", "the last accepted sequence again: not fresher, dropped",
           inputs(snapshot=snapshot_of([btc("61000", sequence=999, age=500), btc("61010", key="oracle-b"),
                                        btc("61020", key="oracle-c")]),
                  state=state_of(sources=last)))
    yield ("not_fresher_same_time", "a newer sequence at the same publish time: not fresher, dropped",
           inputs(snapshot=snapshot_of([btc("61000", sequence=1000, age=501), btc("61010", key="oracle-b"),
                                        btc("61020", key="oracle-c")]),
                  state=state_of(sources=last)))
    yield ("replay", "the example verified again with the state it produced: every message is not fresher, "
                     "so the replayed bundle fails its quorum",
           inputs(state=replay_state()))

    # Keys and roles.
    yield ("oracle_wrong_role", "an oracle message signed by the exchange's key (no oracle role) is dropped",
           inputs(snapshot=snapshot_of(two_btc + [btc("61005", key="exchange", key_id="exchange")])))
    yield ("oracle_not_a_source", "a trusted oracle key that is not one of the feed's sources is dropped",
           inputs(snapshot=snapshot_of(two_btc + [btc("61005", key="oracle-d")]),
                  trust=trust_doc({"oracle-d": {"public_key": PUBLIC["oracle-d"].hex(), "roles": ["oracle"]}})))
    alias = trust_doc({"oracle-a2": {"public_key": a, "roles": ["oracle"]}})
    yield ("one_key_two_ids", "one key under two ids counts once: the second message is a duplicate source",
           inputs(snapshot=snapshot_of([btc("61000"), btc("61010", key="oracle-a", key_id="oracle-a2",
                                                          sequence=1001), btc("61020", key="oracle-b")]),
                  trust=alias))
    yield ("one_key_two_ids_quorum", "two ids of one key do not make a quorum of two",
           inputs(snapshot=snapshot_of([btc("61000"), btc("61010", key="oracle-a", key_id="oracle-a2",
                                                          sequence=1001)]),
                  trust=alias))
    yield ("params_unknown_key", "parameters signed by a key the trust store does not hold",
           inputs(params=params_text(key_id="outsider", key="outsider")))
    yield ("params_wrong_role", "parameters signed by the exchange, which may sign snapshots and statements only",
           inputs(params=params_text(key_id="exchange", key="exchange")))
    yield ("snapshot_wrong_role", "a snapshot signed by the governance key",
           inputs(snapshot=snapshot_text(key_id="governance", key="governance")))
    yield ("params_bad_signature", "parameters whose signature does not verify",
           inputs(params=bad_signature(P)))
    yield ("statement_bad_signature", "a statement whose signature does not verify",
           inputs(statement=bad_signature(statement_text())))
    bad = btc("61005", key="oracle-c")
    bad["signature"] = bad["signature"][:-2] + ("00" if bad["signature"][-2:] != "00" else "01")
    yield ("oracle_bad_signature", "an oracle message whose signature does not verify is dropped unread",
           inputs(snapshot=snapshot_of(two_btc + [bad])))
    yield ("params_wrong_document_type", "a statement in the parameters' slot",
           inputs(params=statement_text()))
    yield ("oracle_wrong_document_type", "a statement inside the snapshot's messages is dropped",
           inputs(snapshot=snapshot_of(two_btc + [message("oracle-c", "oracle-c", "BTC-USD", "61005", None, None, 1, 5,
                                                doc_type="statement/v1")])))

    # Quorum k and k - 1; median rules.
    yield ("quorum_met", "exactly the quorum of 2 distinct sources: the mark is the lower of the two middle prices",
           inputs(snapshot=snapshot_of(two_btc)))
    yield ("quorum_k_minus_1", "one source for a quorum of 2",
           inputs(snapshot=snapshot_of(two_btc[:1])))
    yield ("median_of_four", "four sources (quorum 3 of 4): the median is the lower middle price; "
                             "the volatility median is over the messages that carry one",
           inputs(snapshot=snapshot_of([btc("61100", volatility="0.8"), btc("61000", key="oracle-b"),
                                        btc("60900", key="oracle-c", volatility="0.7"),
                                        btc("61200", key="oracle-d", volatility="0.75")]),
                  params=params_text(btc=oracle_rules(sources=[PUBLIC[k].hex() for k in
                                                               ("oracle-a", "oracle-b", "oracle-c", "oracle-d")],
                                                      quorum=3)),
                  trust=trust_doc({"oracle-d": {"public_key": PUBLIC["oracle-d"].hex(), "roles": ["oracle"]}})))

    # Price, confidence and band at the exact limit and one unit (10^-18) beyond.
    yield ("price_zero", "a zero price is dropped",
           inputs(snapshot=snapshot_of(two_btc + [btc("0", key="oracle-c")])))
    yield ("price_negative", "a negative price is dropped",
           inputs(snapshot=snapshot_of(two_btc + [btc("-61000", key="oracle-c")])))
    yield ("confidence_at_limit", "confidence exactly price x 0.005 is used",
           inputs(snapshot=snapshot_of([btc("61000", confidence="305"), btc("61010", key="oracle-b")])))
    yield ("confidence_one_unit_over", "confidence price x 0.005 + 10^-18 is dropped",
           inputs(snapshot=snapshot_of([btc("61000", confidence="305.000000000000000001"),
                                        btc("61010", key="oracle-b"), btc("61020", key="oracle-c")])))
    yield ("band_at_limit", "a price exactly previous stable x (1 + 0.1) is inside the band",
           inputs(snapshot=snapshot_of([btc("66550"), btc("66540", key="oracle-b")])))
    yield ("band_one_unit_over", "a price 10^-18 beyond previous stable x (1 - 0.1) is outside the band",
           inputs(snapshot=snapshot_of([btc("54449.999999999999999999"), btc("61010", key="oracle-b"),
                                        btc("61020", key="oracle-c")])))

    # Stable price: clamped to previous +- down(previous x rate); the mark without a previous stable price.
    yield ("stable_clamped_up", "the mark is far above the previous stable price: the stable price moves "
                                "up by previous x 0.005",
           inputs(snapshot=snapshot_of([btc("62000"), btc("62010", key="oracle-b")])))
    yield ("stable_clamped_down", "the mark is far below the previous stable price: the stable price moves "
                                  "down by previous x 0.005",
           inputs(snapshot=snapshot_of([btc("59000"), btc("59010", key="oracle-b")])))
    yield ("stable_step_rounds_down", "previous x rate has 21 fractional digits: the step rounds down",
           inputs(snapshot=snapshot_of([btc("62000"), btc("62010", key="oracle-b")],
                                       previous={"BTC-USD": "60500.000000000000000003", "ETH-USD": "3010"})))
    yield ("stable_without_previous", "no previous stable price for BTC-USD: the stable price is the mark",
           inputs(snapshot=snapshot_of(two_btc, previous={"ETH-USD": "3010"})))
    yield ("previous_stable_unknown_feed", "a previous stable price for a feed without oracle rules",
           inputs(snapshot=snapshot_of(two_btc, previous={"BTC-USD": "60500", "SOL-USD": "150"})))

    # Exchange-wide totals, attested by the snapshot's signer (formats.md §4, spec §5.7-§5.8).
    yield ("snapshot_market_totals", "open interest and total deposits in the signed snapshot scale BTC-PERP's "
                                     "initial margin and BTC's initial weight",
           inputs(params=risk(with_totals_rules), snapshot=snapshot_text(totals=TOTALS)))
    yield ("snapshot_market_totals_unused", "totals in the snapshot for parameters without those rules change "
                                            "nothing",
           inputs(snapshot=snapshot_text(totals=TOTALS)))

    # Statement and envelope form.
    yield ("statement_after_snapshot", "a statement dated 1 ms after the snapshot",
           inputs(statement=statement_text(as_of=AS_OF + 1)))
    yield ("statement_at_snapshot_time", "a statement dated exactly at the snapshot's time is accepted",
           inputs(statement=statement_text(as_of=AS_OF)))
    yield ("params_trailing_newline", "an envelope with a trailing newline is not canonical",
           inputs(params=P + "\n"))


def _error_cases():
    """Bad signed inputs, each with the error code it must produce: the
    catalogue of tests/vectors/errors/signed/ (messages from signed.py)."""
    P, S, A = params_text(), snapshot_text(), statement_text()

    def edited(text, **fields):
        e = json.loads(text)
        e.update(fields)
        return canonical(e)

    def signed_params(payload):
        return envelope_text("risk_parameters/v1", "governance", "governance", canonical(payload))

    base_payload = {"risk_parameters": exchange_doc("risk_parameters.json"), "valid_from": VALID_FROM,
                    "valid_until": VALID_UNTIL, "oracles": {"BTC-USD": oracle_rules(), "ETH-USD": oracle_rules()}}

    def payload_with(**changes):
        p = copy.deepcopy(base_payload)
        p.update(changes)
        return p

    yield ("envelope_unknown_field", "unknown_field", "an envelope with a field the format does not have",
           inputs(params=canonical({**json.loads(P), "comment": "hi"})))
    yield ("envelope_unknown_type", "invalid_value", "an envelope whose type is not a known document type",
           inputs(params=edited(P, type="risk_parameters/v2")))
    yield ("envelope_empty_key_id", "invalid_value", "an envelope with an empty key id",
           inputs(snapshot=edited(S, key_id="")))
    yield ("envelope_signature_uppercase", "bad_encoding", "a signature in uppercase hex",
           inputs(snapshot=edited(S, signature=json.loads(S)["signature"].upper())))
    yield ("envelope_signature_short", "bad_encoding", "a signature one byte short",
           inputs(statement=edited(A, signature=json.loads(A)["signature"][:-2])))
    yield ("envelope_base64_unused_bits", "bad_encoding",
           "a payload whose last base64 character carries bits beyond the data",
           inputs(statement=edited(A, payload="YWJjZB==")))
    yield ("envelope_base64_length", "bad_encoding", "a payload of 3 base64 characters",
           inputs(statement=edited(A, payload="YWJ")))
    yield ("envelope_base64_padding_inside", "bad_encoding", "padding in the middle of a payload",
           inputs(params=edited(P, payload="YWJj=A==")))
    yield ("envelope_not_an_object", "wrong_type", "a snapshot that is a JSON array",
           inputs(snapshot="[]"))
    yield ("trust_unknown_role", "invalid_value", "a trust store naming an unknown role",
           inputs(trust=trust_doc({"auditor": {"public_key": PUBLIC["oracle-d"].hex(), "roles": ["auditor"]}})))
    yield ("trust_role_twice", "duplicate_key", "a trust store listing a role twice for one key",
           inputs(trust=trust_doc({"oracle-d": {"public_key": PUBLIC["oracle-d"].hex(),
                                                "roles": ["oracle", "oracle"]}})))
    yield ("trust_public_key_short", "bad_encoding", "a trusted public key of 31 bytes",
           inputs(trust=trust_doc({"oracle-d": {"public_key": PUBLIC["oracle-d"].hex()[:62], "roles": ["oracle"]}})))
    yield ("trust_missing_keys", "missing_field", "a trust store without \"keys\"", inputs(trust={"key": {}}))
    yield ("state_digest_short", "bad_encoding", "an acceptance state whose digest is 31 bytes",
           inputs(state=state_of({"version": 12, "digest": "ab" * 31})))
    yield ("state_unknown_field", "unknown_field", "an acceptance state with a field the format does not have",
           inputs(state={"sources": {}, "last_snapshot": "x"}))
    yield ("params_validity_inverted", "invalid_value", "valid_until not after valid_from",
           inputs(params=signed_params(payload_with(valid_until=VALID_FROM))))
    yield ("oracle_rules_quorum_too_high", "invalid_value", "a quorum of 4 over 3 sources",
           inputs(params=signed_params(payload_with(oracles={"BTC-USD": oracle_rules(quorum=4),
                                                             "ETH-USD": oracle_rules()}))))
    yield ("oracle_rules_source_twice", "duplicate_key", "a feed's source listed twice",
           inputs(params=signed_params(payload_with(oracles={
               "BTC-USD": oracle_rules(sources=[PUBLIC["oracle-a"].hex()] * 2, quorum=1),
               "ETH-USD": oracle_rules()}))))
    yield ("oracle_rules_rate_above_one", "invalid_value", "a stable price rate of 1.5",
           inputs(params=signed_params(payload_with(oracles={"BTC-USD": oracle_rules(stable_price_rate="1.5"),
                                                             "ETH-USD": oracle_rules()}))))
    yield ("oracle_rules_negative_deviation", "invalid_value", "a negative maximum deviation ratio",
           inputs(params=signed_params(payload_with(oracles={"BTC-USD": oracle_rules(max_deviation_ratio="-0.1"),
                                                             "ETH-USD": oracle_rules()}))))
    yield ("oracle_rules_unknown_field", "unknown_field", "oracle rules with a field the format does not have",
           inputs(params=signed_params(payload_with(oracles={"BTC-USD": {**oracle_rules(), "min_sources": 2},
                                                             "ETH-USD": oracle_rules()}))))
    yield ("feed_without_oracle_rules", "invalid_value",
           "signed risk parameters whose collateral ETH is priced by a feed without oracle rules",
           inputs(params=signed_params(payload_with(oracles={"BTC-USD": oracle_rules()})),
                  snapshot=snapshot_text([btc("61000"), btc("61010", key="oracle-b")],
                                         previous={"BTC-USD": "60500"})))
    yield ("params_invalid_tiers", "invalid_value", "signed risk parameters whose tier caps do not increase",
           inputs(params=risk(lambda d: d["markets"]["BTC-PERP"]["tiers"][1].update(max_notional="250000"))))
    yield ("previous_stable_zero", "invalid_value", "a previous stable price of zero",
           inputs(snapshot=snapshot_of([btc("61000"), btc("61010", key="oracle-b")],
                                       previous={"BTC-USD": "0", "ETH-USD": "3010"})))
    yield ("oracle_payload_unknown_field", "unknown_field",
           "an oracle message (signature valid) with a field the format does not have: the whole snapshot is "
           "rejected, since the exchange bundled a message no source could have signed in this format",
           inputs(snapshot=snapshot_of([btc("61000"), btc("61010", key="oracle-b"),
                                        sign("oracle_price/v1", "oracle-c", "oracle-c",
                                             canonical({"feed": "BTC-USD", "price": "61020", "publish_time": AS_OF,
                                                        "sequence": 1, "venue": "x"}))])))
    yield ("oracle_payload_price_number", "wrong_type", "an oracle message whose price is a JSON number",
           inputs(snapshot=snapshot_of([btc("61000"), btc("61010", key="oracle-b"),
                                        sign("oracle_price/v1", "oracle-c", "oracle-c",
                                             canonical({"feed": "BTC-USD", "price": 61020, "publish_time": AS_OF,
                                                        "sequence": 1}))])),
           'expected a decimal string, found the number 61020 (write it as "61020")')
    yield ("statement_account_invalid", "invalid_value", "a signed statement with a zero position quantity",
           inputs(statement=envelope_text("statement/v1", "exchange", "exchange", canonical(
               {"id": "s", "as_of": AS_OF, "account": {**exchange_doc("account.json"), "positions": {
                   "BTC-PERP": {"quantity": "0", "entry_price": "60000"}}}}))))
    expiry = 1798185600000  # BTC-20261225 expires; the example account holds it
    yield ("statement_contract_expired", "contract_expired",
           "an evaluation error inside a signed statement is located in the statement",
           inputs(snapshot=snapshot_of([btc("61000", as_of=expiry), btc("61010", key="oracle-b", as_of=expiry)],
                                       as_of=expiry),
                  statement=statement_text(as_of=expiry)))
    yield ("statement_payload_nul", "malformed_json",
           "a signed statement (signature valid) whose payload carries another document after a NUL byte: "
           "an error with its position, not the document before the NUL",
           inputs(statement=envelope_text("statement/v1", "exchange", "exchange", canonical(
               {"id": "stmt-acct-7-000311", "as_of": AS_OF - 5000, "account": exchange_doc("account.json")})
               + "\0" + canonical({"id": "other"}))))
    yield ("snapshot_open_interest_missing", "missing_price",
           "parameters that scale BTC-PERP with open interest, and a snapshot without it",
           inputs(params=risk(with_totals_rules), snapshot=snapshot_text(totals={"total_deposits": {"BTC": "1"}})))
    yield ("snapshot_total_deposits_negative", "invalid_value", "a snapshot with negative total deposits",
           inputs(snapshot=snapshot_text(totals={"total_deposits": {"BTC": "-1"}})))
    yield ("snapshot_open_interest_not_object", "wrong_type", "a snapshot whose open interest is an array",
           inputs(snapshot=snapshot_text(totals={"open_interest": []})),
           '"open_interest" must be a JSON object, found an array')
    yield ("snapshot_messages_not_array", "wrong_type", "a snapshot whose messages are an object",
           inputs(snapshot=envelope_text("snapshot/v1", "exchange", "exchange", canonical(
               {"id": "s", "as_of": AS_OF, "messages": {}, "previous_stable": {}}))))


# --- option market data (formats.md §5.1, §6.2) ----------------------------------------

def options_doc(name: str):
    return json.loads((ROOT / "examples" / "options" / name).read_text(encoding="utf-8"))


def option_data_rules(**changes) -> dict:
    rules = {"sources": [PUBLIC[k].hex() for k in ("oracle-a", "oracle-b", "oracle-c")], "quorum": 2,
             "max_age_ms": 60000, "max_future_ms": 2000, "max_confidence": "0.02"}
    rules.update(changes)
    return rules


def options_params_text(option_data=None, btc_rules=None) -> str:
    """examples/options' risk parameters, signed with oracle and option data rules."""
    payload = {"risk_parameters": options_doc("risk_parameters.json"), "valid_from": VALID_FROM,
               "valid_until": VALID_UNTIL, "oracles": {"BTC-USD": oracle_rules(), "ETH-USD": oracle_rules()},
               "option_data": {"BTC-USD": btc_rules or option_data_rules(), "ETH-USD": option_data_rules()}
               if option_data is None else option_data}
    return envelope_text("risk_parameters/v1", "governance", "governance", canonical(payload))


# (feed, expiry): the surfaces of examples/options/prices.json.
SURFACES = {(feed, int(expiry)): data for feed, by_expiry in options_doc("prices.json")["option_expiries"].items()
            for expiry, data in by_expiry.items()}
OPTION_SEQUENCE = {"oracle-a": 5100, "oracle-b": 7200, "oracle-c": 3300}


def option_message(key_id, key, feed, expiry, age=1500, sequence=None, as_of=AS_OF, doc_type="option_expiry/v1",
                   **changes) -> dict:
    """An option expiry message with examples/options' surface for (feed, expiry), changed by `changes`
    (svi_<field> changes a smile field; None removes a field)."""
    body = {"feed": feed, "expiry": expiry, "publish_time": as_of - age,
            "sequence": OPTION_SEQUENCE.get(key_id, 1) if sequence is None else sequence}
    body.update(copy.deepcopy(SURFACES.get((feed, expiry), SURFACES[("BTC-USD", 1798185600000)])))
    for k, v in changes.items():
        if k.startswith("svi_"):
            body["svi"][k[4:]] = v
        elif v is None:
            body.pop(k, None)
        else:
            body[k] = v
    return sign(doc_type, key_id, key, canonical(body))


def all_option_messages(sources=("oracle-a", "oracle-b", "oracle-c"), skip=(), extra=None, as_of=AS_OF):
    """Every source's message for every expiry, but those in `skip` ((key, feed, expiry)); `extra`
    replaces (key, feed, expiry) -> the message to put there instead."""
    extra = extra or {}
    out = []
    for feed, expiry in sorted(SURFACES):
        for k in sources:
            if (k, feed, expiry) in skip:
                continue
            out.append(extra.get((k, feed, expiry)) or option_message(k, k, feed, expiry, as_of=as_of))
    return out


def options_snapshot_text(option_messages=None, messages=None, as_of=AS_OF) -> str:
    if messages is None:
        messages = [message(*m, as_of=as_of) for m in EXAMPLE_MESSAGES]
    payload = {"id": "snap-options-2026-11-24T12:00:00Z", "as_of": as_of, "messages": messages,
               "previous_stable": EXAMPLE_PREVIOUS}
    if option_messages is not False:
        payload["option_messages"] = all_option_messages() if option_messages is None else option_messages
    return envelope_text("snapshot/v1", "exchange", "exchange", canonical(payload))


def options_account(with_options=False) -> dict:
    """examples/options' account; without its option positions for the signed vectors (model.py evaluates
    accounts without options only; signed.py still derives every option expiry of the snapshot)."""
    account = options_doc("account.json")
    if not with_options:
        markets = options_doc("risk_parameters.json")["option_markets"]
        account["positions"] = {k: v for k, v in account["positions"].items() if k not in markets}
    return account


def options_statement_text(with_options=False, as_of=AS_OF - 5000) -> str:
    payload = {"id": "stmt-acct-opt-1-000042", "as_of": as_of, "account": options_account(with_options)}
    return envelope_text("statement/v1", "exchange", "exchange", canonical(payload))


def options_inputs(params=None, snapshot=None, trust=None, state=None) -> dict:
    return inputs(params=params or options_params_text(), snapshot=snapshot or options_snapshot_text(),
                  statement=options_statement_text(), trust=trust, state=state)


def options_example_files() -> dict:
    """examples/signed-options/: the options book of examples/options, signed (formats.md §10)."""
    return {
        "trust.json": json.dumps(trust_doc(), indent=2, sort_keys=True) + "\n",
        "risk_parameters.signed": options_params_text(),
        "snapshot.signed": options_snapshot_text(),
        "statement.signed": options_statement_text(with_options=True),
    }


def _option_cases():
    """(name, description, input, error code or None)."""
    btc1, btc2, eth1 = ("BTC-USD", 1798185600000), ("BTC-USD", 1806048000000), ("ETH-USD", 1798185600000)
    c_btc1 = ("oracle-c",) + btc1

    def changed(key, where, **changes):
        return {(key,) + where: option_message(key, key, *where, **changes)}

    yield ("options_example", "options: three sources publish the same surface for each of the three expiries "
                              "of the option markets; every message used, the state records each stream", 
           options_inputs(), None)
    yield ("options_one_disagrees", "options: oracle-c publishes another forward for BTC-USD 2026-12-25; the "
                                    "two others agree (quorum 2): oracle-c's message disagrees",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra=changed("oracle-c", btc1, forward="61190")))), None)
    yield ("options_equal_values_agree", "options: \"0.0400\" and \"0.04\" are one rate: three sources agree",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra=changed("oracle-b", btc1, rate="0.0400")))), None)
    yield ("options_disagreeing_surfaces", "options: three different smiles for BTC-USD 2026-12-25 (rho "
                                           "differs in the 18th digit): no two agree, quorum 2 not met",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={
               **changed("oracle-b", btc1, svi_rho="-0.220000000000000001"),
               **changed("oracle-c", btc1, svi_rho="-0.219999999999999999")}))), "quorum_not_met")
    yield ("options_tie", "options: quorum 1, two sources, two different surfaces: a tie is not resolved",
           options_inputs(params=options_params_text(btc_rules=option_data_rules(quorum=1)),
                          snapshot=options_snapshot_text(all_option_messages(
                              skip={c_btc1}, extra=changed("oracle-b", btc1, forward="61190")))),
           "quorum_not_met")
    yield ("options_quorum_not_met", "options: only oracle-a publishes ETH-USD 2026-12-25",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               skip={("oracle-b",) + eth1, ("oracle-c",) + eth1}))), "quorum_not_met")
    yield ("options_no_option_messages", "options: the parameters have option markets; a snapshot without "
                                         "option messages cannot price them",
           options_inputs(snapshot=options_snapshot_text(False)), "quorum_not_met")
    yield ("options_stale_at_limit", "options: oracle-c's message exactly max_age_ms old is used",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra={c_btc1: option_message("oracle-c", "oracle-c", *btc1, age=60000)}))), None)
    yield ("options_stale", "options: oracle-c's message max_age_ms + 1 old is stale; two sources still agree",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra={c_btc1: option_message("oracle-c", "oracle-c", *btc1, age=60001)}))), None)
    yield ("options_stale_quorum", "options: two stale messages leave one source for BTC-USD 2027-03-26",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={
               ("oracle-a",) + btc2: option_message("oracle-a", "oracle-a", *btc2, age=60001),
               ("oracle-b",) + btc2: option_message("oracle-b", "oracle-b", *btc2, age=70000)}))),
           "quorum_not_met")
    yield ("options_future", "options: a message max_future_ms + 1 ahead of the snapshot is dropped",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra={c_btc1: option_message("oracle-c", "oracle-c", *btc1, age=-2001)}))), None)
    yield ("options_unknown_source", "options: a message from a key the trust store does not hold, and one "
                                     "from a trusted oracle that is not an option data source of the feed",
           inputs(params=options_params_text(), statement=options_statement_text(),
                  trust=trust_doc({"oracle-d": {"public_key": PUBLIC["oracle-d"].hex(), "roles": ["oracle"]}}),
                  snapshot=options_snapshot_text(all_option_messages() + [
                      option_message("oracle-x", "outsider", *btc1),
                      option_message("oracle-d", "oracle-d", *btc1)])), None)
    yield ("options_wrong_role", "options: an option message signed by the exchange (no oracle role), and a "
                                 "price message among the option messages, are dropped",
           options_inputs(snapshot=options_snapshot_text(all_option_messages() + [
               option_message("exchange", "exchange", *btc1),
               message("oracle-a", "oracle-a", "BTC-USD", "61000", None, None, 10, 99999)])), None)
    bad = option_message("oracle-c", "oracle-c", *btc1)
    bad["signature"] = bad["signature"][:-2] + ("00" if bad["signature"][-2:] != "00" else "01")
    yield ("options_bad_signature", "options: an option message whose signature does not verify is dropped unread",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={c_btc1: bad}))), None)
    yield ("options_unknown_expiry", "options: a surface for an expiry no option market has is dropped",
           options_inputs(snapshot=options_snapshot_text(all_option_messages() + [
               option_message("oracle-a", "oracle-a", "BTC-USD", 1798185600001, sequence=6000)])), None)
    yield ("options_invalid_surface", "options: a zero forward, a rho of 1 and a negative variance at the "
                                      "smile's minimum are dropped, never clamped",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={
               **changed("oracle-c", btc1, forward="0"), **changed("oracle-c", btc2, svi_rho="1"),
               **changed("oracle-c", eth1, svi_a="-0.1")}))), None)
    yield ("options_invalid_surface_quorum", "options: F = 0 from two sources: no quorum, no clamp",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={
               **changed("oracle-b", eth1, forward="0"), **changed("oracle-c", eth1, forward="0")}))),
           "quorum_not_met")
    yield ("options_confidence", "options: a confidence above max_confidence is dropped; at it, used",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(extra={
               **changed("oracle-a", btc2, confidence="0.02"), **changed("oracle-b", btc2, confidence="0.02"),
               **changed("oracle-c", btc2, confidence="0.020000000000000001")}))), None)
    yield ("options_duplicate_source", "options: a second message from the same source for one expiry",
           options_inputs(snapshot=options_snapshot_text(all_option_messages() + [
               option_message("oracle-a", "oracle-a", *btc1, sequence=5101)])), None)
    state = {"sources": {}, "option_sources": {
        PUBLIC["oracle-a"].hex(): {"BTC-USD": {"1798185600000": {"sequence": 5100, "publish_time": AS_OF - 1500}}},
        PUBLIC["oracle-b"].hex(): {"BTC-USD": {"1798185600000": {"sequence": 7199, "publish_time": AS_OF - 1501}}},
        PUBLIC["oracle-c"].hex(): {"BTC-USD": {"1798185600000": {"sequence": 3300, "publish_time": AS_OF - 1500}}}}}
    yield ("options_replay", "options: the option messages of BTC-USD 2026-12-25 replayed against the state that "
                             "accepted them: not fresher, quorum not met (oracle-b's stream is one step behind: "
                             "fresher)",
           options_inputs(state=state), "quorum_not_met")
    yield ("options_fresher_than_state", "options: each stream's sequence and publish time after the last "
                                         "accepted: used, and the state advances",
           options_inputs(state={"sources": {}, "option_sources": {
               k: {"BTC-USD": {"1798185600000": {"sequence": v["BTC-USD"]["1798185600000"]["sequence"] - 1,
                                                 "publish_time": AS_OF - 1501}}}
               for k, v in state["option_sources"].items()}}), None)
    yield ("options_missing_option_data_rules", "options: signed parameters with option markets on BTC-USD "
                                                "but option data rules for ETH-USD only",
           options_inputs(params=options_params_text(option_data={"ETH-USD": option_data_rules()})),
           "invalid_value")
    yield ("options_empty_array_linear", "a snapshot with an empty option_messages array under parameters "
                                         "without options: the summary shows empty option sections",
           inputs(snapshot=snapshot_text_with({"option_messages": []})), None)
    yield ("options_payload_unknown_field", "options: an option message (signature valid) with a field the "
                                            "format does not have rejects the snapshot",
           options_inputs(snapshot=options_snapshot_text(all_option_messages(
               extra=changed("oracle-c", btc1, venue="x")))), "unknown_field")
    yield ("options_state_bad_expiry_key", "an acceptance state whose option expiry key is not canonical",
           options_inputs(state={"sources": {}, "option_sources": {
               PUBLIC["oracle-a"].hex(): {"BTC-USD": {"01798185600000": {"sequence": 1, "publish_time": 1}}}}}),
           "invalid_value")
    yield ("options_rules_quorum_zero", "option data rules with a quorum of 0",
           options_inputs(params=options_params_text(btc_rules=option_data_rules(quorum=0))), "invalid_value")


def snapshot_text_with(fields: dict) -> str:
    payload = {"id": "snap-2026-11-24T12:00:00Z", "as_of": AS_OF,
               "messages": [message(*m) for m in EXAMPLE_MESSAGES], "previous_stable": EXAMPLE_PREVIOUS}
    payload.update(fields)
    return envelope_text("snapshot/v1", "exchange", "exchange", canonical(payload))


def replay_state() -> dict:
    """The state the example leaves behind, computed by the model itself."""
    from model import Derivation
    from signed import verify_and_evaluate
    return verify_and_evaluate(inputs(), Derivation())["state"]


# Rule cases that must fail, with their code; the rest must verify.
RULE_ERRORS = {
    "params_rollback": "rollback", "params_equivocation": "equivocation",
    "validity_before_valid_from": "parameters_not_valid", "validity_at_valid_until": "parameters_not_valid",
    "stale_one_ms_over": "quorum_not_met", "replay": "quorum_not_met", "one_key_two_ids_quorum": "quorum_not_met",
    "params_unknown_key": "unknown_key", "params_wrong_role": "wrong_role", "snapshot_wrong_role": "wrong_role",
    "params_bad_signature": "bad_signature", "statement_bad_signature": "bad_signature",
    "params_wrong_document_type": "wrong_document_type", "quorum_k_minus_1": "quorum_not_met",
    "previous_stable_unknown_feed": "invalid_value", "statement_after_snapshot": "invalid_value",
    "params_trailing_newline": "non_canonical",
}


def _all():
    for name, description, doc in _cases():
        code = RULE_ERRORS.get(name)
        yield {"name": f"{'errors/signed' if code else 'signed'}/{name}", "description": description,
               "operation": "verify_evaluate", "input": doc, "expect": code or "report"}
    for name, description, doc, code in _option_cases():
        yield {"name": f"{'errors/signed' if code else 'signed'}/{name}", "description": description,
               "operation": "verify_evaluate", "input": doc, "expect": code or "report"}
    for name, code, description, doc, *message in _error_cases():
        case = {"name": f"errors/signed/{name}", "description": description, "operation": "verify_evaluate",
                "input": doc, "expect": code}
        if message:
            case["message"] = message[0]
        yield case


CASES = list(_all())
