"""An independent implementation of vmargin's evaluation, written from
docs/spec.md in exact rational arithmetic (Python fractions). It computes
the expected output of every conformance vector (make_vectors.py) and
re-checks every vector's stored expectation (check_vectors.py).

It deliberately does not mirror the C++ structure: liquidation and
bankruptcy prices are found by a binary search over the grid on the exact
(unrounded) health, followed by a scan of the grid prices where rounding
could change the answer; partial-liquidation plans scan every lot count.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction as F

from exact import (EXACT, MAX, ROUNDED, Overflow, Rounding, VError, checked, down, escape_pointer, fmt,
                   parse_decimal, sqrt_up, up)
import option_boundaries as OB
import option_model as OM
import portfolio_model as PM

KINDS = ("linear_perpetual", "inverse_perpetual", "linear_future", "inverse_future")
ONE = F(1)
ZERO = F(0)


class Derivation:
    """Collects the arithmetic, step by step, for the vector's `derivation`."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, line: str):
        self.lines.append(line)


# --- model -------------------------------------------------------------------

@dataclass
class Tier:
    cap: F | None
    ri: F
    rm: F
    ai: F
    am: F


@dataclass
class Market:
    id: str
    kind: str
    feed: str
    settlement: str
    contract_size: F
    tick: F
    lot: F
    expiry: int | None
    tiers: list
    imf: F
    fee: F
    oi_caps: tuple | None = None  # (lower, upper): §5.7
    profit_weight: F | None = None  # initial_profit_weight, §5.10
    profit_imf: F | None = None     # profit_size_factor, §5.10
    mprofit_weight: F | None = None  # maintenance_profit_weight, §5.10

    @property
    def weighs_profit(self):
        return self.profit_weight is not None or self.profit_imf is not None

    @property
    def inverse(self):
        return self.kind.startswith("inverse")


@dataclass
class Asset:
    id: str
    feed: str | None
    wi: F
    wm: F
    lwi: F
    lwm: F
    imf: F
    haircut: F
    deposit_start: F | None = None  # §5.8


@dataclass
class Params:
    version: int
    call: F
    buffer: F
    assets: dict
    feeds: dict  # feed -> (reference, max)
    markets: dict
    option_rules: dict = field(default_factory=dict)    # feed -> OM.OptionRules (§13.1)
    option_markets: dict = field(default_factory=dict)  # id -> OM.OptionMarket
    portfolio_margin: dict = field(default_factory=dict)  # feed -> PM.PMParams (§14.1)


@dataclass
class FeedPrice:
    mark: F
    stable: F | None
    vol: F | None


@dataclass
class Prices:
    as_of: int
    feeds: dict
    option_expiries: dict = field(default_factory=dict)  # feed -> {expiry: OM.ExpiryData} (§13.1)
    vol_shifts: dict = field(default_factory=dict)       # feed -> volatility shift (§13.7)
    open_interest: dict = field(default_factory=dict)    # market -> size (§3.2, §5.7)
    total_deposits: dict = field(default_factory=dict)   # asset -> amount (§3.2, §5.8)


@dataclass
class Position:
    market: str
    q: F
    e: F
    funding: F = ZERO
    iso: F | None = None
    leg: str | None = None  # §3.3 hedge mode: "long" or "short"; the account keys it "<market>:<leg>"


@dataclass
class Account:
    id: str
    collateral: dict
    positions: dict  # key -> Position; keys are market ids, or "<market>:long"/"<market>:short" in hedge mode
    margin_mode: str = "standard"  # §14.1
    open_orders: list = field(default_factory=list)  # [OpenOrder] in input order (§5.9)
    position_mode: str = "one_way"  # §3.3

    @property
    def hedge(self):
        return self.position_mode == "hedge"


@dataclass
class OpenOrder:
    market: str
    buy: bool
    q: F
    price: F
    reduce_only: bool


# --- decoding (docs/spec.md §3, in the order of §4) -----------------------------

def _obj(value, path):
    if not isinstance(value, dict):
        raise VError("wrong_type", path, None)
    return value


def _req(obj, key, path):
    if key not in obj:
        raise VError("missing_field", f"{path}/{escape_pointer(key)}", f'the required field "{key}" is missing')
    return obj[key]


def _dec_value(v, path):
    if not isinstance(v, str):
        raise VError("wrong_type", path, None)
    return parse_decimal(v, path)


def _dec(obj, key, path):
    return _dec_value(_req(obj, key, path), f"{path}/{escape_pointer(key)}")


def _opt_dec(obj, key, path):
    if key not in obj:
        return None
    return _dec_value(obj[key], f"{path}/{escape_pointer(key)}")


def _str(obj, key, path):
    v = _req(obj, key, path)
    if not isinstance(v, str):
        raise VError("wrong_type", f"{path}/{escape_pointer(key)}", None)
    return v


def _uint(obj, key, path, limit=2**64):
    v = _req(obj, key, path)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v >= limit:
        raise VError("wrong_type", f"{path}/{escape_pointer(key)}", None)
    return v


def _finish(obj, known, path):
    for key in sorted(obj):
        if key not in known:
            raise VError("unknown_field", f"{path}/{escape_pointer(key)}",
                         f'the field "{key}" is not part of this format')


def _forbid(obj, key, path, applies_to):
    if key in obj:
        raise VError("unknown_field", f"{path}/{escape_pointer(key)}",
                     f'the field "{key}" only applies to {applies_to}')


class _Helpers:
    """The decoding helpers, for option_model.py."""
    obj = staticmethod(_obj)
    req = staticmethod(_req)
    dec = staticmethod(_dec)
    opt_dec = staticmethod(_opt_dec)
    str = staticmethod(_str)
    uint = staticmethod(_uint)
    finish = staticmethod(_finish)


_HELPERS = _Helpers()


def decode_params(rp):
    root = "/risk_parameters"
    _obj(rp, root)
    version = _uint(rp, "version", root)
    call = _dec(rp, "margin_call_ratio", root)
    buffer = _dec(rp, "liquidation_buffer_ratio", root)
    assets = {}
    amap = _obj(_req(rp, "assets", root), f"{root}/assets")
    for aid in sorted(amap):
        p = f"{root}/assets/{escape_pointer(aid)}"
        a = _obj(amap[aid], p)
        feed = _req(a, "feed", p)
        if feed is not None and not isinstance(feed, str):
            raise VError("wrong_type", f"{p}/feed", None)
        assets[aid] = Asset(aid, feed, _dec(a, "initial_weight", p), _dec(a, "maintenance_weight", p),
                            _dec(a, "initial_liability_weight", p), _dec(a, "maintenance_liability_weight", p),
                            _dec(a, "size_factor", p), _dec(a, "volatility_haircut", p),
                            _opt_dec(a, "deposit_weight_scale_start", p))
        _finish(a, {"feed", "initial_weight", "maintenance_weight", "initial_liability_weight",
                    "maintenance_liability_weight", "size_factor", "volatility_haircut",
                    "deposit_weight_scale_start"}, p)
    feeds = {}
    fmap = _obj(_req(rp, "feeds", root), f"{root}/feeds")
    for fid in sorted(fmap):
        p = f"{root}/feeds/{escape_pointer(fid)}"
        f = _obj(fmap[fid], p)
        feeds[fid] = (_dec(f, "volatility_reference", p), _dec(f, "max_volatility_multiplier", p))
        _finish(f, {"volatility_reference", "max_volatility_multiplier"}, p)
    markets = {}
    mmap = _obj(_req(rp, "markets", root), f"{root}/markets")
    for mid in sorted(mmap):
        p = f"{root}/markets/{escape_pointer(mid)}"
        m = _obj(mmap[mid], p)
        kind = _str(m, "kind", p)
        if kind not in KINDS:
            raise VError("invalid_value", f"{p}/kind",
                         f'unknown market kind "{kind}"; expected linear_perpetual, inverse_perpetual, '
                         'linear_future or inverse_future')
        feed = _str(m, "feed", p)
        settlement = _str(m, "settlement_asset", p)
        contract = ZERO
        if kind.startswith("inverse"):
            contract = _dec(m, "contract_size", p)
        else:
            _forbid(m, "contract_size", p, "inverse markets")
        tick = _dec(m, "tick_size", p)
        lot = _dec(m, "lot_size", p)
        expiry = None
        if kind.endswith("future"):
            expiry = _uint(m, "expiry", p, 2**63)
        else:
            _forbid(m, "expiry", p, "dated futures")
        tiers_json = _req(m, "tiers", p)
        if not isinstance(tiers_json, list):
            raise VError("wrong_type", f"{p}/tiers", None)
        tiers = []
        for i, t in enumerate(tiers_json):
            tp = f"{p}/tiers/{i}"
            _obj(t, tp)
            cap = _req(t, "max_notional", tp)
            cap = None if cap is None else _dec_value(cap, f"{tp}/max_notional")
            ri, rm = _dec(t, "initial_rate", tp), _dec(t, "maintenance_rate", tp)
            ai, am = _opt_dec(t, "initial_amount", tp), _opt_dec(t, "maintenance_amount", tp)
            _finish(t, {"max_notional", "initial_rate", "maintenance_rate", "initial_amount", "maintenance_amount"}, tp)
            # spec §3.1 "Tables as published": an amount left out is derived by
            # continuity as soon as its tier is read (stays 0 without a previous cap).
            prev = tiers[-1] if tiers else None
            derived = {}
            for fld, given, rate, prev_rate, prev_amount in (
                    ("maintenance_amount", am, rm, prev and prev.rm, prev and prev.am),
                    ("initial_amount", ai, ri, prev and prev.ri, prev and prev.ai)):
                if given is not None or prev is None or prev.cap is None:
                    derived[fld] = F(0) if given is None else given
                    continue
                step = rate - prev_rate
                product = prev.cap * step
                value = prev_amount + product
                if (product * 10**18).denominator != 1 or any(abs(x) > MAX for x in (step, product, value)):
                    raise _invalid(f"{tp}/{fld}",
                                   f"tier {i + 1} of {mid} leaves out its {fld}, and continuity gives "
                                   f"{fmt(prev_amount)} + {fmt(prev.cap)} x ({fmt(rate)} - {fmt(prev_rate)}), "
                                   f"not representable with 18 decimals")
                derived[fld] = value
            tiers.append(Tier(cap, ri, rm, derived["initial_amount"], derived["maintenance_amount"]))
        markets[mid] = Market(mid, kind, feed, settlement, contract, tick, lot, expiry, tiers,
                              _dec(m, "size_premium_factor", p), _dec(m, "liquidation_fee_rate", p))
        if "open_interest_scaling" in m:  # §5.7
            sp = f"{p}/open_interest_scaling"
            o = _obj(m["open_interest_scaling"], sp)
            markets[mid].oi_caps = (_dec(o, "lower_cap", sp), _dec(o, "upper_cap", sp))
            _finish(o, {"lower_cap", "upper_cap"}, sp)
        markets[mid].profit_weight = _opt_dec(m, "initial_profit_weight", p)
        markets[mid].profit_imf = _opt_dec(m, "profit_size_factor", p)
        markets[mid].mprofit_weight = _opt_dec(m, "maintenance_profit_weight", p)
        _finish(m, {"kind", "feed", "settlement_asset", "contract_size", "tick_size", "lot_size", "expiry", "tiers",
                    "size_premium_factor", "liquidation_fee_rate", "open_interest_scaling", "initial_profit_weight",
                    "profit_size_factor", "maintenance_profit_weight"}, p)
    option_rules = OM.decode_option_rules(rp, root, _HELPERS)
    option_markets = OM.decode_option_markets(rp, root, _HELPERS)
    portfolio_margin = PM.decode(rp, root, _HELPERS)
    _finish(rp, {"version", "margin_call_ratio", "liquidation_buffer_ratio", "assets", "feeds", "markets",
                 "option_rules", "option_markets", "portfolio_margin"}, root)
    return Params(version, call, buffer, assets, feeds, markets, option_rules, option_markets, portfolio_margin)


