"""The signed path of docs/formats.md, re-implemented for the independent
checker: envelopes, the trust store, signed risk parameters with oracle
rules, oracle aggregation, the statement and the acceptance state, ending in
model.py's report.

Written from docs/formats.md (the wording of messages from the C++ verifier,
which formats.md does not fix, is reproduced here by hand). Signatures are
checked with ed25519.py, a pure-Python RFC 8032 implementation, so neither
libsodium nor the engine is consulted.
"""
from __future__ import annotations

import base64
import hashlib
import json

import options as O
from ed25519 import verify as ed25519_verify
from exact import VError, escape_pointer, fmt, down, checked
from model import (Derivation, FeedPrice, Prices, _dec, _dec_value, _finish, _obj, _opt_dec, _req, _str,
                   _uint, decode_account, decode_market_totals, decode_params, report, validate_account,
                   validate_market_totals, validate_params)
from strict_json import loads_strict

TYPES = ("risk_parameters/v1", "oracle_price/v1", "snapshot/v1", "statement/v1", "option_expiry/v1")
SIGNER_ROLE = {"risk_parameters/v1": "parameters", "oracle_price/v1": "oracle",
               "snapshot/v1": "snapshot", "statement/v1": "statement", "option_expiry/v1": "oracle"}
ROLES = ("parameters", "oracle", "snapshot", "statement")
MAX_MESSAGES = 4096
TIME_LIMIT = 2**63


def canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def signed_message(doc_type: str, payload: bytes) -> bytes:
    return b"vmargin\x00" + doc_type.encode() + b"\x00" + payload


def within(e: VError, prefix: str) -> VError:
    return VError(e.code, None if e.path is None else prefix + e.path, e.message)


# --- encodings (formats.md §1) ---------------------------------------------------

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _shown(byte: int) -> str:
    return f"'{chr(byte)}'" if 0x21 <= byte < 0x7F else f"byte 0x{byte:02x}"


def decode_base64(text: str, path: str) -> bytes:
    """RFC 4648 §4, canonical form only (formats.md §1)."""
    data = text.encode("utf-8")
    if len(data) % 4:
        raise VError("bad_encoding", path, f"base64 text of {len(data)} characters is not a multiple of 4 long")
    for i in range(0, len(data), 4):
        padding = 0
        if i + 4 == len(data) and data[i + 3] == ord("="):
            padding = 2 if data[i + 2] == ord("=") else 1
        for j in range(4 - padding):
            if chr(data[i + j]) not in B64:
                raise VError("bad_encoding", path, f"{_shown(data[i + j])} at offset {i + j} is not a base64 "
                                                   "character (padding '=' only ends the text)")
    out = base64.b64decode(data)
    if base64.b64encode(out) != data:
        raise VError("bad_encoding", path,
                     "base64 text is not canonical: the last character carries bits beyond the data")
    return out


def decode_hex(text: str, path: str, size: int) -> bytes:
    """Lowercase, exactly `size` bytes (formats.md §1)."""
    data = text.encode("utf-8")
    if len(data) != 2 * size:
        raise VError("bad_encoding", path, f"expected {2 * size} hex digits ({size} bytes), found {len(data)}")
    for at, c in enumerate(data):
        if chr(c) not in "0123456789abcdef":
            raise VError("bad_encoding", path, f"{_shown(c)} at offset {at} is not a lowercase hex digit")
    return bytes.fromhex(text)


def _timestamp(obj, key, path):
    return _uint(obj, key, path, TIME_LIMIT)


# --- envelope (§2) and trust store (§3) ------------------------------------------

class Envelope:
    def __init__(self, doc_type, key_id, payload: bytes, signature: bytes):
        self.type, self.key_id, self.payload, self.signature = doc_type, key_id, payload, signature


def _describe(value) -> str:
    """How the engine names a JSON value it did not expect."""
    if isinstance(value, str):
        return '"' + (value if len(value) <= 40 else value[:40] + "...") + '"'
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return f"the number {value}"
    return "an array" if isinstance(value, list) else "an object"


def decode_envelope_value(value, path) -> Envelope:
    if not isinstance(value, dict):
        raise VError("wrong_type", path, f"a signed envelope must be a JSON object, found {_describe(value)}")
    key_id = _str(value, "key_id", path)
    if key_id == "":
        raise VError("invalid_value", f"{path}/key_id", "the key id is empty")
    payload = decode_base64(_str(value, "payload", path), f"{path}/payload")
    signature = decode_hex(_str(value, "signature", path), f"{path}/signature", 64)
    doc_type = _str(value, "type", path)
    if doc_type not in TYPES:
        raise VError("invalid_value", f"{path}/type",
                     f'unknown document type "{doc_type}"; expected risk_parameters/v1, oracle_price/v1, '
                     "option_expiry/v1, snapshot/v1 or statement/v1")
    _finish(value, {"key_id", "payload", "signature", "type"}, path)
    return Envelope(doc_type, key_id, payload, signature)


