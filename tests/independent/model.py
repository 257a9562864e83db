"""An independent implementation of the vmargin evaluation, from
docs/spec.md, in exact rational arithmetic. It computes the expected
output of every conformance vector (make_vectors.py) and re-checks every
vector's stored expectation (check_vectors.py).
"""
from __future__ import annotations

from fractions import Fraction

from exact import (MAX_TEXT, VError, escape_pointer, fmt, in_range, parse_decimal,
                   round_down, round_up)


class Derivation:
    """Collects the arithmetic, step by step, for the vector's `derivation`."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, line: str):
        self.lines.append(line)


def _obj(value, path, what):
    if not isinstance(value, dict):
        raise VError("wrong_type", path, None)
    return value


def _field(obj, key, path):
    if key not in obj:
        raise VError("missing_field", f"{path}/{escape_pointer(key)}",
                     f'the required field "{key}" is missing')
    return obj[key]


def _dec(obj, key, path):
    p = f"{path}/{escape_pointer(key)}"
    v = _field(obj, key, path)
    if not isinstance(v, str):
        raise VError("wrong_type", p, None)
    return parse_decimal(v, p)


def _str(obj, key, path):
    v = _field(obj, key, path)
    if not isinstance(v, str):
        raise VError("wrong_type", f"{path}/{escape_pointer(key)}", None)
    return v


def _finish(obj, known, path):
    for key in sorted(obj):
        if key not in known:
            raise VError("unknown_field", f"{path}/{escape_pointer(key)}",
                         f'the field "{key}" is not part of this format')


def _overflow_check(x: Fraction, path: str, what: str):
    if not in_range(x):
        raise VError("overflow", path, None)


def decode(doc):
    """Decodes the combined input the way docs/spec.md "Inputs" defines it."""
    _obj(doc, "", "the evaluation input")
    rp = _obj(_field(doc, "risk_parameters", ""), "/risk_parameters", "the risk parameters")
    params = {}
    root = "/risk_parameters"
    v = _field(rp, "version", root)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise VError("wrong_type", f"{root}/version", None)
    params["version"] = v
    params["settlement_asset"] = _str(rp, "settlement_asset", root)
    params["margin_call_ratio"] = _dec(rp, "margin_call_ratio", root)
    markets = _obj(_field(rp, "markets", root), f"{root}/markets", '"markets"')
    params["markets"] = {}
    for mid in sorted(markets):
        mpath = f"{root}/markets/{escape_pointer(mid)}"
        m = _obj(markets[mid], mpath, "a market")
        kind = _str(m, "kind", mpath)
        if kind != "linear_perpetual":
            raise VError("invalid_value", f"{mpath}/kind",
                         f'unknown market kind "{kind}"; expected "linear_perpetual"')
        params["markets"][mid] = {
            "kind": kind,
            "feed": _str(m, "feed", mpath),
            "initial_rate": _dec(m, "initial_rate", mpath),
            "maintenance_rate": _dec(m, "maintenance_rate", mpath),
        }
        _finish(m, {"kind", "feed", "initial_rate", "maintenance_rate"}, mpath)
    _finish(rp, {"version", "settlement_asset", "margin_call_ratio", "markets"}, root)

    pr = _obj(_field(doc, "prices", ""), "/prices", "the prices")
    feeds = _obj(_field(pr, "feeds", "/prices"), "/prices/feeds", '"feeds"')
    prices = {}
    for fid in sorted(feeds):
        fpath = f"/prices/feeds/{escape_pointer(fid)}"
        f = _obj(feeds[fid], fpath, "a feed price")
        prices[fid] = {"mark": _dec(f, "mark", fpath)}
        _finish(f, {"mark"}, fpath)
    _finish(pr, {"feeds"}, "/prices")

    ac = _obj(_field(doc, "account", ""), "/account", "the account")
    account = {"id": _str(ac, "id", "/account")}
    coll = _obj(_field(ac, "collateral", "/account"), "/account/collateral", '"collateral"')
    account["collateral"] = {}
    for asset in sorted(coll):
        p = f"/account/collateral/{escape_pointer(asset)}"
        if not isinstance(coll[asset], str):
            raise VError("wrong_type", p, None)
        account["collateral"][asset] = parse_decimal(coll[asset], p)
    pos = _obj(_field(ac, "positions", "/account"), "/account/positions", '"positions"')
    account["positions"] = {}
    for mid in sorted(pos):
        p = f"/account/positions/{escape_pointer(mid)}"
        o = _obj(pos[mid], p, "a position")
        account["positions"][mid] = {
            "quantity": _dec(o, "quantity", p),
            "entry_price": _dec(o, "entry_price", p),
        }
        _finish(o, {"quantity", "entry_price"}, p)
    _finish(ac, {"id", "collateral", "positions"}, "/account")
    _finish(doc, {"risk_parameters", "prices", "account"}, "")
    return params, prices, account


def validate(params, prices, account):
    """The validation rules of docs/spec.md, in the order the spec lists them."""
    root = "/risk_parameters"
    if params["settlement_asset"] == "":
        raise VError("invalid_value", f"{root}/settlement_asset", "the settlement asset must not be empty")
    if params["margin_call_ratio"] < 1:
        raise VError("invalid_value", f"{root}/margin_call_ratio",
                     f"margin call ratio {fmt(params['margin_call_ratio'])} is below 1; "
                     "a margin call must come before liquidation")
    for mid, m in params["markets"].items():
        mpath = f"{root}/markets/{escape_pointer(mid)}"
        if mid == "":
            raise VError("invalid_value", f"{root}/markets", "market ids must not be empty")
        if m["feed"] == "":
            raise VError("invalid_value", f"{mpath}/feed", f"market {mid} names no price feed")
        if m["maintenance_rate"] < 0 or m["maintenance_rate"] > 1:
            raise VError("invalid_value", f"{mpath}/maintenance_rate",
                         f"maintenance rate {fmt(m['maintenance_rate'])} of {mid} is outside [0, 1]")
        if m["initial_rate"] > 1:
            raise VError("invalid_value", f"{mpath}/initial_rate",
                         f"initial rate {fmt(m['initial_rate'])} of {mid} is above 1")
        if m["initial_rate"] < m["maintenance_rate"]:
            raise VError("invalid_value", f"{mpath}/initial_rate",
                         f"initial rate {fmt(m['initial_rate'])} of {mid} is below its maintenance rate "
                         f"{fmt(m['maintenance_rate'])}")
    for fid, f in prices.items():
        if fid == "":
            raise VError("invalid_value", "/prices/feeds", "feed ids must not be empty")
        if f["mark"] <= 0:
            raise VError("invalid_value", f"/prices/feeds/{escape_pointer(fid)}/mark",
                         f"mark price {fmt(f['mark'])} of {fid} is not positive")
    for asset in account["collateral"]:
        if asset == "":
            raise VError("invalid_value", "/account/collateral", "collateral asset ids must not be empty")
    for mid, p in account["positions"].items():
        path = f"/account/positions/{escape_pointer(mid)}"
        if mid == "":
            raise VError("invalid_value", "/account/positions", "position market ids must not be empty")
        if p["quantity"] == 0:
            raise VError("invalid_value", f"{path}/quantity", f"position in {mid} has a zero quantity")
        if p["entry_price"] <= 0:
            raise VError("invalid_value", f"{path}/entry_price",
                         f"entry price {fmt(p['entry_price'])} of {mid} is not positive")


def status_of(equity, maintenance, call_ratio):
    if equity < 0 or (equity == 0 and maintenance > 0):
        return "bankrupt"
    if equity < maintenance:
        return "liquidatable"
    if maintenance > 0 and equity < maintenance * call_ratio:
        return "margin_call"
    return "healthy"


def evaluate(doc, d: Derivation):
    params, prices, account = decode(doc)
    validate(params, prices, account)

    collateral_value = Fraction(0)
    for asset, amount in account["collateral"].items():
        if asset != params["settlement_asset"]:
            raise VError("unknown_asset", f"/account/collateral/{escape_pointer(asset)}",
                         f'collateral asset "{asset}" is not accepted; the risk parameters accept '
                         f'"{params["settlement_asset"]}"')
        collateral_value += amount
        _overflow_check(collateral_value, "/account", "collateral value")
    d.add(f"collateral value = {' + '.join(fmt(a) for a in account['collateral'].values()) or '0'}"
          f" = {fmt(collateral_value)}")

    positions = {}
    upnl = im = mm = Fraction(0)
    for mid, p in account["positions"].items():
        path = f"/account/positions/{escape_pointer(mid)}"
        if mid not in params["markets"]:
            raise VError("unknown_market", path,
                         f'market "{mid}" is not defined in the risk parameters')
        market = params["markets"][mid]
        feed = market["feed"]
        if feed not in prices:
            raise VError("missing_price", f"/prices/feeds/{escape_pointer(feed)}",
                         f'no mark price for feed "{feed}", which marks {mid}')
        q, e, mark = p["quantity"], p["entry_price"], prices[feed]["mark"]
        notional = round_up(abs(q) * mark)
        _overflow_check(notional, path, "notional")
        move = mark - e
        _overflow_check(move, path, "unrealized PnL")
        pnl = round_down(q * move)
        _overflow_check(pnl, path, "unrealized PnL")
        pim = round_up(notional * market["initial_rate"])
        pmm = round_up(notional * market["maintenance_rate"])
        d.add(f"{mid}: notional = |{fmt(q)}| x {fmt(mark)} = {fmt(notional)} (up); "
              f"PnL = {fmt(q)} x ({fmt(mark)} - {fmt(e)}) = {fmt(pnl)} (down); "
              f"IM = {fmt(notional)} x {fmt(market['initial_rate'])} = {fmt(pim)} (up); "
              f"MM = {fmt(notional)} x {fmt(market['maintenance_rate'])} = {fmt(pmm)} (up)")
        upnl += pnl
        _overflow_check(upnl, "/account", "total unrealized PnL")
        im += pim
        _overflow_check(im, "/account", "total initial margin")
        mm += pmm
        _overflow_check(mm, "/account", "total maintenance margin")
        positions[mid] = {
            "quantity": fmt(q), "entry_price": fmt(e), "mark_price": fmt(mark),
            "notional": fmt(notional), "unrealized_pnl": fmt(pnl),
            "initial_margin": fmt(pim), "maintenance_margin": fmt(pmm),
        }

    equity = collateral_value + upnl
    _overflow_check(equity, "/account", "equity")
    free = equity - im
    _overflow_check(free, "/account", "free collateral")
    health = equity - mm
    _overflow_check(health, "/account", "health")
    if mm == 0:
        ratio = None
    else:
        ratio = round_down(equity / mm)
        if not in_range(ratio):
            ratio = Fraction(2**127 - 1, 10**18) * (1 if ratio > 0 else -1)
    status = status_of(equity, mm, params["margin_call_ratio"])
    d.add(f"equity = {fmt(collateral_value)} + {fmt(upnl)} = {fmt(equity)}; IM = {fmt(im)}; MM = {fmt(mm)}")
    d.add(f"free collateral = max({fmt(equity)} - {fmt(im)}, 0) = {fmt(max(free, Fraction(0)))}; "
          f"health = {fmt(equity)} - {fmt(mm)} = {fmt(health)}")
    d.add("margin ratio = " + ("none (no maintenance requirement)" if ratio is None else
                               f"{fmt(equity)} / {fmt(mm)} = {fmt(ratio)} (down)")
          + f"; status = {status} (margin call below {fmt(params['margin_call_ratio'])})")

    return {
        "account": account["id"],
        "risk_parameters_version": params["version"],
        "cross": {
            "collateral_value": fmt(collateral_value),
            "unrealized_pnl": fmt(upnl),
            "equity": fmt(equity),
            "initial_margin": fmt(im),
            "maintenance_margin": fmt(mm),
            "free_collateral": fmt(max(free, Fraction(0))),
            "health": fmt(health),
            "margin_ratio": None if ratio is None else fmt(ratio),
            "status": status,
        },
        "positions": positions,
    }