def decode_prices(pr):
    _obj(pr, "/prices")
    as_of = _uint(pr, "as_of", "/prices", 2**63)
    fmap = _obj(_req(pr, "feeds", "/prices"), "/prices/feeds")
    feeds = {}
    for fid in sorted(fmap):
        p = f"/prices/feeds/{escape_pointer(fid)}"
        f = _obj(fmap[fid], p)
        feeds[fid] = FeedPrice(_dec(f, "mark", p), _opt_dec(f, "stable", p), _opt_dec(f, "volatility", p))
        _finish(f, {"mark", "stable", "volatility"}, p)
    option_expiries = OM.decode_option_expiries(pr, _HELPERS)
    open_interest, total_deposits = decode_market_totals(pr, "/prices")
    _finish(pr, {"as_of", "feeds", "option_expiries", "open_interest", "total_deposits"}, "/prices")
    return Prices(as_of, feeds, option_expiries, open_interest=open_interest, total_deposits=total_deposits)


def decode_market_totals(doc, root):
    """§3.2: the optional exchange-wide totals (market -> open interest, asset -> total deposits)."""
    maps = []
    for key in ("open_interest", "total_deposits"):
        values = {}
        if key in doc:
            m = _obj(doc[key], f"{root}/{key}")
            for k in sorted(m):
                values[k] = _dec_value(m[k], f"{root}/{key}/{escape_pointer(k)}")
        maps.append(values)
    return maps


def validate_market_totals(open_interest, total_deposits, root):
    for key, values, what, word, verb in (("open_interest", open_interest, "open interest market", "open interest",
                                           "is"),
                                          ("total_deposits", total_deposits, "total deposits asset", "total deposits",
                                           "are")):
        for k, v in values.items():
            if k == "":
                raise _invalid(f"{root}/{key}", f"{what} ids must not be empty")
            if v < 0:
                raise _invalid(f"{root}/{key}/{escape_pointer(k)}", f"{word} {fmt(v)} of {k} {verb} negative")


def decode_account(ac):
    _obj(ac, "/account")
    aid = _str(ac, "id", "/account")
    mode = "standard"
    if "margin_mode" in ac:  # §14.1
        mode = _str(ac, "margin_mode", "/account")
        if mode not in ("standard", "portfolio"):
            raise _invalid("/account/margin_mode", f'unknown margin mode "{mode}"; expected standard or portfolio')
    pmode = "one_way"
    if "position_mode" in ac:  # §3.3
        pmode = _str(ac, "position_mode", "/account")
        if pmode not in ("one_way", "hedge"):
            raise _invalid("/account/position_mode", f'unknown position mode "{pmode}"; expected one_way or hedge')
    cmap = _obj(_req(ac, "collateral", "/account"), "/account/collateral")
    collateral = {k: _dec_value(cmap[k], f"/account/collateral/{escape_pointer(k)}") for k in sorted(cmap)}
    pmap = _obj(_req(ac, "positions", "/account"), "/account/positions")
    positions = {}
    for mid in sorted(pmap):
        p = f"/account/positions/{escape_pointer(mid)}"
        o = _obj(pmap[mid], p)
        funding = _opt_dec(o, "pending_funding", p)
        market, leg = mid, None
        if pmode == "hedge":  # legs are keyed "<market>:long" / "<market>:short"
            for suffix in ("long", "short"):
                if mid.endswith(":" + suffix) and len(mid) > len(suffix) + 1:
                    market, leg = mid[:-len(suffix) - 1], suffix
        positions[mid] = Position(market, _dec(o, "quantity", p), _dec(o, "entry_price", p),
                                  ZERO if funding is None else funding, _opt_dec(o, "isolated_margin", p), leg)
        # field order: quantity, entry_price, pending_funding, isolated_margin (same as reading above)
        _finish(o, {"quantity", "entry_price", "pending_funding", "isolated_margin"}, p)
    orders = []
    if "open_orders" in ac:  # §5.9
        if not isinstance(ac["open_orders"], list):
            raise VError("wrong_type", "/account/open_orders", None)
        for i, o in enumerate(ac["open_orders"]):
            op = f"/account/open_orders/{i}"
            _obj(o, op)
            market = _str(o, "market", op)
            side = _str(o, "side", op)
            if side not in ("buy", "sell"):
                raise _invalid(f"{op}/side", f'unknown order side "{side}"; expected buy or sell')
            q, price = _dec(o, "quantity", op), _dec(o, "price", op)
            reduce_only = o.get("reduce_only", False)
            if not isinstance(reduce_only, bool):
                raise VError("wrong_type", f"{op}/reduce_only", None)
            _finish(o, {"market", "side", "quantity", "price", "reduce_only"}, op)
            orders.append(OpenOrder(market, side == "buy", q, price, reduce_only))
    _finish(ac, {"id", "margin_mode", "position_mode", "collateral", "positions", "open_orders"}, "/account")
    return Account(aid, collateral, positions, mode, orders, pmode)


def decode_scenario(sc):
    _obj(sc, "/scenario")
    shocks, collateral, orders = {}, {}, []
    vol_shocks, days = {}, 0
    # Members in the order they apply (§9, §13.7): price shocks, volatility
    # shocks, time, collateral, orders.
    if "shocks" in sc:
        m = _obj(sc["shocks"], "/scenario/shocks")
        shocks = {k: _dec_value(m[k], f"/scenario/shocks/{escape_pointer(k)}") for k in sorted(m)}
    if "volatility_shocks" in sc:
        m = _obj(sc["volatility_shocks"], "/scenario/volatility_shocks")
        vol_shocks = {k: _dec_value(m[k], f"/scenario/volatility_shocks/{escape_pointer(k)}") for k in sorted(m)}
    if "days_forward" in sc:
        days = _uint(sc, "days_forward", "/scenario")  # an integer, 0 or more (§2: a negative one is wrong_type)
        if days > OM.MAX_DAYS_FORWARD:
            raise VError("invalid_value", "/scenario/days_forward", None)
    if "collateral" in sc:
        m = _obj(sc["collateral"], "/scenario/collateral")
        collateral = {k: _dec_value(m[k], f"/scenario/collateral/{escape_pointer(k)}") for k in sorted(m)}
    if "orders" in sc:
        if not isinstance(sc["orders"], list):
            raise VError("wrong_type", "/scenario/orders", None)
        for i, o in enumerate(sc["orders"]):
            p = f"/scenario/orders/{i}"
            _obj(o, p)
            orders.append((_str(o, "market", p), _dec(o, "quantity", p), _opt_dec(o, "price", p)))
            _finish(o, {"market", "quantity", "price"}, p)
    _finish(sc, {"shocks", "collateral", "orders", "volatility_shocks", "days_forward"}, "/scenario")
    return shocks, collateral, orders, vol_shocks, days


# --- validation (docs/spec.md §3 and §4) ----------------------------------------

def _invalid(path, message):
    return VError("invalid_value", path, message)