def envelope_value(e: Envelope) -> dict:
    return {"key_id": e.key_id, "payload": base64.b64encode(e.payload).decode("ascii"),
            "signature": e.signature.hex(), "type": e.type}


def decode_envelope(text: str, path: str) -> Envelope:
    e = decode_envelope_value(loads_strict(text, path), path)
    mine = canonical(envelope_value(e))
    if mine != text:
        at = next((i for i, (a, b) in enumerate(zip(mine, text)) if a != b), min(len(mine), len(text)))
        raise VError("non_canonical", path,
                     "the envelope is not in canonical form (keys sorted, no whitespace, no trailing newline): "
                     f"it differs from it at byte {len(mine[:at].encode())}")
    return e


def decode_trust_store(doc) -> dict:
    """key id -> (public key bytes, set of roles)."""
    root = "/trust"
    _obj(doc, root)
    keys = _obj(_req(doc, "keys", root), f"{root}/keys")
    out = {}
    for kid in sorted(keys):
        path = f"{root}/keys/{escape_pointer(kid)}"
        if kid == "":
            raise VError("invalid_value", path, "key ids must not be empty")
        k = _obj(keys[kid], path)
        pk = decode_hex(_str(k, "public_key", path), f"{path}/public_key", 32)
        roles = _req(k, "roles", path)
        if not isinstance(roles, list) or not roles:
            raise VError("wrong_type", f"{path}/roles", '"roles" must be a non-empty array of role names')
        have = set()
        for i, name in enumerate(roles):
            rp = f"{path}/roles/{i}"
            if not isinstance(name, str):
                raise VError("wrong_type", rp, None)
            if name not in ROLES:
                raise VError("invalid_value", rp,
                             f'unknown role "{name}"; expected parameters, oracle, snapshot or statement')
            if name in have:
                raise VError("duplicate_key", rp, f'role "{name}" is listed twice')
            have.add(name)
        _finish(k, {"public_key", "roles"}, path)
        out[kid] = (pk, have)
    _finish(doc, {"keys"}, root)
    return out


def verify_envelope(e: Envelope, expected: str, trust: dict, path: str):
    if e.type != expected:
        raise VError("wrong_document_type", f"{path}/type", f"expected a {expected} document, found {e.type}")
    if e.key_id not in trust:
        raise VError("unknown_key", f"{path}/key_id", f'key "{e.key_id}" is not in the trust store')
    pk, roles = trust[e.key_id]
    role = SIGNER_ROLE[expected]
    if role not in roles:
        raise VError("wrong_role", f"{path}/key_id",
                     f'key "{e.key_id}" is trusted, but not for the role {role} that signs {expected} documents')
    if not ed25519_verify(pk, signed_message(e.type, e.payload), e.signature):
        raise VError("bad_signature", f"{path}/signature",
                     f'the signature does not verify against key "{e.key_id}" for these payload bytes')
    return pk


def decode_payload(e: Envelope, root: str, decoder):
    """Parses a verified payload and decodes it; every error inside it is
    located under <root>/payload (the payload is a JSON document of its own)."""
    try:
        return decoder(loads_strict(e.payload.decode("utf-8"), ""))
    except UnicodeDecodeError:
        raise VError("malformed_json", f"{root}/payload", None)
    except VError as err:
        raise within(err, f"{root}/payload")


# --- documents (§4-§8) -----------------------------------------------------------

def _invalid(path, message):
    return VError("invalid_value", path, message)


def _sources(value, path):
    sources = _req(value, "sources", path)
    if not isinstance(sources, list) or not sources:
        raise VError("wrong_type", f"{path}/sources", '"sources" must be a non-empty array of public keys')
    keys = []
    for i, s in enumerate(sources):
        p = f"{path}/sources/{i}"
        if not isinstance(s, str):
            raise VError("wrong_type", p, None)
        k = decode_hex(s, p, 32)
        if k in keys:
            raise VError("duplicate_key", p, f"source key {k.hex()} is listed twice")
        keys.append(k)
    return keys


def decode_option_data_rules(feed, value, path):
    """formats.md §4, option data rules."""
    _obj(value, path)
    keys = _sources(value, path)
    quorum = _uint(value, "quorum", path)
    if quorum < 1 or quorum > len(keys):
        raise _invalid(f"{path}/quorum", f"quorum {quorum} of the option data of {feed} must be between 1 and "
                                         f"its {len(keys)} sources")
    rules = {"sources": set(keys), "quorum": quorum,
             "max_age_ms": _timestamp(value, "max_age_ms", path),
             "max_future_ms": _timestamp(value, "max_future_ms", path),
             "max_confidence": _dec(value, "max_confidence", path)}
    if rules["max_confidence"] < 0:
        raise _invalid(f"{path}/max_confidence", f"maximum confidence of the option data of {feed} is negative")
    _finish(value, {"sources", "quorum", "max_age_ms", "max_future_ms", "max_confidence"}, path)
    return rules