def validate_tiers(m: Market, path: str):
    n = len(m.tiers)
    if n == 0:
        raise _invalid(path, f"market {m.id} has no tiers")
    for k, t in enumerate(m.tiers):
        tp = f"{path}/{k}"
        name = f"tier {k + 1} of {m.id}"
        last = k == n - 1
        if last and t.cap is not None:
            raise _invalid(f"{tp}/max_notional",
                           f"{name} is the last tier and must be uncapped (max_notional null), not {fmt(t.cap)}")
        if not last and t.cap is None:
            raise _invalid(f"{tp}/max_notional", f"{name} needs a max_notional")
        if t.cap is not None and t.cap <= 0:
            raise _invalid(f"{tp}/max_notional", f"{name} has a cap of {fmt(t.cap)}, not positive")
        if k > 0 and t.cap is not None and t.cap <= m.tiers[k - 1].cap:
            raise _invalid(f"{tp}/max_notional", f"{name} has a cap of {fmt(t.cap)}, not above the previous cap "
                                                 f"{fmt(m.tiers[k - 1].cap)}")
        if t.rm < 0 or t.rm > 1:
            raise _invalid(f"{tp}/maintenance_rate", f"{name} has a maintenance rate of {fmt(t.rm)}, outside [0, 1]")
        if t.ri > 1:
            raise _invalid(f"{tp}/initial_rate", f"{name} has an initial rate of {fmt(t.ri)}, above 1")
        if t.ri < t.rm:
            raise _invalid(f"{tp}/initial_rate", f"{name} has an initial rate of {fmt(t.ri)}, below its maintenance "
                                                 f"rate {fmt(t.rm)}")
        if k == 0:
            if t.am != 0:
                raise _invalid(f"{tp}/maintenance_amount", f"{name} must have a maintenance amount of 0")
            if t.ai != 0:
                raise _invalid(f"{tp}/initial_amount", f"{name} must have an initial amount of 0")
            continue
        prev = m.tiers[k - 1]
        if t.rm < prev.rm:
            raise _invalid(f"{tp}/maintenance_rate", f"{name} has a maintenance rate of {fmt(t.rm)}, below the "
                                                     f"previous tier's {fmt(prev.rm)}")
        if t.ri < prev.ri:
            raise _invalid(f"{tp}/initial_rate", f"{name} has an initial rate of {fmt(t.ri)}, below the previous "
                                                 f"tier's {fmt(prev.ri)}")
        for amount, prev_amount, rate, prev_rate, fld, word in (
                (t.am, prev.am, t.rm, prev.rm, "maintenance_amount", "a maintenance"),
                (t.ai, prev.ai, t.ri, prev.ri, "initial_amount", "an initial")):
            step = prev.cap * (rate - prev_rate)
            required = prev_amount + step
            representable = (step * 10**18).denominator == 1
            if not representable or amount != required:
                want = fmt(required) if representable else "not representable with 18 decimals"
                raise _invalid(f"{tp}/{fld}",
                               f"{name} has {word} amount of {fmt(amount)}; continuity at the cap {fmt(prev.cap)} "
                               f"requires {fmt(prev_amount)} + {fmt(prev.cap)} x ({fmt(rate)} - {fmt(prev_rate)}) = {want}")


# spec §3.1: the finest tick liquidation prices are searched on.
MINIMUM_TICK = F(1, 10**12)


def validate_tick(tick, path: str, what: str, owner: str):
    if tick <= 0:
        raise _invalid(path, f"{what} {fmt(tick)} of {owner} is not positive")
    if tick < MINIMUM_TICK:
        raise _invalid(path, f"{what} {fmt(tick)} of {owner} is finer than the smallest supported tick "
                             f"{fmt(MINIMUM_TICK)}")


def validate_params(p: Params):
    root = "/risk_parameters"
    if p.call < 1:
        raise _invalid(f"{root}/margin_call_ratio",
                       f"margin call ratio {fmt(p.call)} is below 1; a margin call must come before liquidation")
    if p.buffer < 0:
        raise _invalid(f"{root}/liquidation_buffer_ratio", f"liquidation buffer ratio {fmt(p.buffer)} is negative")
    for aid, a in p.assets.items():
        ap = f"{root}/assets/{escape_pointer(aid)}"
        if aid == "":
            raise _invalid(f"{root}/assets", "asset ids must not be empty")
        if a.feed == "":
            raise _invalid(f"{ap}/feed", None)
        if not 0 <= a.wm <= 1:
            raise _invalid(f"{ap}/maintenance_weight",
                           f"maintenance weight {fmt(a.wm)} of {aid} is outside [0, 1]")
        if a.wi < 0 or a.wi > a.wm:
            raise _invalid(f"{ap}/initial_weight",
                           f"initial weight {fmt(a.wi)} of {aid} is outside [0, maintenance weight {fmt(a.wm)}]")
        if a.lwm < 1:
            raise _invalid(f"{ap}/maintenance_liability_weight",
                           f"maintenance liability weight {fmt(a.lwm)} of {aid} is below 1")
        if a.lwi < a.lwm:
            raise _invalid(f"{ap}/initial_liability_weight",
                           f"initial liability weight {fmt(a.lwi)} of {aid} is below its maintenance liability "
                           f"weight {fmt(a.lwm)}")
        if a.imf < 0:
            raise _invalid(f"{ap}/size_factor", f"size factor {fmt(a.imf)} of {aid} is negative")
        if a.haircut < 0:
            raise _invalid(f"{ap}/volatility_haircut", f"volatility haircut {fmt(a.haircut)} of {aid} is negative")
        if a.deposit_start is not None and a.deposit_start <= 0:
            raise _invalid(f"{ap}/deposit_weight_scale_start",
                           f"deposit weight scale start {fmt(a.deposit_start)} of {aid} is not positive")
    for fid, (ref, mx) in p.feeds.items():
        fp = f"{root}/feeds/{escape_pointer(fid)}"
        if ref <= 0:
            raise _invalid(f"{fp}/volatility_reference",
                           f"volatility reference {fmt(ref)} of {fid} is not positive")
        if mx < 1:
            raise _invalid(f"{fp}/max_volatility_multiplier",
                           f"maximum volatility multiplier {fmt(mx)} of {fid} is below 1")
    for mid, m in p.markets.items():
        mp = f"{root}/markets/{escape_pointer(mid)}"
        if m.feed == "":
            raise _invalid(f"{mp}/feed", f"market {mid} names no price feed")
        if m.settlement not in p.assets:
            raise VError("unknown_asset", f"{mp}/settlement_asset",
                         f'settlement asset "{m.settlement}" of {mid} is not a collateral asset')
        settle = p.assets[m.settlement]
        if m.inverse:
            if settle.feed != m.feed:
                raise _invalid(f"{mp}/settlement_asset",
                               f"inverse market {mid} must settle in the asset its feed {m.feed} prices, "
                               f"not in {m.settlement}")
            if m.contract_size <= 0 or m.contract_size.denominator != 1:
                raise _invalid(f"{mp}/contract_size",
                               f"contract size {fmt(m.contract_size)} of {mid} is not a positive whole number")
        elif settle.feed is not None:
            raise _invalid(f"{mp}/settlement_asset",
                           f"linear market {mid} must settle in an asset pegged to the valuation currency, "
                           f"not in {m.settlement}")
        validate_tick(m.tick, f"{mp}/tick_size", "tick size", mid)
        if m.lot <= 0:
            raise _invalid(f"{mp}/lot_size", f"lot size {fmt(m.lot)} of {mid} is not positive")
        validate_tiers(m, f"{mp}/tiers")
        if m.imf < 0:
            raise _invalid(f"{mp}/size_premium_factor", f"size premium factor {fmt(m.imf)} of {mid} is negative")
        base = m.tiers[0].rm
        if m.fee < 0 or (m.fee != 0 and m.fee >= F(4, 5) * base):
            raise _invalid(f"{mp}/liquidation_fee_rate",
                           f"liquidation fee rate {fmt(m.fee)} of {mid} is not below 0.8 x its first maintenance "
                           f"rate {fmt(base)}")
        if m.oi_caps is not None:
            lower, upper = m.oi_caps
            if lower < 0:
                raise _invalid(f"{mp}/open_interest_scaling/lower_cap",
                               f"open interest lower cap {fmt(lower)} of {mid} is negative")
            if upper <= lower:
                raise _invalid(f"{mp}/open_interest_scaling/upper_cap",
                               f"open interest upper cap {fmt(upper)} of {mid} is not above its lower cap {fmt(lower)}")
        if m.profit_weight is not None and not 0 <= m.profit_weight <= 1:
            raise _invalid(f"{mp}/initial_profit_weight",
                           f"initial profit weight {fmt(m.profit_weight)} of {mid} is outside [0, 1]")
        if m.profit_imf is not None and m.profit_imf < 0:
            raise _invalid(f"{mp}/profit_size_factor", f"profit size factor {fmt(m.profit_imf)} of {mid} is negative")
        if m.mprofit_weight is not None:
            lowest = ONE if m.profit_weight is None else m.profit_weight
            if not lowest <= m.mprofit_weight <= 1:
                absent = "" if m.profit_weight is not None else ", 1 when absent"
                raise _invalid(f"{mp}/maintenance_profit_weight",
                               f"maintenance profit weight {fmt(m.mprofit_weight)} of {mid} is outside "
                               f"[{fmt(lowest)}, 1] (at least the initial profit weight{absent})")
    OM.validate_option_rules(p.option_rules, root)
    OM.validate_option_markets(p, root)
    PM.validate(p.portfolio_margin, root)


def validate_prices(pr: Prices):
    for fid, f in pr.feeds.items():
        fp = f"/prices/feeds/{escape_pointer(fid)}"
        if f.mark <= 0:
            raise _invalid(f"{fp}/mark", f"mark price {fmt(f.mark)} of {fid} is not positive")
        if f.stable is not None and f.stable <= 0:
            raise _invalid(f"{fp}/stable", f"stable price {fmt(f.stable)} of {fid} is not positive")
        if f.vol is not None and f.vol < 0:
            raise _invalid(f"{fp}/volatility", f"volatility {fmt(f.vol)} of {fid} is negative")
    OM.validate_option_expiries(pr.option_expiries)
    validate_market_totals(pr.open_interest, pr.total_deposits, "/prices")


def validate_account(a: Account):
    if "" in a.positions:
        what = "position" if a.hedge else "position market"
        raise _invalid("/account/positions", f"{what} ids must not be empty")
    for mid, p in a.positions.items():
        pp = f"/account/positions/{escape_pointer(mid)}"
        if p.q == 0:
            raise _invalid(f"{pp}/quantity", f"position in {mid} has a zero quantity")
        if p.e <= 0:
            raise _invalid(f"{pp}/entry_price", f"entry price {fmt(p.e)} of {mid} is not positive")
        if p.iso is not None and p.iso < 0:
            raise _invalid(f"{pp}/isolated_margin", f"isolated margin {fmt(p.iso)} of {p.market} is negative")
        if p.leg is not None:  # §3.3: a leg's sign is its side; legs are cross-margined
            if (p.q > 0) != (p.leg == "long"):
                must = "long leg's must be positive" if p.leg == "long" else "short leg's must be negative"
                raise _invalid(f"{pp}/quantity", f"the {p.leg} leg {mid} has quantity {fmt(p.q)}; a {must}")
            if p.iso is not None:
                raise _invalid(f"{pp}/isolated_margin", f"hedge leg {mid} has an isolated margin; legs are "
                                                        "cross-margined (isolated legs are not supported yet)")
    for i, o in enumerate(a.open_orders):
        op = f"/account/open_orders/{i}"
        if o.market == "":
            raise _invalid(f"{op}/market", f"open order {i} names no market")
        if o.q <= 0:
            raise _invalid(f"{op}/quantity", f"open order quantity {fmt(o.q)} in {o.market} is not positive")
        if o.price <= 0:
            raise _invalid(f"{op}/price", f"open order price {fmt(o.price)} in {o.market} is not positive")


# --- valuation (docs/spec.md §5) ------------------------------------------------

def vol_multiplier(params: Params, prices: Prices, feed: str | None) -> F:
    if feed is None or feed not in params.feeds or prices.feeds[feed].vol is None:
        return ONE
    ref, mx = params.feeds[feed]
    return min(max(up(prices.feeds[feed].vol / ref), ONE), mx)


def premium_rates(m: Market, size: F):
    """(initial, maintenance) premium rates, or None (§5.3)."""
    if m.imf == 0:
        return None
    term = up(m.imf * sqrt_up(size))
    return up(F(4, 5) * m.tiers[0].ri) + term, up(F(4, 5) * m.tiers[0].rm) + term


@dataclass
class PositionValue:
    notional: F
    tier_notional: F
    pnl: F
    tier: int
    im: F
    mm: F
    im_premium: bool
    mm_premium: bool
    oim: F | None = None  # §5.7: what open interest adds to im (included in it)
    ipnl: F | None = None  # §5.10: the PnL initial equity counts, when the market weighs profit
    mpnl: F | None = None  # §5.10: the PnL equity counts, when the market has a maintenance weight

    @property
    def equity_pnl(self) -> F:
        return self.pnl if self.mpnl is None else self.mpnl


def initial_profit(m: Market, pnl: F) -> F:
    """§5.10: a loss in full; a profit at min(weight, Drift's size discount of the profit), rounded down."""
    if pnl <= 0:
        return pnl
    w = ONE if m.profit_weight is None else m.profit_weight
    if m.profit_imf is not None and m.profit_imf > 0:
        w = min(w, down(F(11, 10) / (1 + up(m.profit_imf * sqrt_up(pnl)))))
    return down(pnl * w)


def maintenance_profit(m: Market, pnl: F, R) -> F | None:
    """§5.10: what equity counts of the PnL: a profit at the maintenance weight, rounded down; None without one."""
    if m.mprofit_weight is None:
        return None
    return pnl if pnl <= 0 else R.down(pnl * m.mprofit_weight)


def open_interest_margin(m: Market, oi: F, price: F, n: F, im: F) -> F:
    """§5.7: dYdX's open interest margin fraction, as an amount added to the initial margin."""
    lower, upper = m.oi_caps
    x = checked(up(oi * price) if not m.inverse else up(oi * m.contract_size / price))
    if x <= lower or im >= n:
        return ZERO
    if x >= upper:
        return n - im
    return up((n - im) * (x - lower) / (upper - lower))


def fill_pnl(m: Market, q: F, limit: F, price: F) -> F:
    """§5.9: §5.1's PnL of a position of size q entered at `limit`, at `price` (no funding)."""
    move = checked(price - limit)
    if not m.inverse:
        return checked(down(q * move))
    return checked(down(checked(q * m.contract_size) * move / limit))


def value_position(m: Market, p: Position, price: F, premium, mult: F, R: Rounding = ROUNDED,
                   oi: F | None = None) -> PositionValue:
    move = checked(price - p.e)
    if not m.inverse:
        n = R.up(abs(p.q) * price)
        pnl = checked(R.down(p.q * move) + p.funding)
        tier = next((k for k, t in enumerate(m.tiers) if t.cap is None or n <= t.cap))
        t = m.tiers[tier]
        tiered_i = checked(R.up(n * t.ri) - t.ai)
        tiered_m = checked(R.up(n * t.rm) - t.am)
        base, tn = n, n
    else:
        s = checked(p.q * m.contract_size)
        n = abs(s)
        tn = R.up(n / price)
        pnl = checked(R.down(s * move / p.e) + R.down(p.funding * price))
        tier = next((k for k, t in enumerate(m.tiers) if t.cap is None or n <= t.cap * price))
        t = m.tiers[tier]
        tiered_i = R.up(n * t.ri - t.ai * price)
        tiered_m = R.up(n * t.rm - t.am * price)
        base = n
    im_p = mm_p = False
    if premium is not None:
        pi = R.up(base * premium[0])
        pm = R.up(base * premium[1])
        if pi > tiered_i:
            tiered_i, im_p = pi, True
        if pm > tiered_m:
            tiered_m, mm_p = pm, True
    im = R.up(tiered_i * mult)
    mm = R.up(tiered_m * mult)
    oim = None
    if m.oi_caps is not None and oi is not None:
        oim = open_interest_margin(m, oi, price, n, im)
        im = checked(im + oim)
    ipnl = initial_profit(m, pnl) if m.weighs_profit else None
    return PositionValue(n, tn, pnl, tier, im, mm, im_p, mm_p, oim, ipnl, maintenance_profit(m, pnl, R))


@dataclass
class Weights:
    wm: F
    wi: F


def collateral_weights(a: Asset, b: F, mult: F) -> Weights:
    h = up(a.haircut * (mult - 1))
    term = up(a.imf * sqrt_up(abs(b))) if a.imf > 0 and b != 0 else None
    if b < 0:
        def lw(w):
            if term is not None:
                w = max(w, up(F(4, 5) * w) + term)
            return w + h
        return Weights(lw(a.lwm), lw(a.lwi))
    discount = down(F(11, 10) / (1 + term)) if term is not None else None

    def aw(w):
        if discount is not None:
            w = min(w, discount)
        return max(w - h, ZERO)
    return Weights(aw(a.wm), aw(a.wi))


# --- the evaluation ---------------------------------------------------------------