def decode_oracle_rules(feed, value, path):
    _obj(value, path)
    keys = _sources(value, path)
    quorum = _uint(value, "quorum", path)
    if quorum < 1 or quorum > len(keys):
        raise _invalid(f"{path}/quorum", f"quorum {quorum} of {feed} must be between 1 and its {len(keys)} sources")
    rules = {"sources": set(keys), "quorum": quorum,
             "max_age_ms": _timestamp(value, "max_age_ms", path),
             "max_future_ms": _timestamp(value, "max_future_ms", path)}
    rules["max_confidence_ratio"] = _dec(value, "max_confidence_ratio", path)
    if rules["max_confidence_ratio"] < 0:
        raise _invalid(f"{path}/max_confidence_ratio", f"maximum confidence ratio of {feed} is negative")
    rules["max_deviation_ratio"] = _dec(value, "max_deviation_ratio", path)
    if rules["max_deviation_ratio"] < 0:
        raise _invalid(f"{path}/max_deviation_ratio", f"maximum deviation ratio of {feed} is negative")
    rate = _dec(value, "stable_price_rate", path)
    if rate < 0 or rate > 1:
        raise _invalid(f"{path}/stable_price_rate", f"stable price rate {fmt(rate)} of {feed} is outside [0, 1]")
    rules["stable_price_rate"] = rate
    _finish(value, {"sources", "quorum", "max_age_ms", "max_future_ms", "max_confidence_ratio",
                    "max_deviation_ratio", "stable_price_rate"}, path)
    return rules


def _option_markets(risk, path):
    """(feed, expiry) of each option market, by id, and the risk parameters
    without option_rules and option_markets for model.py.

    model.py does not model options yet (docs/spec.md §13 is checked by
    options.py and the C++ tests): it evaluates accounts without option
    positions, and needs from the option markets only which (feed, expiry)
    pairs the signed path must price. Their own rules (spec §13.1) are not
    re-checked here; the signed option cases use valid ones."""
    if not isinstance(risk, dict):
        return risk, {}
    rest = {k: v for k, v in risk.items() if k not in ("option_rules", "option_markets")}
    markets = {}
    if "option_markets" in risk:
        m = _obj(risk["option_markets"], f"{path}/option_markets")
        for mid in sorted(m):
            p = f"{path}/option_markets/{escape_pointer(mid)}"
            o = _obj(m[mid], p)
            markets[mid] = (_str(o, "feed", p), _timestamp(o, "expiry", p))
    return rest, markets


def decode_signed_parameters(doc):
    _obj(doc, "")
    risk, option_markets = _option_markets(_req(doc, "risk_parameters", ""), "/risk_parameters")
    params = decode_params(risk)
    params.option_markets_signed = option_markets
    valid_from = _timestamp(doc, "valid_from", "")
    valid_until = _timestamp(doc, "valid_until", "")
    if valid_until <= valid_from:
        raise _invalid("/valid_until", "valid_until must be after valid_from")
    oracles = _obj(_req(doc, "oracles", ""), "/oracles")
    rules = {}
    for feed in sorted(oracles):
        path = f"/oracles/{escape_pointer(feed)}"
        if feed == "":
            raise _invalid(path, "feed ids must not be empty")
        rules[feed] = decode_oracle_rules(feed, oracles[feed], path)
    option_data = {}
    if "option_data" in doc:
        od = _obj(doc["option_data"], "/option_data")
        for feed in sorted(od):
            path = f"/option_data/{escape_pointer(feed)}"
            if feed == "":
                raise _invalid(path, "feed ids must not be empty")
            option_data[feed] = decode_option_data_rules(feed, od[feed], path)
    _finish(doc, {"risk_parameters", "valid_from", "valid_until", "oracles", "option_data"}, "")
    params.option_data = option_data
    return params, valid_from, valid_until, rules


def decode_oracle_message(doc):
    _obj(doc, "")
    m = {"feed": _str(doc, "feed", ""), "price": _dec(doc, "price", "")}
    m["confidence"] = _opt_dec(doc, "confidence", "")
    if m["confidence"] is not None and m["confidence"] < 0:
        raise _invalid("/confidence", f"confidence {fmt(m['confidence'])} is negative")
    m["volatility"] = _opt_dec(doc, "volatility", "")
    if m["volatility"] is not None and m["volatility"] < 0:
        raise _invalid("/volatility", f"volatility {fmt(m['volatility'])} is negative")
    m["publish_time"] = _timestamp(doc, "publish_time", "")
    m["sequence"] = _uint(doc, "sequence", "")
    _finish(doc, {"feed", "price", "confidence", "volatility", "publish_time", "sequence"}, "")
    return m