class Evaluation:
    """One account valued at one set of prices (docs/spec.md §4 step 6 on)."""

    def __init__(self, params: Params, prices: Prices, account: Account):
        self.params, self.prices, self.account = params, prices, account
        self.coll = {}   # asset -> dict
        self.pos = {}    # market -> dict
        self.opt = {}    # option market -> OM.OptionFigures (§13.3)
        for aid in sorted(account.collateral):
            b = account.collateral[aid]
            cp = f"/account/collateral/{escape_pointer(aid)}"
            if aid not in params.assets:
                raise VError("unknown_asset", cp, f'collateral asset "{aid}" is not defined in the risk parameters')
            a = params.assets[aid]
            if a.feed is not None and a.feed not in prices.feeds:
                raise VError("missing_price", f"/prices/feeds/{escape_pointer(a.feed)}",
                             f'no mark price for feed "{a.feed}", which prices collateral {aid}')
            if a.feed is None:
                mark = stable = ONE
            else:
                fp = prices.feeds[a.feed]
                mark, stable = fp.mark, fp.stable if fp.stable is not None else fp.mark
            mult = vol_multiplier(params, prices, a.feed)
            w = collateral_weights(a, b, mult)
            tdv = None
            if a.deposit_start is not None and b > 0:  # §5.8: Mango's deposit limit
                if aid not in prices.total_deposits:
                    raise VError("missing_price", f"/prices/total_deposits/{escape_pointer(aid)}",
                                 f"no total deposits for {aid}, whose initial weight scales with them")
                tdv = checked(up(prices.total_deposits[aid] * max(mark, stable)))
                if tdv > a.deposit_start:
                    w = Weights(w.wm, down(w.wi * a.deposit_start / tdv))
            self.coll[aid] = {"asset": a, "b": b, "mark": mark, "stable": stable, "w": w, "tdv": tdv}
        for mid in sorted(account.positions):
            p = account.positions[mid]
            pp = f"/account/positions/{escape_pointer(mid)}"
            if p.leg is not None and p.market in params.option_markets:
                raise _invalid(pp, f"option market {p.market} has no hedge legs; hold it as {p.market}")
            # In a hedge account a key's suffix always names a leg (§3.3): look up the stripped id.
            if p.market in params.option_markets:  # §13.1 binding, then the quote and the figures (§13.2-§13.3)
                feed = params.option_markets[mid].feed
                self.opt[mid] = OM.option_figures(params, prices, mid, p, pp, prices.vol_shifts.get(feed, ZERO))
                continue
            market = p.market
            if market not in params.markets:
                raise VError("unknown_market", pp, f'market "{market}" is not defined in the risk parameters')
            if account.hedge and p.leg is None:  # §3.3
                raise _invalid(pp, f"in a hedge-mode account a position in {market} is a leg, keyed {market}:long "
                                   f"or {market}:short")
            m = params.markets[market]
            if m.feed not in prices.feeds:
                raise VError("missing_price", f"/prices/feeds/{escape_pointer(m.feed)}",
                             f'no mark price for feed "{m.feed}", which marks {market}')
            if m.expiry is not None and prices.as_of >= m.expiry:
                raise VError("contract_expired", pp,
                             f"{market} expired at {m.expiry} ms; the evaluation time is {prices.as_of} ms, "
                             "so it can only be settled, not margined")
            if m.oi_caps is not None and market not in prices.open_interest:  # §5.7
                raise VError("missing_price", f"/prices/open_interest/{escape_pointer(market)}",
                             f"no open interest for {market}, whose initial margin scales with it")
            self.pos[mid] = {"p": p, "m": m, "premium": premium_rates(m, abs(p.q)),
                             "mult": vol_multiplier(params, prices, m.feed), "oi": prices.open_interest.get(market)}
        self.groups = {}  # pool -> [OM.Group] (§13.4)
        if self.opt:
            self.groups["cross"] = OM.groups_of(params, prices, self.opt, self.option_members("cross"), "cross")
            for mid, o in self.opt.items():
                if o.iso is not None:
                    self.groups[mid] = OM.groups_of(params, prices, self.opt, [mid], mid)
        self.orders = self.bind_orders() if account.open_orders else None  # §5.9, after the groups
        self.oom = None  # pool -> open_orders_margin, once the positions are valued (_report)

    def mark(self, feed):
        return self.prices.feeds[feed].mark

    def bind_orders(self):
        """§5.9: each order's market, then per market (ascending id) the buys and sells not reduce-only:
        {market: [first index, [buy quantity, buy loss], [sell quantity, sell loss]]}."""
        params, prices = self.params, self.prices
        if self.account.margin_mode == "portfolio":
            raise _invalid("/account/open_orders", "open orders are not supported under portfolio margin yet")
        by_market = {}
        for i, o in enumerate(self.account.open_orders):
            op = f"/account/open_orders/{i}"
            if o.market in params.option_markets:
                raise _invalid(f"{op}/market", f"open order {i} is in the option market {o.market}; open orders in "
                                               "option markets are not supported yet")
            if o.market not in params.markets:
                raise VError("unknown_market", f"{op}/market",
                             f'market "{o.market}" of open order {i} is not defined in the risk parameters')
            m = params.markets[o.market]
            if m.feed not in prices.feeds:
                raise VError("missing_price", f"/prices/feeds/{escape_pointer(m.feed)}",
                             f'no mark price for feed "{m.feed}", which marks {o.market}')
            if m.expiry is not None and prices.as_of >= m.expiry:
                raise VError("contract_expired", f"{op}/market",
                             f"{o.market} expired at {m.expiry} ms; an order in it cannot rest at the evaluation "
                             f"time {prices.as_of} ms")
            if m.oi_caps is not None and o.market not in prices.open_interest:
                raise VError("missing_price", f"/prices/open_interest/{escape_pointer(o.market)}",
                             f"no open interest for {o.market}, whose initial margin scales with it")
            if o.reduce_only:
                continue
            pnl = fill_pnl(m, o.q if o.buy else -o.q, o.price, self.mark(m.feed))
            entry = by_market.setdefault(o.market, [i, [ZERO, ZERO], [ZERO, ZERO]])
            side = entry[1] if o.buy else entry[2]
            side[0] = checked(side[0] + o.q)
            side[1] = checked(side[1] + max(-pnl, ZERO))
        return dict(sorted(by_market.items()))

    def open_orders_margin(self):
        """§5.9: per pool, max over sides of sum over markets of max(0, IM(q + fill) - IM(q)) + fill losses."""
        costs = {}
        for mid, (_, buys, sells) in self.orders.items():
            m = self.params.markets[mid]
            for k, (fill, loss) in enumerate((buys, sells)):
                # Hedge mode: bids fill the long leg, asks the short one (cross-margined).
                x = self.pos.get(mid + (":long" if k == 0 else ":short") if self.account.hedge else mid)
                pool = "cross" if x is None or x["p"].iso is None else mid
                q = ZERO if x is None else x["p"].q
                im_now = ZERO if x is None else x["value"].im
                if fill == 0:
                    continue
                after = checked(q + fill if k == 0 else q - fill)
                im_after = ZERO
                if after != 0:
                    im_after = value_position(m, Position(mid, after, self.mark(m.feed)), self.mark(m.feed),
                                              premium_rates(m, abs(after)), vol_multiplier(self.params, self.prices,
                                                                                           m.feed),
                                              oi=self.prices.open_interest.get(mid)).im
                c = costs.setdefault(pool, [ZERO, ZERO])
                c[k] = checked(c[k] + max(im_after - im_now, ZERO) + loss)
        return {pool: max(c) for pool, c in costs.items()}

    # The value of everything in a pool, with `override` = (feed, price).
    def pool_numbers(self, pool, override=None, R: Rounding = ROUNDED, equity_only=False):
        def price_of(feed):
            if override is not None and feed == override[0]:
                return override[1]
            return self.mark(feed)
        equity = mm = ZERO
        if pool == "cross":
            for aid, c in self.coll.items():
                a = c["asset"]
                pr = ONE if a.feed is None else price_of(a.feed)
                value = R.down(c["b"] * pr)
                equity += R.down(value * c["w"].wm)
            members = [mid for mid, x in self.pos.items() if x["p"].iso is None]
        else:
            x = self.pos[pool]
            members = [pool]
            if x["m"].inverse:
                equity += R.down(x["p"].iso * price_of(x["m"].feed))
            else:
                equity += x["p"].iso
        for mid in members:
            x = self.pos[mid]
            v = value_position(x["m"], x["p"], price_of(x["m"].feed), x["premium"], x["mult"], R)
            equity += v.equity_pnl
            mm += v.mm
        # Options (§13.4): only pools whose options are on other feeds than the
        # one moved are searched (§13.5), so their figures are constants here.
        opts = self.option_members(pool)
        assert override is None or all(self.opt[o].market.feed != override[0] for o in opts)
        for o in opts:
            equity += self.opt[o].equity_value
        for g in self.groups.get(pool, []):
            mm += g.maintenance
        return checked(equity), checked(mm)

    def option_members(self, pool):
        if pool == "cross":
            return [mid for mid, o in self.opt.items() if o.iso is None]
        return [pool] if pool in self.opt else []


def status_of(equity, mm, call):
    if equity < 0 or (equity == 0 and mm > 0):
        return "bankrupt"
    if equity < mm:
        return "liquidatable"
    if mm > 0 and equity < mm * call:
        return "margin_call"
    return "healthy"


def unsafe(kind, equity, mm):
    if kind == "liquidation":
        return equity < mm
    return equity < 0 or (equity == 0 and mm > 0)


# --- liquidation and bankruptcy prices (docs/spec.md §7.1-§7.2) --------------------
#
# Independent of the engine's method: binary search over the grid on the
# exact health (concave, so its unsafe set on each side of P0 is an
# interval), then a scan of the grid prices where the exact value is within
# BAND of zero, where rounding could make a price unsafe that the exact value
# says is safe (or the reverse cannot happen: rounding only lowers health).

BAND = F(1, 10**9)
SCAN_LIMIT = 200_000


def boundary(ev: Evaluation, pool, feed, tick, kind, direction, d: Derivation | None = None):
    p0 = ev.mark(feed)

    def rounded(k):
        try:
            e, m = ev.pool_numbers(pool, (feed, k * tick), ROUNDED)
        except Overflow:
            return None
        return unsafe(kind, e, m)

    def exact_value(k):
        try:
            e, m = ev.pool_numbers(pool, (feed, k * tick), EXACT)
        except Overflow:
            return None
        return e - m if kind == "liquidation" else e

    if direction == "below":
        top = (p0 / tick).__ceil__() - 1  # largest k with k t < P0
        if top < 1:
            return None
        ks = (top, 1, -1)
    else:
        bottom = (p0 / tick).__floor__() + 1
        ks = (bottom, None, 1)
    start, end, step = ks

    # 1. The exact boundary: the nearest grid index (from P0) with exact value < 0.
    def exact_unsafe(k):
        v = exact_value(k)
        return v is not None and v < 0

    nearest_exact = None
    if direction == "below":
        if exact_unsafe(1):
            lo, hi = 1, start  # unsafe at lo; find the largest unsafe k <= start
            if exact_unsafe(hi):
                nearest_exact = hi
            else:
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if exact_unsafe(mid):
                        lo = mid
                    else:
                        hi = mid
                nearest_exact = lo
    else:
        k, width = start, 1
        hi = None
        while True:
            v = exact_value(k)
            if v is None:
                break
            if v < 0:
                hi = k
                break
            if k > start + 10**30:
                break
            k = start + width
            width *= 2
        if hi is not None:
            lo = start - 1  # safe side (P0)
            if exact_unsafe(start):
                nearest_exact = start
            else:
                lo = start
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if exact_unsafe(mid):
                        hi = mid
                    else:
                        lo = mid
                nearest_exact = hi

    # 2. Rounding can only add unsafe prices where the exact value is below
    # BAND: near the exact boundary and near P0. Scan those.
    candidates = []
    scanned = 0

    def scan(from_k, towards):
        nonlocal scanned
        k = from_k
        while True:
            if direction == "below" and (k < 1 or k > start):
                return
            if direction == "above" and k < start:
                return
            if nearest_exact is not None and (k - nearest_exact) * step >= 0 and k != nearest_exact:
                return  # beyond the exact boundary: already unsafe
            v = exact_value(k)
            if v is None or v >= BAND:
                return
            if rounded(k):
                candidates.append(k)
            scanned += 1
            if scanned > SCAN_LIMIT:
                raise RuntimeError("degenerate vector: health within rounding of zero over too many prices")
            k += towards

    scan(start, step)  # from P0 outward
    if nearest_exact is not None:
        candidates.append(nearest_exact)
        scan(nearest_exact - step, -step)  # from the exact boundary back towards P0
    if not candidates:
        return None
    # The nearest unsafe grid index to P0.
    u = max(candidates) if direction == "below" else min(candidates)
    if u == start:
        return p0
    return (u - step) * tick if direction == "below" else (u - step) * tick