def decode_option_message(doc):
    """formats.md §5.1, in the engine's reading order."""
    _obj(doc, "")
    m = {"feed": _str(doc, "feed", ""), "expiry": _timestamp(doc, "expiry", ""), "forward": _dec(doc, "forward", ""),
         "rate": _dec(doc, "rate", "")}
    svi = _obj(_req(doc, "svi", ""), "/svi")
    m["svi"] = {k: _dec(svi, k, "/svi") for k in ("a", "b", "rho", "m", "sigma", "forward", "tau")}
    _finish(svi, {"a", "b", "rho", "m", "sigma", "forward", "tau"}, "/svi")
    m["settlement_price"] = _opt_dec(doc, "settlement_price", "")
    m["confidence"] = _opt_dec(doc, "confidence", "")
    if m["confidence"] is not None and m["confidence"] < 0:
        raise _invalid("/confidence", f"confidence {fmt(m['confidence'])} is negative")
    m["publish_time"] = _timestamp(doc, "publish_time", "")
    m["sequence"] = _uint(doc, "sequence", "")
    _finish(doc, {"feed", "expiry", "forward", "rate", "svi", "settlement_price", "confidence", "publish_time",
                  "sequence"}, "")
    return m


SVI_MESSAGES = {"/b": "SVI b must be in [0, 1000]", "/rho": "SVI rho must be in (-1, 1)",
                "/m": "SVI m must be within +-1000", "/sigma": "SVI sigma must be in (0, 1000]",
                "/forward": "the SVI reference forward must be positive",
                "/tau": "the SVI reference time must be positive"}


def surface_problem(m):
    """formats.md §6.2 step 9: None, or '<field>: <why>' (spec §3.2 and §12.3)."""
    if m["forward"] <= 0:
        return f"/forward: forward {fmt(m['forward'])} is not positive"
    if m["rate"] < 0:
        return f"/rate: rate {fmt(m['rate'])} is negative"
    if m["settlement_price"] is not None and m["settlement_price"] <= 0:
        return f"/settlement_price: settlement price {fmt(m['settlement_price'])} is not positive"
    raw = {k: int(v * O.S) for k, v in m["svi"].items()}
    try:
        O.svi_validate(raw["a"], raw["b"], raw["rho"], raw["m"], raw["sigma"], raw["forward"], raw["tau"])
    except O.OptionError as e:
        if e.path == "/a":
            why = ("SVI a must be within +-1000" if abs(raw["a"]) > O.SVI_LIMIT else
                   "the SVI total variance a + b sigma sqrt(1 - rho^2) is negative at its minimum")
        else:
            why = SVI_MESSAGES[e.path]
        return f"/svi{e.path}: {why}"
    return None


def decode_snapshot(doc):
    _obj(doc, "")
    s = {"id": _str(doc, "id", ""), "as_of": _timestamp(doc, "as_of", ""), "messages": _req(doc, "messages", "")}
    if not isinstance(s["messages"], list):
        raise VError("wrong_type", "/messages", '"messages" must be an array of signed oracle messages')
    if len(s["messages"]) > MAX_MESSAGES:
        raise VError("input_too_large", "/messages",
                     f"the snapshot holds {len(s['messages'])} messages; the limit is {MAX_MESSAGES}")
    s["option_messages"] = doc.get("option_messages")
    if s["option_messages"] is not None or "option_messages" in doc:
        if not isinstance(s["option_messages"], list):
            raise VError("wrong_type", "/option_messages",
                         '"option_messages" must be an array of signed option expiry messages')
        if len(s["option_messages"]) > MAX_MESSAGES:
            raise VError("input_too_large", "/option_messages",
                         f"the snapshot holds {len(s['option_messages'])} messages; the limit is {MAX_MESSAGES}")
    previous = _obj(_req(doc, "previous_stable", ""), "/previous_stable")
    s["previous_stable"] = {}
    for feed in sorted(previous):
        path = f"/previous_stable/{escape_pointer(feed)}"
        p = _dec_value(previous[feed], path)
        if p <= 0:
            raise _invalid(path, f"previous stable price of {feed} is not positive")
        s["previous_stable"][feed] = p
    # §3.2: exchange-wide totals, attested by the snapshot's signer.
    s["open_interest"], s["total_deposits"] = decode_market_totals(doc, "")
    _finish(doc, {"id", "as_of", "messages", "option_messages", "previous_stable", "open_interest",
                  "total_deposits"}, "")
    validate_market_totals(s["open_interest"], s["total_deposits"], "")
    return s


def decode_statement(doc):
    _obj(doc, "")
    statement_id = _str(doc, "id", "")
    as_of = _timestamp(doc, "as_of", "")
    account = decode_account(_req(doc, "account", ""))
    _finish(doc, {"id", "as_of", "account"}, "")
    validate_account(account)
    return statement_id, as_of, account