# --- the report ------------------------------------------------------------------

def evaluate(doc, d: Derivation, prices_override=None, account_override=None, options=None):
    """The report of the combined input (with its scenario applied)."""
    params = decode_params(_req(doc, "risk_parameters", ""))
    prices = decode_prices(_req(doc, "prices", ""))
    account = decode_account(_req(doc, "account", ""))
    scenario = decode_scenario(doc["scenario"]) if "scenario" in doc else None
    _finish(doc, {"risk_parameters", "prices", "account", "scenario"}, "")
    validate_params(params)
    validate_prices(prices)
    validate_account(account)
    if scenario is not None:
        prices, account = apply_scenario(params, prices, account, scenario)
    return report(params, prices, account, d, options or {})


def report(params: Params, prices: Prices, account: Account, d: Derivation, options) -> dict:
    try:
        ev = Evaluation(params, prices, account)
        if account.margin_mode == "portfolio":
            PM.check_binding(ev, params.portfolio_margin)
        return _report(ev, d, options)
    except Overflow:
        raise VError("overflow", None, None)


def _pool_report(ev: Evaluation, pool, d: Derivation):
    params = ev.params
    cv = mcv = icv = ZERO
    if pool == "cross":
        for aid, c in ev.coll.items():
            b, mark, stable, w = c["b"], c["mark"], c["stable"], c["w"]
            value = down(b * mark)
            pi = min(mark, stable) if b >= 0 else max(mark, stable)
            c["value"], c["mv"], c["iv"] = value, down(value * w.wm), down(down(b * pi) * w.wi)
            cv, mcv, icv = cv + value, mcv + c["mv"], icv + c["iv"]
            d.add(f"collateral {aid}: {fmt(b)} x {fmt(mark)} = {fmt(value)}; weights {fmt(w.wm)} / {fmt(w.wi)}; "
                  f"maintenance {fmt(c['mv'])}, initial {fmt(c['iv'])} (at {fmt(pi)})"
                  + (f"; total deposits worth {fmt(c['tdv'])} against a limit of {fmt(c['asset'].deposit_start)} "
                     "(§5.8)" if c["tdv"] is not None else ""))
        members = [mid for mid, x in ev.pos.items() if x["p"].iso is None]
    else:
        if pool in ev.opt:  # an isolated option (§13.4): margin in its margin asset
            o = ev.opt[pool]
            members, feed, iso, inverse = [], o.market.feed, o.iso, o.market.inverse
        else:
            x = ev.pos[pool]
            members, feed, iso, inverse = [pool], x["m"].feed, x["p"].iso, x["m"].inverse
        fp = ev.prices.feeds[feed]
        stable = fp.stable if fp.stable is not None else fp.mark
        if inverse:
            cv = mcv = down(iso * fp.mark)
            icv = down(iso * min(fp.mark, stable))
        else:
            cv = mcv = icv = iso
    pnl = im = mm = ipnl = epnl = ZERO
    for mid in members:
        v = ev.pos[mid]["value"]
        pnl, im, mm = checked(pnl + v.pnl), checked(im + v.im), checked(mm + v.mm)
        epnl = checked(epnl + v.equity_pnl)  # §5.10
        ipnl = checked(ipnl + (v.pnl if v.ipnl is None else v.ipnl))  # §5.10
    # §13.4: the options' equity value, then the expiry groups' requirements.
    option_value = ZERO
    for mid in ev.option_members(pool):
        option_value = checked(option_value + ev.opt[mid].equity_value)
    for g in ev.groups.get(pool, []):
        im, mm = checked(im + g.initial), checked(mm + g.maintenance)
    oom = None
    if ev.oom is not None:  # §5.9: the worse side of the pool's open orders
        oom = ev.oom.get(pool, ZERO)
        im = checked(im + oom)
        d.add(f"open orders of the {'cross pool' if pool == 'cross' else 'isolated pool of ' + pool}: "
              f"add {fmt(oom)} to IM")
    equity = checked(checked(mcv + epnl) + option_value)
    iequity = checked(checked(icv + ipnl) + option_value)
    for x in (cv, mcv, icv, pnl, im, mm):
        checked(x)
    portfolio = pool == "cross" and ev.account.margin_mode == "portfolio"
    if portfolio:  # §14.4: the cross pool's requirements from the scenario grid
        ev.portfolio, im, mm = PM.portfolio(ev, params.portfolio_margin, d)
    health = checked(equity - mm)
    ratio = None
    if mm != 0:
        ratio = down(equity / mm) if abs(equity / mm) <= MAX else (MAX if equity / mm > 0 else -MAX)
    status = status_of(equity, mm, params.call)
    name = "cross pool" if pool == "cross" else f"isolated pool of {pool}"
    d.add(f"{name}: equity = {fmt(mcv)} + {fmt(pnl)}"
          + (f" + options {fmt(option_value)}" if ev.opt else "")
          + f" = {fmt(equity)}; initial equity {fmt(iequity)}; IM {fmt(im)}, MM {fmt(mm)}; status {status}")
    out = {
        "collateral_value": fmt(cv), "maintenance_collateral_value": fmt(mcv), "initial_collateral_value": fmt(icv),
        "unrealized_pnl": fmt(pnl), "equity": fmt(equity), "initial_equity": fmt(iequity),
        "initial_margin": fmt(im), "maintenance_margin": fmt(mm),
        "free_collateral": fmt(max(iequity - im, ZERO)), "health": fmt(health),
        "margin_ratio": None if ratio is None else fmt(ratio), "status": status,
        "insurance_fund_shortfall": fmt(max(-equity, ZERO)), "liquidation_plan": None,
    }
    if oom is not None:
        out["open_orders_margin"] = fmt(oom)
    if ev.opt or portfolio:  # §13.6, §14.5
        out["option_value"] = fmt(option_value)
        out["liquidation_plan_unavailable"] = False
    if portfolio:
        out["liquidation_prices_unavailable"] = "portfolio_margin"
        out["price_boundaries"] = {}
    return out, equity, mm, members


def _report(ev: Evaluation, d: Derivation, options) -> dict:
    params = ev.params
    for mid, x in ev.pos.items():
        m, p = x["m"], x["p"]
        v = value_position(m, p, ev.mark(m.feed), x["premium"], x["mult"], oi=x["oi"])
        x["value"] = v
        d.add(f"{mid}: notional {fmt(v.notional)} (tier notional {fmt(v.tier_notional)}, tier {v.tier + 1}); "
              f"PnL {fmt(v.pnl)}; IM {fmt(v.im)}, MM {fmt(v.mm)}"
              + (f"; premium rates {fmt(x['premium'][0])} / {fmt(x['premium'][1])}" if x["premium"] else "")
              + (f"; volatility x{fmt(x['mult'])}" if x["mult"] != 1 else "")
              + (f"; open interest {fmt(x['oi'])} adds {fmt(v.oim)} to IM (§5.7)" if v.oim is not None else ""))
    for mid, o in ev.opt.items():
        d.add(OM.describe(o))
    for pool_groups in ev.groups.values():
        for g in pool_groups:
            d.add(OM.describe_group(g))
    ev.oom = ev.open_orders_margin() if ev.orders is not None else None  # §5.9
    pools = {"cross": _pool_report(ev, "cross", d)}
    for mid in sorted(list(ev.pos) + list(ev.opt)):
        if (ev.pos[mid]["p"].iso if mid in ev.pos else ev.opt[mid].iso) is not None:
            pools[mid] = _pool_report(ev, mid, d)

    positions = {}
    shared = {}
    for mid, x in ev.pos.items():
        m, p, v = x["m"], x["p"], x["value"]
        pool = "cross" if p.iso is None else mid
        out, equity, mm, _ = pools[pool]
        liq = bank = None
        pm_pool = pool == "cross" and ev.account.margin_mode == "portfolio"  # §14.5: not defined yet
        if options.get("liquidation_prices", True) and not pm_pool:
            key = (pool, m.feed, m.tick)
            if key not in shared:
                # §13.5: a pool holding options on this feed is searched by its interval bounds.
                if any(ev.opt[o].market.feed == m.feed for o in ev.option_members(pool)):
                    curve = OB.curve_of(ev, pool, m.feed)
                    try:
                        shared[key] = _boundaries(ev, pool, m.feed, m.tick, equity, mm, d, mid,
                                                  lambda kind, side: OB.search(curve, m.tick, kind, side))
                    except OB.Unresolved as u:
                        raise VError("liquidation_price_unresolved", f"/account/positions/{escape_pointer(mid)}",
                                     f"liquidation price of {mid}: {_unresolved(u)}")
                else:
                    shared[key] = _boundaries(ev, pool, m.feed, m.tick, equity, mm, d, mid)
            liq, bank = shared[key]
        adl = None
        if v.pnl > 0 and equity > 0:
            mark = ev.mark(m.feed)
            gain = down(mark / p.e) if p.q > 0 else down(p.e / mark)
            index = gain * v.notional / equity
            adl = MAX if index > MAX else down(index)  # §7.5: the ranking key saturates
        positions[mid] = {
            "kind": m.kind, "pool": "cross" if p.iso is None else "isolated",
            "quantity": fmt(p.q), "entry_price": fmt(p.e), "mark_price": fmt(ev.mark(m.feed)),
            "notional": fmt(v.notional), "tier_notional": fmt(v.tier_notional),
            "pending_funding": fmt(p.funding), "unrealized_pnl": fmt(v.pnl), "tier": v.tier + 1,
            "size_premium": None if x["premium"] is None else {"initial_rate": fmt(x["premium"][0]),
                                                                "maintenance_rate": fmt(x["premium"][1])},
            "initial_margin_basis": "size_premium" if v.im_premium else "tier",
            "maintenance_margin_basis": "size_premium" if v.mm_premium else "tier",
            "volatility_multiplier": fmt(x["mult"]),
            "initial_margin": fmt(v.im), "maintenance_margin": fmt(v.mm),
            "liquidation_price": None if liq is None else fmt(liq),
            "bankruptcy_price": None if bank is None else fmt(bank),
            "adl_index": None if adl is None else fmt(adl),
        }
        if m.oi_caps is not None:  # §5.7
            positions[mid]["open_interest_margin"] = fmt(v.oim)
        if m.weighs_profit:  # §5.10
            positions[mid]["initial_unrealized_pnl"] = fmt(v.ipnl)
        if m.mprofit_weight is not None:  # §5.10
            positions[mid]["maintenance_unrealized_pnl"] = fmt(v.mpnl)
    if ev.opt and options.get("liquidation_prices", True):  # §13.5: every pool's price boundaries
        for pool, (out, equity, mm, members) in pools.items():
            if "liquidation_prices_unavailable" not in out:
                out["price_boundaries"] = _price_boundaries(ev, pool, equity, mm, d)
    for pool, (out, equity, mm, members) in pools.items():
        if out["status"] not in ("liquidatable", "bankrupt"):
            continue
        if ev.option_members(pool) or "liquidation_prices_unavailable" in out:  # §13.5, §14.5
            out["liquidation_plan_unavailable"] = True
        elif options.get("liquidation_plans", True):
            out["liquidation_plan"] = _plan(ev, members, equity, mm, d)
    collateral = {}
    for aid, c in ev.coll.items():
        collateral[aid] = {"balance": fmt(c["b"]), "price": fmt(c["mark"]), "value": fmt(c["value"]),
                           "maintenance_weight": fmt(c["w"].wm), "maintenance_value": fmt(c["mv"]),
                           "initial_weight": fmt(c["w"].wi), "initial_value": fmt(c["iv"])}
        if c["asset"].deposit_start is not None:  # §5.8
            collateral[aid]["total_deposits_value"] = None if c["tdv"] is None else fmt(c["tdv"])
    out = {
        "account": ev.account.id, "as_of": ev.prices.as_of, "risk_parameters_version": params.version,
        "cross": pools["cross"][0],
        "isolated": {k: v[0] for k, v in pools.items() if k != "cross"},
        "positions": positions, "collateral": collateral,
    }
    if ev.account.margin_mode == "portfolio":  # §14.5
        out["margin_mode"] = "portfolio"
        out["portfolio_margin"] = ev.portfolio
    if ev.opt:  # §13.6
        out["option_positions"] = {mid: OM.position_json(o) for mid, o in ev.opt.items()}
        out["option_expiries"] = [OM.group_json(g) for pool in ["cross"] + sorted(k for k in ev.groups if k != "cross")
                                  for g in ev.groups[pool]]
        feeds = sorted({o.market.feed for o in ev.opt.values()})
        out["option_underlyings"] = {
            f: OM.greeks_json(OM.sum_greeks([o for o in ev.opt.values() if o.market.feed == f])) for f in feeds}
    return out


def _unresolved(u):
    return (f"the search for the {u.kind} price of a pool with options did not conclude within {OB.BUDGET} "
            "evaluations")


def _price_boundaries(ev, pool, equity, mm, d: Derivation):
    """§13.5: per feed of the pool's options, the candidates of both sides, each searched alone."""
    out = {}
    for feed in sorted({ev.opt[o].market.feed for o in ev.option_members(pool)}):
        tick = ev.params.option_rules[feed]["index_tick_size"]
        curve = OB.curve_of(ev, pool, feed)
        b = {}
        try:
            for kind, skip in (("liquidation", equity < mm), ("bankruptcy", status_of(equity, mm, 1) == "bankrupt")):
                find = valued_only(ev, feed, tick, lambda k, side: OB.search(curve, tick, k, side))
                for side in ("below", "above"):
                    b[f"{kind}_{side}"] = None if skip else find(kind, side)
        except OB.Unresolved as u:
            name = "cross pool" if pool == "cross" else f"isolated pool of {pool}"
            raise VError("liquidation_price_unresolved", "/account",
                         f"price boundaries of {feed} in the {name}: {_unresolved(u)}")
        out[feed] = {k: None if v is None else fmt(v) for k, v in b.items()}
        d.add(f"price boundaries of {feed} ({'cross pool' if pool == 'cross' else pool}, tick {fmt(tick)}): "
              + ", ".join(f"{k} {'none' if v is None else fmt(v)}" for k, v in b.items())
              + f" (interval-bound search, {curve.evaluations} evaluations)")
    return out


def prices_at(prices: Prices, feed, q: F) -> Prices:
    """The market with feed's mark at q (stable price and volatility kept) and
    its option expiries' forwards at down(forward x q / P0): "the pool at
    price Q of feed F" (spec §7, §13.5)."""
    p0 = prices.feeds[feed].mark
    feeds = {k: (replace(v, mark=q) if k == feed else v) for k, v in prices.feeds.items()}
    expiries = {f: ({e: replace(x, forward=down(x.forward * q / p0)) for e, x in m.items()} if f == feed else m)
                for f, m in prices.option_expiries.items()}
    return Prices(prices.as_of, feeds, expiries, prices.vol_shifts, prices.open_interest, prices.total_deposits)


def account_valued_at(ev: Evaluation, feed, q: F) -> bool:
    """§7.1: whether the whole account can be valued with feed at q: its
    report without searches and plans has every figure in range."""
    try:
        report(ev.params, prices_at(ev.prices, feed, q), ev.account, Derivation(),
               {"liquidation_prices": False, "liquidation_plans": False})
    except VError as e:
        if e.code == "overflow":
            return False
        raise
    return True


def unsafe_beyond(p0: F, tick: F, reported: F, direction) -> F:
    """The unsafe grid price one tick beyond a side's reported price (the grid
    price next to P0 when the reported price is P0 itself)."""
    if reported == p0:
        return ((p0 / tick).__ceil__() - 1) * tick if direction == "below" else ((p0 / tick).__floor__() + 1) * tick
    return reported - tick if direction == "below" else reported + tick


def valued_only(ev: Evaluation, feed, tick: F, find):
    """A side finder keeping a candidate only where the account can be valued
    at its unsafe price and at the candidate itself (§7.1)."""
    def run(kind, direction):
        p = find(kind, direction)
        if p is None:
            return None
        u = unsafe_beyond(ev.mark(feed), tick, p, direction)
        return p if account_valued_at(ev, feed, u) and account_valued_at(ev, feed, p) else None
    return run


def _nearest(p0, below, above):
    if below is None:
        return above
    if above is None:
        return below
    return above if above - p0 < p0 - below else below


def _boundaries(ev, pool, feed, tick, equity, mm, d, mid, find=None):
    p0 = ev.mark(feed)
    liq = bank = None
    side = None
    liquidatable = equity < mm
    how = "grid search on the exact health, rounding band scanned"
    if find is None:
        def find(kind, direction):
            return boundary(ev, pool, feed, tick, kind, direction)
    else:
        how = "interval-bound search of a pool with options"
    find = valued_only(ev, feed, tick, find)
    if not liquidatable:
        below = find("liquidation", "below")
        above = find("liquidation", "above")
        liq = _nearest(p0, below, above)
        if liq is not None:
            side = "below" if liq == below else "above"
    if not (equity < 0 or (equity == 0 and mm > 0)):
        if side is not None:
            bank = find("bankruptcy", side)
        elif liquidatable:
            bank = _nearest(p0, find("bankruptcy", "below"), find("bankruptcy", "above"))
    if liq is not None or bank is not None:
        d.add(f"{mid} ({pool}, feed {feed}, tick {fmt(tick)}): liquidation price "
              f"{'none' if liq is None else fmt(liq)}, bankruptcy price {'none' if bank is None else fmt(bank)} "
              f"({how})")
    return liq, bank


# --- partial liquidation (docs/spec.md §7.3) --------------------------------------

def _plan(ev: Evaluation, members, equity, mm, d: Derivation):
    params = ev.params
    target_factor = 1 + params.buffer
    order = sorted(members, key=lambda mid: (-ev.pos[mid]["value"].mm, mid))
    eq, total_mm = equity, mm
    steps = []
    restores = False
    for mid in order:
        x = ev.pos[mid]
        m, p = x["m"], x["p"]
        size, lot = abs(p.q), m.lot
        lots = (size / lot).__ceil__()
        mm_without = total_mm - x["value"].mm
        mark = ev.mark(m.feed)

        def after(k):
            by = size if k >= lots else k * lot
            fee = up(up(by * m.contract_size) * m.fee) if m.inverse else up(up(by * mark) * m.fee)
            left = size - by
            if left == 0:
                pos_mm = ZERO
            else:
                reduced = replace(p, q=left if p.q > 0 else -left)
                pos_mm = value_position(m, reduced, mark, premium_rates(m, left), x["mult"]).mm
            return eq - fee >= (mm_without + pos_mm) * target_factor, by, fee, pos_mm

        chosen = None
        for k in range(1, lots + 1):  # every lot count, smallest first
            ok, by, fee, pos_mm = after(k)
            if ok:
                chosen = (by, fee, pos_mm)
                restores = True
                break
        if chosen is None:
            _, by, fee, pos_mm = after(lots)
            chosen = (by, fee, pos_mm)
        by, fee, pos_mm = chosen
        remaining = size - by
        steps.append({"market": mid, "reduce_by": fmt(by), "remaining": fmt(remaining if p.q > 0 else -remaining),
                      "fee": fmt(fee)})
        eq -= fee
        total_mm = mm_without + pos_mm
        d.add(f"plan: reduce {mid} by {fmt(by)} (fee {fmt(fee)}): equity {fmt(eq)}, maintenance {fmt(total_mm)}")
        if restores:
            break
    return {"steps": steps, "restores": restores, "equity_after": fmt(eq),
            "maintenance_margin_after": fmt(total_mm), "target": fmt(up(total_mm * target_factor))}