def decode_state(doc) -> dict:
    """{"parameters": (version, digest) or None, "sources": {(key, feed): (sequence, publish_time)},
    "option_sources": {(key, feed, expiry): (sequence, publish_time)}}"""
    state = {"parameters": None, "sources": {}, "option_sources": {}}
    if doc is None:
        return state
    root = "/state"
    _obj(doc, root)
    if "risk_parameters" in doc:
        p = _obj(doc["risk_parameters"], f"{root}/risk_parameters")
        version = _uint(p, "version", f"{root}/risk_parameters")
        d = decode_hex(_str(p, "digest", f"{root}/risk_parameters"), f"{root}/risk_parameters/digest", 32)
        _finish(p, {"version", "digest"}, f"{root}/risk_parameters")
        state["parameters"] = (version, d)
    sources = _obj(_req(doc, "sources", root), f"{root}/sources")
    for key_hex in sorted(sources):
        kp = f"{root}/sources/{escape_pointer(key_hex)}"
        key = decode_hex(key_hex, kp, 32)
        feeds = _obj(sources[key_hex], kp)
        for feed in sorted(feeds):
            fp = f"{kp}/{escape_pointer(feed)}"
            f = _obj(feeds[feed], fp)
            state["sources"][(key, feed)] = (_uint(f, "sequence", fp), _timestamp(f, "publish_time", fp))
            _finish(f, {"sequence", "publish_time"}, fp)
    if "option_sources" in doc:
        op = f"{root}/option_sources"
        options = _obj(doc["option_sources"], op)
        for key_hex in sorted(options):
            kp = f"{op}/{escape_pointer(key_hex)}"
            key = decode_hex(key_hex, kp, 32)
            feeds = _obj(options[key_hex], kp)
            for feed in sorted(feeds):
                fp = f"{kp}/{escape_pointer(feed)}"
                expiries = _obj(feeds[feed], fp)
                for expiry in sorted(expiries):
                    ep = f"{fp}/{escape_pointer(expiry)}"
                    if not (expiry.isdigit() and expiry.isascii() and len(expiry) <= 18
                            and (expiry == "0" or expiry[0] != "0")):
                        raise _invalid(ep, "option expiry keys are times in milliseconds, written as canonical "
                                           f'decimal integers; found "{expiry}"')
                    e = _obj(expiries[expiry], ep)
                    state["option_sources"][(key, feed, int(expiry))] = (_uint(e, "sequence", ep),
                                                                         _timestamp(e, "publish_time", ep))
                    _finish(e, {"sequence", "publish_time"}, ep)
    _finish(doc, {"risk_parameters", "sources", "option_sources"}, root)
    return state


def encode_state(state) -> dict:
    out = {}
    if state["parameters"] is not None:
        out["risk_parameters"] = {"version": state["parameters"][0], "digest": state["parameters"][1].hex()}
    sources = {}
    for (key, feed), (sequence, publish_time) in sorted(state["sources"].items()):
        sources.setdefault(key.hex(), {})[feed] = {"sequence": sequence, "publish_time": publish_time}
    out["sources"] = sources
    if state["option_sources"]:
        options = {}
        for (key, feed, expiry), (sequence, publish_time) in sorted(state["option_sources"].items()):
            options.setdefault(key.hex(), {}).setdefault(feed, {})[str(expiry)] = {
                "sequence": sequence, "publish_time": publish_time}
        out["option_sources"] = options
    return out


def _ms(v: int) -> str:
    return f"{v} ms"


# --- aggregation (§6.1) ------------------------------------------------------------