# --- what-if (docs/spec.md §9) -----------------------------------------------------

def apply_scenario(params: Params, prices: Prices, account: Account, scenario):
    shocks, collateral, orders, vol_shocks, days = scenario
    feeds = {k: replace(v) for k, v in prices.feeds.items()}
    expiries = {f: {e: replace(x) for e, x in m.items()} for f, m in prices.option_expiries.items()}
    for fid, s in shocks.items():
        path = f"/scenario/shocks/{escape_pointer(fid)}"
        if fid not in feeds:
            raise VError("missing_price", path, f'no price for the shocked feed "{fid}"')
        if s <= -1:
            raise _invalid(path, f"a shock of {fmt(s)} would make the price of {fid} non-positive")
        f = feeds[fid]
        f.mark = down(f.mark * (1 + s))
        if f.mark <= 0:
            raise _invalid(path, f"the shock of {fmt(s)} rounds the price of {fid} to zero")
        if f.stable is not None:
            f.stable = down(f.stable * (1 + s))
        for x in expiries.get(fid, {}).values():  # §13.7: the forwards move with the mark
            x.forward = down(x.forward * (1 + s))
    shifts = {}
    for fid, points in vol_shocks.items():  # §13.7: volatility points
        if not expiries.get(fid):
            raise VError("missing_price", f"/scenario/volatility_shocks/{escape_pointer(fid)}", None)
        shifts[fid] = OM.toward_zero(points / 100)
    prices = Prices(prices.as_of + days * OM.DAY_MS, feeds, expiries, shifts, prices.open_interest, prices.total_deposits)
    bal = dict(account.collateral)
    for aid, delta in collateral.items():
        bal[aid] = bal.get(aid, ZERO) + delta
        if bal[aid] == 0:
            del bal[aid]
    positions = {k: replace(v) for k, v in account.positions.items()}
    for i, (mid, q, price) in enumerate(orders):
        apply_order(params, prices, bal, positions, mid, q, price, i, account.hedge)
    return prices, Account(account.id, dict(sorted(bal.items())), dict(sorted(positions.items())),
                           account.margin_mode, account.open_orders, account.position_mode)


def apply_order(params, prices, bal, positions, mid, d, price, i, hedge=False):
    op = f"/scenario/orders/{i}"
    if mid in params.option_markets:  # §13.7: refused by name
        raise _invalid(f"{op}/market", None)
    if mid not in params.markets:
        raise VError("unknown_market", f"{op}/market", f'market "{mid}" is not defined in the risk parameters')
    m = params.markets[mid]
    if d == 0:
        raise _invalid(f"{op}/quantity", "an order of zero size")
    if (d / m.lot).denominator != 1:
        raise _invalid(f"{op}/quantity", f"order quantity {fmt(d)} is not a multiple of the lot size "
                                         f"{fmt(m.lot)} of {mid}")
    if m.feed not in prices.feeds:
        raise VError("missing_price", f"/prices/feeds/{escape_pointer(m.feed)}",
                     f'no mark price for feed "{m.feed}", which marks {mid}')
    fill = price if price is not None else prices.feeds[m.feed].mark
    if fill <= 0:
        raise _invalid(f"{op}/price", f"order price {fmt(fill)} is not positive")
    if hedge:  # §9: a buy opens or adds to the long leg, a sell to the short one
        leg = "long" if d > 0 else "short"
        mid, market = f"{mid}:{leg}", mid
        if mid not in positions:
            positions[mid] = Position(market, d, fill, leg=leg)
            return
    if mid not in positions:
        positions[mid] = Position(mid, d, fill)
        return
    p = positions[mid]
    if (p.q > 0) == (d > 0):
        total = p.q + d
        e = (p.q * p.e + d * fill) / total
        p.e = up(e) if total > 0 else down(e)
        p.q = total
        return
    flips = abs(d) > abs(p.q)
    closing = -p.q if flips else d
    if m.inverse:
        usd = down(-closing * m.contract_size * (fill - p.e) / p.e)
        settled = down(usd / fill)
    else:
        settled = down(-closing * (fill - p.e))
    left = p.q + closing
    if left == 0:
        settled += p.funding
    if p.iso is not None:
        margin = p.iso + settled
        if margin < 0:
            raise _invalid(op, f"the order's realized loss exceeds the isolated margin of {mid}")
        p.iso = margin
    else:
        _add_balance(bal, m.settlement, settled)
    if left != 0:
        p.q = left
        return
    if not flips:
        if p.iso is not None and p.iso != 0:
            _add_balance(bal, m.settlement, p.iso)
        del positions[mid]
        return
    p.q = d - closing
    p.e = fill
    p.funding = ZERO


def _add_balance(bal, asset, delta):
    bal[asset] = bal.get(asset, ZERO) + delta
    if bal[asset] == 0:
        del bal[asset]


def largest_order(doc, d: Derivation):
    params = decode_params(_req(doc, "risk_parameters", ""))
    prices = decode_prices(_req(doc, "prices", ""))
    account = decode_account(_req(doc, "account", ""))
    scenario = decode_scenario(doc["scenario"]) if "scenario" in doc else None
    q = _obj(_req(doc, "query", ""), "/query")
    market = _str(q, "market", "/query")
    side = _str(q, "side", "/query")
    if side not in ("buy", "sell"):
        raise _invalid("/query/side", f'side "{side}" is neither "buy" nor "sell"')
    price = _opt_dec(q, "price", "/query")
    _finish(q, {"market", "side", "price"}, "/query")
    _finish(doc, {"risk_parameters", "prices", "account", "scenario", "query"}, "")
    validate_params(params)
    if account.margin_mode == "portfolio":  # §14.5
        raise _invalid("/account/margin_mode", "the largest order is not defined under portfolio margin yet")
    validate_prices(prices)
    validate_account(account)
    if scenario is not None:
        prices, account = apply_scenario(params, prices, account, scenario)
    if market in params.option_markets:  # §13.7
        raise _invalid("/query/market", None)
    if market not in params.markets:
        raise VError("unknown_market", "/query/market", f'market "{market}" is not defined in the risk parameters')
    m = params.markets[market]
    if m.feed not in prices.feeds:
        raise VError("missing_price", f"/prices/feeds/{escape_pointer(m.feed)}",
                     f'no mark price for feed "{m.feed}", which marks {market}')
    if price is not None and price <= 0:
        raise _invalid("/query/price", f"order price {fmt(price)} is not positive")
    fill = price if price is not None else prices.feeds[m.feed].mark
    sign = 1 if side == "buy" else -1
    existing = account.positions.get(market)
    reducing = 0
    if existing is not None and (existing.q > 0) != (sign > 0):
        reducing = (abs(existing.q) / m.lot).__floor__()

    # The largest n whose quantity n x lot is representable: orders beyond it
    # cannot be written, so the search stops there (§9).
    cap = MAX // m.lot

    def trial(n):
        """(passes, pool after, why not valued); the account itself (n = 0)
        that cannot be valued raises its error, as evaluate does."""
        bal = dict(account.collateral)
        positions = {k: replace(v) for k, v in account.positions.items()}
        try:
            if n > 0:
                apply_order(params, prices, bal, positions, market, sign * n * m.lot, fill, 0, account.hedge)
            ev_account = Account(account.id, dict(sorted(bal.items())), dict(sorted(positions.items())),
                                 account.margin_mode, account.open_orders, account.position_mode)
            r = report(params, prices, ev_account, Derivation(), {"liquidation_prices": False, "liquidation_plans": False})
        except VError as e:
            if n > 0 and e.code in ("overflow", "invalid_value"):
                return False, None, e
            raise
        except Overflow:
            if n > 0:
                return False, None, None
            raise
        pool = r["isolated"].get(market, r["cross"])
        for key in ("option_value", "liquidation_plan_unavailable", "price_boundaries"):  # §13.6: §8's fields
            pool.pop(key, None)
        passes = n <= reducing or F(pool["initial_equity"]) >= F(pool["initial_margin"])
        return passes, pool, None

    if reducing > 0:
        trial(0)  # the account itself must be valued
    # Find the first failing n above the reducing part: doubling then halving
    # (the condition is monotone past the position's size, §9), then check
    # the neighbours of the answer one by one.
    good = reducing
    ok, best, why = trial(good)
    step = 1
    bad = cap + 1
    while good < cap:
        n = min(good + step, cap)
        ok, pool, w = trial(n)
        if ok:
            good, best, why = n, pool, w
            step *= 2
        else:
            bad = n
            break
    while bad - good > 1:
        mid = (good + bad) // 2
        ok, pool, w = trial(mid)
        if ok:
            good, best, why = mid, pool, w
        else:
            bad = mid
    assert good == cap or not trial(good + 1)[0]
    if best is None:
        # Reducing lots pass by rule, but this order cannot be applied or valued.
        if why is None or why.message is None:  # the model does not word overflows: cases.py does
            raise VError("overflow", "/query", None)
        raise VError(why.code, "/query",
                     f"the largest order, a {side} of {fmt(good * m.lot)} {market} (reducing the position: "
                     f"it passes by rule), cannot be valued: {why.message}")
    d.add(f"largest {side} of {market} at {fmt(fill)}: {good} lots of {fmt(m.lot)} pass"
          + (f", {good + 1} do not" if good < cap else f"; {good + 1} lots are beyond the representable range"))
    return {"market": market, "side": side, "price": fmt(fill), "quantity": fmt(sign * good * m.lot),
            "pool_after": best}