def aggregate(snapshot, rules, trust, state, d: Derivation):
    base = "/snapshot/payload/messages"
    as_of = snapshot["as_of"]
    used = {feed: [] for feed in rules}
    outcomes = []
    for i, value in enumerate(snapshot["messages"]):
        path = f"{base}/{i}"
        e = decode_envelope_value(value, path)
        out = {"index": i, "key_id": e.key_id, "feed": None, "price": None, "status": "used",
               "reason": None, "detail": None}

        def drop(reason, detail):
            out.update(status="dropped", reason=reason, detail=detail)
            outcomes.append(out)
            d.add(f"message {i} ({e.key_id}): dropped, {reason}: {detail}")

        if e.type != "oracle_price/v1":
            drop("wrong_document_type", f"a {e.type} document")
            continue
        if e.key_id not in trust:
            drop("unknown_key", f'key "{e.key_id}" is not in the trust store')
            continue
        pk, roles = trust[e.key_id]
        if "oracle" not in roles:
            drop("wrong_role", f'key "{e.key_id}" is not trusted as an oracle')
            continue
        if not ed25519_verify(pk, signed_message(e.type, e.payload), e.signature):
            drop("bad_signature", f'the signature does not verify against key "{e.key_id}"')
            continue
        m = decode_payload(e, path, decode_oracle_message)
        feed, price = m["feed"], m["price"]
        out["feed"] = feed if feed != "" else None
        out["price"] = fmt(price)
        if feed not in rules:
            drop("unknown_feed", f"the risk parameters have no oracle rules for {feed}")
            continue
        r = rules[feed]
        if pk not in r["sources"]:
            drop("not_a_source", f'key "{e.key_id}" is not a source of {feed}')
            continue
        if price <= 0:
            drop("non_positive_price", f"price {fmt(price)} is not positive")
            continue
        if as_of - m["publish_time"] > r["max_age_ms"]:
            drop("stale", f"published {_ms(as_of - m['publish_time'])} before the snapshot; "
                          f"the maximum age is {_ms(r['max_age_ms'])}")
            continue
        if m["publish_time"] - as_of > r["max_future_ms"]:
            drop("future", f"published {_ms(m['publish_time'] - as_of)} after the snapshot; "
                           f"the maximum skew is {_ms(r['max_future_ms'])}")
            continue
        if m["confidence"] is not None and m["confidence"] > price * r["max_confidence_ratio"]:
            drop("confidence", f"confidence {fmt(m['confidence'])} is more than {fmt(r['max_confidence_ratio'])} "
                               f"of the price {fmt(price)}")
            continue
        prev = snapshot["previous_stable"].get(feed)
        if prev is not None and abs(price - prev) > prev * r["max_deviation_ratio"]:
            drop("outside_band", f"price {fmt(price)} is more than {fmt(r['max_deviation_ratio'])} away from the "
                                 f"previous stable price {fmt(prev)}")
            continue
        last = state["sources"].get((pk, feed))
        if last is not None and (m["sequence"] <= last[0] or m["publish_time"] <= last[1]):
            drop("not_fresher", f"sequence {m['sequence']} at {_ms(m['publish_time'])} is not after the last "
                                f"accepted, sequence {last[0]} at {_ms(last[1])}")
            continue
        if any(k == pk for k, _ in used[feed]):
            drop("duplicate_source", f'the key of "{e.key_id}" already counted for {feed}')
            continue
        used[feed].append((pk, m))
        outcomes.append(out)
        d.add(f"message {i} ({e.key_id}): used, {feed} at {fmt(price)}")

    feeds, accepted = {}, {}
    for feed in sorted(rules):
        r, u = rules[feed], used[feed]
        if len(u) < r["quorum"]:
            raise VError("quorum_not_met", base,
                         f"feed {feed} has {len(u)} distinct trusted source(s) whose messages pass the rules; "
                         f"its quorum is {r['quorum']}")
        prices = sorted(m["price"] for _, m in u)
        mark = prices[(len(prices) - 1) // 2]  # the lower middle for an even count
        vols = sorted(m["volatility"] for _, m in u if m["volatility"] is not None)
        vol = vols[(len(vols) - 1) // 2] if vols else None
        stable = mark
        prev = snapshot["previous_stable"].get(feed)
        if prev is not None:
            step = down(prev * r["stable_price_rate"])
            stable = min(max(mark, prev - step), checked(prev + step))
            d.add(f"{feed}: stable = clamp(mark {fmt(mark)}, {fmt(prev)} -+ down({fmt(prev)} x "
                  f"{fmt(r['stable_price_rate'])}) = {fmt(step)}) = {fmt(stable)}")
        d.add(f"{feed}: {len(u)} of quorum {r['quorum']}; sorted prices {[fmt(p) for p in prices]}, "
              f"mark (lower middle) {fmt(mark)}")
        feeds[feed] = {"mark": mark, "stable": stable, "previous_stable": prev, "volatility": vol,
                       "quorum": r["quorum"], "sources_used": len(u)}
        for pk, m in u:
            accepted[(pk, feed)] = (m["sequence"], m["publish_time"])
    return feeds, outcomes, accepted


# --- option market data (§6.2) --------------------------------------------------------

SURFACE_FIELDS = ("feed", "expiry", "forward", "rate", "svi", "settlement_price", "confidence")


def aggregate_options(snapshot, option_markets, option_rules, trust, state, d: Derivation):
    """Every option message used or dropped, then per required (feed, expiry)
    the surface the most sources agree on (formats.md §6.2)."""
    base = "/snapshot/payload/option_messages"
    as_of = snapshot["as_of"]
    required = sorted(set(option_markets.values()))
    used = {k: [] for k in required}
    outcomes = []
    for i, value in enumerate(snapshot["option_messages"] or []):
        path = f"{base}/{i}"
        e = decode_envelope_value(value, path)
        out = {"index": i, "key_id": e.key_id, "feed": None, "expiry": None, "status": "used", "reason": None,
               "detail": None}
        outcomes.append(out)

        def drop(reason, detail):
            out.update(status="dropped", reason=reason, detail=detail)
            d.add(f"option message {i} ({e.key_id}): dropped, {reason}: {detail}")

        if e.type != "option_expiry/v1":
            drop("wrong_document_type", f"a {e.type} document")
            continue
        if e.key_id not in trust:
            drop("unknown_key", f'key "{e.key_id}" is not in the trust store')
            continue
        pk, roles = trust[e.key_id]
        if "oracle" not in roles:
            drop("wrong_role", f'key "{e.key_id}" is not trusted as an oracle')
            continue
        if not ed25519_verify(pk, signed_message(e.type, e.payload), e.signature):
            drop("bad_signature", f'the signature does not verify against key "{e.key_id}"')
            continue
        m = decode_payload(e, path, decode_option_message)
        feed, expiry = m["feed"], m["expiry"]
        out["feed"] = feed if feed != "" else None
        out["expiry"] = expiry
        at = f"{feed} at {_ms(expiry)}"
        if feed not in option_rules:
            drop("unknown_feed", f"the risk parameters have no option data rules for {feed}")
            continue
        if (feed, expiry) not in used:
            drop("unknown_expiry", f"the risk parameters have no option market on {at}")
            continue
        r = option_rules[feed]
        if pk not in r["sources"]:
            drop("not_a_source", f'key "{e.key_id}" is not an option data source of {feed}')
            continue
        problem = surface_problem(m)
        if problem is not None:
            drop("invalid_surface", problem)
            continue
        if as_of - m["publish_time"] > r["max_age_ms"]:
            drop("stale", f"published {_ms(as_of - m['publish_time'])} before the snapshot; "
                          f"the maximum age is {_ms(r['max_age_ms'])}")
            continue
        if m["publish_time"] - as_of > r["max_future_ms"]:
            drop("future", f"published {_ms(m['publish_time'] - as_of)} after the snapshot; "
                           f"the maximum skew is {_ms(r['max_future_ms'])}")
            continue
        if m["confidence"] is not None and m["confidence"] > r["max_confidence"]:
            drop("confidence", f"confidence {fmt(m['confidence'])} is above the maximum {fmt(r['max_confidence'])}")
            continue
        last = state["option_sources"].get((pk, feed, expiry))
        if last is not None and (m["sequence"] <= last[0] or m["publish_time"] <= last[1]):
            drop("not_fresher", f"sequence {m['sequence']} at {_ms(m['publish_time'])} is not after the last "
                                f"accepted, sequence {last[0]} at {_ms(last[1])}")
            continue
        if any(k == pk for k, _, _ in used[(feed, expiry)]):
            drop("duplicate_source", f'the key of "{e.key_id}" already counted for {at}')
            continue
        used[(feed, expiry)].append((pk, m, out))
        d.add(f"option message {i} ({e.key_id}): passes the rules for {at}")

    expiries, accepted = {}, {}
    for feed, expiry in required:
        u, quorum = used[(feed, expiry)], option_rules[feed]["quorum"]
        groups = []  # [surface, [(pk, m, out)]], in bundle order of their first message
        for entry in u:
            surface = tuple(canonical_value(entry[1][f]) for f in SURFACE_FIELDS)
            for g in groups:
                if g[0] == surface:
                    g[1].append(entry)
                    break
            else:
                groups.append([surface, [entry]])
        best = max((len(g[1]) for g in groups), default=0)
        name = f"option expiry {feed} at {_ms(expiry)}"
        if best < quorum:
            raise VError("quorum_not_met", base,
                         f"{name} has {len(u)} distinct trusted source(s) whose messages pass the rules, at most "
                         f"{best} of them on one surface; its quorum is {quorum}")
        ties = sum(1 for g in groups if len(g[1]) == best)
        if ties > 1:
            raise VError("quorum_not_met", base,
                         f"{name}: {ties} different surfaces are each published by {best} sources; the quorum of "
                         f"{quorum} needs one surface with more sources than any other")
        chosen = next(g for g in groups if len(g[1]) == best)
        for g in groups:
            if g is chosen:
                continue
            for _, _, out in g[1]:
                out.update(status="dropped", reason="disagrees",
                           detail=f"its surface differs from the one {best} source(s) agree on")
        m = chosen[1][0][1]
        d.add(f"{name}: {best} of {len(u)} sources agree (quorum {quorum}); forward {fmt(m['forward'])}")
        expiries.setdefault(feed, {})[expiry] = {"surface": m, "quorum": quorum, "sources_used": best}
        for pk, mm, _ in chosen[1]:
            accepted[(pk, feed, expiry)] = (mm["sequence"], mm["publish_time"])
    return expiries, outcomes, accepted


def canonical_value(v):
    """A payload value compared as numbers (decimals are Fractions already)."""
    return tuple(sorted(v.items())) if isinstance(v, dict) else v


# --- the whole pipeline (§2-§9) ----------------------------------------------------

def verify_and_evaluate(inputs, d: Derivation) -> dict:
    """inputs: {"trust": <object>, "state": <object> (optional), "params", "snapshot", "statement": <text>}."""
    trust = decode_trust_store(inputs["trust"])
    state = decode_state(inputs.get("state"))

    pe = decode_envelope(inputs["params"], "/params")
    verify_envelope(pe, "risk_parameters/v1", trust, "/params")
    params, valid_from, valid_until, rules = decode_payload(pe, "/params", decode_signed_parameters)
    try:
        validate_params(params)
    except VError as err:
        raise within(err, "/params/payload")
    option_markets = params.option_markets_signed
    users = [(f"market {m}", params.markets[m].feed) for m in sorted(params.markets)]
    users += [(f"option market {m}", option_markets[m][0]) for m in sorted(option_markets)]
    users += [(f"collateral {a}", params.assets[a].feed) for a in sorted(params.assets)
              if params.assets[a].feed is not None]
    for what, feed in users:
        if feed not in rules:
            raise _invalid("/params/payload/oracles",
                           f"{what} is priced by feed {feed}, which has no oracle rules: "
                           "no signed snapshot could price it")
    for m in sorted(option_markets):
        if option_markets[m][0] not in params.option_data:
            raise _invalid("/params/payload/option_data",
                           f"option market {m} is priced by feed {option_markets[m][0]}, which has no option data "
                           "rules: no signed snapshot could price it")
    pdigest = digest(pe.payload)
    if state["parameters"] is not None:
        last, last_digest = state["parameters"]
        vpath = "/params/payload/risk_parameters/version"
        if params.version < last:
            raise VError("rollback", vpath, f"risk parameters version {params.version} is older than version "
                                            f"{last}, the last accepted")
        if params.version == last and pdigest != last_digest:
            raise VError("equivocation", vpath,
                         f"version {last} was accepted before with other bytes (digest {last_digest.hex()}, "
                         f"now {pdigest.hex()}): one version, two documents")
    d.add(f"risk parameters version {params.version} signed by {pe.key_id}, digest {pdigest.hex()}")

    se = decode_envelope(inputs["snapshot"], "/snapshot")
    verify_envelope(se, "snapshot/v1", trust, "/snapshot")
    snapshot = decode_payload(se, "/snapshot", decode_snapshot)
    as_of = snapshot["as_of"]
    if as_of < valid_from or as_of >= valid_until:
        raise VError("parameters_not_valid", "/snapshot/payload/as_of",
                     f"the snapshot's time {_ms(as_of)} is outside the validity of risk parameters version "
                     f"{params.version}, [{_ms(valid_from)}, {_ms(valid_until)})")
    for feed in sorted(snapshot["previous_stable"]):
        if feed not in rules:
            raise _invalid(f"/snapshot/payload/previous_stable/{escape_pointer(feed)}",
                           f"previous stable price for {feed}, a feed without oracle rules")
    feeds, outcomes, accepted = aggregate(snapshot, rules, trust, state, d)
    expiries, option_outcomes, option_accepted = aggregate_options(snapshot, option_markets, params.option_data,
                                                                   trust, state, d)
    prices = Prices(as_of, {f: FeedPrice(v["mark"], v["stable"], v["volatility"]) for f, v in feeds.items()},
                    open_interest=snapshot["open_interest"], total_deposits=snapshot["total_deposits"])

    ae = decode_envelope(inputs["statement"], "/statement")
    verify_envelope(ae, "statement/v1", trust, "/statement")
    statement_id, statement_as_of, account = decode_payload(ae, "/statement", decode_statement)
    if statement_as_of > as_of:
        raise _invalid("/statement/payload/as_of",
                       f"the statement ({_ms(statement_as_of)}) is dated after the snapshot ({_ms(as_of)})")

    next_state = {"parameters": (params.version, pdigest), "sources": dict(state["sources"])}
    next_state["sources"].update(accepted)
    next_state["option_sources"] = dict(state["option_sources"])
    next_state["option_sources"].update(option_accepted)
    try:
        result = report(params, prices, account, d, {})
    except VError as err:
        # The account is inside the statement; the prices come from the snapshot.
        if err.path is not None and err.path.startswith("/account"):
            raise within(err, "/statement/payload")
        if err.path is not None and err.path.startswith(("/prices/open_interest/", "/prices/total_deposits/")):
            raise VError(err.code, "/snapshot/payload" + err.path[len("/prices"):], err.message)
        if err.path is not None and err.path.startswith("/prices"):
            raise VError(err.code, "/snapshot/payload", err.message)
        raise

    def dec_or_none(v):
        return None if v is None else fmt(v)

    verification = {
        "risk_parameters": {"key_id": pe.key_id, "version": params.version, "digest": pdigest.hex(),
                            "valid_from": valid_from, "valid_until": valid_until},
        "snapshot": {"key_id": se.key_id, "id": snapshot["id"], "as_of": as_of},
        "statement": {"key_id": ae.key_id, "id": statement_id, "as_of": statement_as_of},
        "feeds": {f: {"mark": fmt(v["mark"]), "stable": fmt(v["stable"]),
                      "previous_stable": dec_or_none(v["previous_stable"]),
                      "volatility": dec_or_none(v["volatility"]), "quorum": v["quorum"],
                      "sources_used": v["sources_used"]} for f, v in feeds.items()},
        "messages": outcomes,
    }
    if snapshot["option_messages"] is not None:
        verification["option_expiries"] = {
            feed: {str(expiry): {"forward": fmt(v["surface"]["forward"]), "rate": fmt(v["surface"]["rate"]),
                                 "settlement_price": dec_or_none(v["surface"]["settlement_price"]),
                                 "quorum": v["quorum"], "sources_used": v["sources_used"]}
                   for expiry, v in by_expiry.items()}
            for feed, by_expiry in expiries.items()}
        verification["option_messages"] = option_outcomes
    return {"report": result, "verification": verification, "state": encode_state(next_state)}


