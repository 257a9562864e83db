"""Options in the account (docs/spec.md §13, §P) for the independent model.

Written from the spec text: the inputs of §13.1 (option_rules,
option_markets, option_expiries, option positions), the quote of §13.2, the
position figures of §13.3, the expiry groups of §13.4 and the report fields
of §13.6. The per-unit programs of §12 (Black-76, the Greeks, SVI, the
standard option margin, max-loss netting) are options.py's, on raw integers;
this file converts between the model's exact Fractions and those raw values
and applies the account-level roundings of §13.3 with exact.py.

Error messages: the spec states the wording of the option-rules errors and
of contract_expired; every other option error is raised here with its code
and path and no message (cases.py then supplies it, marked as not derived).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction as F

import options as O
from exact import ROUNDED, SCALE, VError, checked, down, escape_pointer, fmt, up
from kernels import KernelError

ZERO = F(0)
ONE = F(1)
DAY_MS = 86_400_000
MAX_DAYS_FORWARD = 1_000_000
EXPIRY_KEY_RE = re.compile(r"(0|[1-9][0-9]{0,17})")


def raw(x: F) -> int:
    n = x * SCALE
    assert n.denominator == 1, x
    return n.numerator


def dec(n: int) -> F:
    return F(n, SCALE)


# --- inputs (§13.1) ---------------------------------------------------------------

# (field, table order) and the validation order of the rules (1st..10th).
RULE_FIELDS = ("max_spot_rate", "min_spot_rate", "call_maintenance_rate", "put_maintenance_rate",
               "put_maintenance_mark_rate", "put_initial_floor", "unpaired_initial_scale",
               "unpaired_maintenance_scale", "long_value_weight", "index_tick_size")
MARKET_FIELDS = ("feed", "settlement_asset", "type", "margining", "expiry", "strike", "lot_size")
EXPIRY_FIELDS = ("forward", "rate", "settlement_price", "svi")
SVI_FIELDS = ("a", "b", "rho", "m", "sigma", "forward", "tau")


@dataclass
class OptionRules:
    feed: str
    values: dict  # field -> Fraction

    def __getitem__(self, k):
        return self.values[k]

    def rates(self) -> O.Rates:
        v = {k: raw(x) for k, x in self.values.items()}
        return O.Rates(v["max_spot_rate"], v["min_spot_rate"], v["call_maintenance_rate"],
                       v["put_maintenance_rate"], v["put_maintenance_mark_rate"], v["put_initial_floor"],
                       v["unpaired_initial_scale"], v["unpaired_maintenance_scale"])


@dataclass
class OptionMarket:
    id: str
    feed: str
    settlement: str
    type: str
    margining: str
    expiry: int
    strike: F
    lot: F

    @property
    def is_call(self):
        return self.type == "call"

    @property
    def inverse(self):
        return self.margining == "inverse"


@dataclass
class ExpiryData:
    forward: F
    rate: F
    settlement: F | None
    svi: dict  # field -> Fraction


def decode_option_rules(rp, root, h):
    """h: the model's decoding helpers (obj, req, dec, str, uint, finish)."""
    if "option_rules" not in rp:
        return {}
    m = h.obj(rp["option_rules"], f"{root}/option_rules")
    rules = {}
    for fid in sorted(m):
        p = f"{root}/option_rules/{escape_pointer(fid)}"
        o = h.obj(m[fid], p)
        rules[fid] = OptionRules(fid, {k: h.dec(o, k, p) for k in RULE_FIELDS})
        h.finish(o, set(RULE_FIELDS), p)
    return rules


def decode_option_markets(rp, root, h):
    if "option_markets" not in rp:
        return {}
    m = h.obj(rp["option_markets"], f"{root}/option_markets")
    out = {}
    for mid in sorted(m):
        p = f"{root}/option_markets/{escape_pointer(mid)}"
        o = h.obj(m[mid], p)
        feed = h.str(o, "feed", p)
        settlement = h.str(o, "settlement_asset", p)
        typ = h.str(o, "type", p)
        if typ not in ("call", "put"):
            raise VError("invalid_value", f"{p}/type", None)
        margining = h.str(o, "margining", p)
        if margining not in ("linear", "inverse"):
            raise VError("invalid_value", f"{p}/margining", None)
        expiry = h.uint(o, "expiry", p, 2**63)
        out[mid] = OptionMarket(mid, feed, settlement, typ, margining, expiry, h.dec(o, "strike", p),
                                h.dec(o, "lot_size", p))
        h.finish(o, set(MARKET_FIELDS), p)
    return out


def decode_option_expiries(pr, h):
    if "option_expiries" not in pr:
        return {}
    root = "/prices/option_expiries"
    m = h.obj(pr["option_expiries"], root)
    out = {}
    for fid in sorted(m):
        fp = f"{root}/{escape_pointer(fid)}"
        em = h.obj(m[fid], fp)
        out[fid] = {}
        for key in sorted(em):
            p = f"{fp}/{escape_pointer(key)}"
            if not EXPIRY_KEY_RE.fullmatch(key):
                raise VError("invalid_value", p, None)
            o = h.obj(em[key], p)
            forward = h.dec(o, "forward", p)
            rate = h.dec(o, "rate", p)
            settlement = h.opt_dec(o, "settlement_price", p)
            s = h.obj(h.req(o, "svi", p), f"{p}/svi")
            svi = {k: h.dec(s, k, f"{p}/svi") for k in SVI_FIELDS}
            h.finish(s, set(SVI_FIELDS), f"{p}/svi")
            h.finish(o, set(EXPIRY_FIELDS), p)
            out[fid][int(key)] = ExpiryData(forward, rate, settlement, svi)
    return out


def _outside(path, name, value, feed, rng):
    return VError("invalid_value", path, f"{name} {fmt(value)} of {feed} is outside {rng}")


def validate_option_rules(rules: dict, root: str):
    for fid, r in rules.items():
        p = f"{root}/option_rules/{escape_pointer(fid)}"
        if fid == "":
            raise VError("invalid_value", f"{root}/option_rules", None)

        def check(name, ok, rng):
            if not ok:
                raise _outside(f"{p}/{name}", name, r[name], fid, rng)
        b = r["min_spot_rate"]
        check("min_spot_rate", 0 <= b <= 1, "[0, 1]")
        check("max_spot_rate", b <= r["max_spot_rate"] <= 1, "[min_spot_rate, 1]")
        check("call_maintenance_rate", 0 <= r["call_maintenance_rate"] <= b, "[0, min_spot_rate]")
        check("put_maintenance_rate", 0 <= r["put_maintenance_rate"] <= b, "[0, min_spot_rate]")
        check("put_maintenance_mark_rate", 0 <= r["put_maintenance_mark_rate"] <= 1, "[0, 1]")
        check("put_initial_floor", 1 <= r["put_initial_floor"] <= 10, "[1, 10]")
        um = r["unpaired_maintenance_scale"]
        check("unpaired_maintenance_scale", 0 <= um <= 10, "[0, 10]")
        check("unpaired_initial_scale", um <= r["unpaired_initial_scale"] <= 10,
              "[unpaired_maintenance_scale, 10]")
        check("long_value_weight", 0 <= r["long_value_weight"] <= 1, "[0, 1]")
        from model import validate_tick  # the rule markets share (model imports this module)
        validate_tick(r["index_tick_size"], f"{p}/index_tick_size", "index tick size", fid)


def validate_option_markets(params, root: str):
    for mid, om in params.option_markets.items():
        p = f"{root}/option_markets/{escape_pointer(mid)}"
        if mid == "":
            raise VError("invalid_value", f"{root}/option_markets", None)
        if mid in params.markets:
            raise VError("duplicate_key", p, None)
        if om.feed == "":
            raise VError("invalid_value", f"{p}/feed", None)
        if om.feed not in params.option_rules:
            raise VError("invalid_value", f"{p}/feed", None)
        if om.settlement not in params.assets:
            raise VError("unknown_asset", f"{p}/settlement_asset", None)
        settle = params.assets[om.settlement]
        if om.inverse and settle.feed != om.feed:
            raise VError("invalid_value", f"{p}/settlement_asset", None)
        if not om.inverse and settle.feed is not None:
            raise VError("invalid_value", f"{p}/settlement_asset", None)
        if om.strike <= 0:
            raise VError("invalid_value", f"{p}/strike", None)
        if om.lot <= 0:
            raise VError("invalid_value", f"{p}/lot_size", None)


def validate_option_expiries(expiries: dict):
    # Ascending (feed, expiry): feeds in byte order, expiries in numeric order.
    for fid in sorted(expiries):
        for expiry in sorted(expiries[fid]):
            e = expiries[fid][expiry]
            p = f"/prices/option_expiries/{escape_pointer(fid)}/{expiry}"
            if e.forward <= 0:
                raise VError("invalid_value", f"{p}/forward", None)
            if e.rate < 0:
                raise VError("invalid_value", f"{p}/rate", None)
            if e.settlement is not None and e.settlement <= 0:
                raise VError("invalid_value", f"{p}/settlement_price", None)
            s = {k: raw(v) for k, v in e.svi.items()}
            try:
                O.svi_validate(s["a"], s["b"], s["rho"], s["m"], s["sigma"], s["forward"], s["tau"])
            except O.OptionError as err:
                raise VError(err.code, f"{p}/svi{err.path}", None)


# --- the quote and the position figures (§13.2, §13.3) ---------------------------

GREEK_NAMES = ("delta", "gamma", "vega", "vega_per_point", "theta_per_year", "theta_per_day")


@dataclass
class OptionFigures:
    market: OptionMarket
    q: F
    e: F
    iso: F | None
    index: F
    forward: F
    sigma: F
    secs: int
    settled: bool
    v: F
    value: F
    equity_value: F
    pnl: F
    im: F
    mm: F
    greeks: dict = field(default_factory=dict)  # name -> Fraction (per position)


def _kernel(fn, path):
    try:
        return fn()
    except KernelError as err:
        raise VError(err.code, path, None)


def quote(om: OptionMarket, data: ExpiryData, as_of: int, shift: F, path: str, forward: F | None = None,
          with_greeks: bool = True, terms: dict | None = None):
    """(settled, secs, sigma, V, per-unit Greeks as raw ints or None, total volatility tv as a raw int).
    `forward` replaces the expiry's forward (§13.5: the pool at another index)."""
    fwd = data.forward if forward is None else forward
    if as_of >= om.expiry:
        if data.settlement is None:
            raise VError("contract_expired", path,
                         f"{om.id} expired at {om.expiry} ms and its expiry has no settlement price; the "
                         f"evaluation time is {as_of} ms")
        p = data.settlement
        v = max(p - om.strike, ZERO) if om.is_call else max(om.strike - p, ZERO)
        return True, 0, ZERO, v, None, 0
    secs = (om.expiry - as_of) // 1000
    s = {k: raw(x) for k, x in data.svi.items()}
    k_raw = raw(om.strike)
    vol = _kernel(lambda: O.svi_volatility(s["a"], s["b"], s["rho"], s["m"], s["sigma"], s["forward"], s["tau"],
                                           k_raw), path)
    sigma = max(vol + raw(shift), 0)
    d = _kernel(lambda: O.discount_factor(raw(data.rate), O.annualise(secs)), path)
    b = _kernel(lambda: O.black76(secs, d, sigma, raw(fwd), k_raw), path)
    g = None
    if with_greeks:
        g = _kernel(lambda: O.greeks(secs, d, sigma, raw(fwd), k_raw, raw(data.rate), om.is_call, b), path)
    v = b.call if om.is_call else b.put
    if terms is not None:
        terms.update(d1=b.d1, degenerate=b.degenerate, call_delta=b.call_delta, discount=d)
    return False, secs, dec(sigma), dec(v), g, b.tv


def toward_zero(x: F) -> F:
    return ROUNDED.toward_zero(x)


def position_value(rules: OptionRules, q: F, v: F):
    """(value, equity_value) of q options worth v per unit (§13.3)."""
    value = down(q * v)
    return value, (down(rules["long_value_weight"] * value) if q > 0 else value)


def short_requirement(om: OptionMarket, rules: OptionRules, q: F, index: F, v: F, path: str):
    """(initial, maintenance) of a short of q < 0 at the index and the per-unit value v (§13.3)."""
    i_raw, m_raw = _kernel(lambda: O.short_option_requirement(om.is_call, raw(om.strike), raw(index), raw(v),
                                                              rules.rates()), path)
    return up(-q * dec(i_raw)), up(-q * dec(m_raw))


def option_figures(params, prices, mid, pos, path, shift: F) -> OptionFigures:
    """Binding (§4 step 6) of an option position, its quote and figures."""
    om = params.option_markets[mid]
    if om.feed not in prices.feeds:
        raise VError("missing_price", f"/prices/feeds/{escape_pointer(om.feed)}", None)
    data = prices.option_expiries.get(om.feed, {}).get(om.expiry)
    if data is None:
        raise VError("missing_price", f"/prices/option_expiries/{escape_pointer(om.feed)}/{om.expiry}", None)
    if pos.funding != 0:
        raise VError("invalid_value", f"{path}/pending_funding", None)
    try:
        return _figures(params, prices, om, data, pos, path, shift)
    except VError as err:  # §13.1: the quote's and the figures' errors name the option position
        if err.message is not None and err.path == path:
            err.message = f"option position in {mid}: {err.message}"
            err.args = (f"[vmargin.{err.code}] {err.path}: {err.message}",)
        raise


def _figures(params, prices, om, data, pos, path, shift):
    settled, secs, sigma, v, g, _ = quote(om, data, prices.as_of, shift, path)
    rules = params.option_rules[om.feed]
    index = prices.feeds[om.feed].mark
    q = pos.q
    try:
        value, equity_value = position_value(rules, q, v)
        pnl = checked(value - up(q * pos.e))
        im = mm = ZERO
        if q < 0 and not settled:
            im, mm = short_requirement(om, rules, q, index, v, path)
        greeks = {}
        for name in GREEK_NAMES:
            greeks[name] = ZERO if g is None else toward_zero(q * dec(getattr(g, name)))
    except Exception as err:  # noqa: BLE001 - Overflow from exact.py
        if type(err).__name__ == "Overflow":
            raise VError("overflow", path, None)
        raise
    return OptionFigures(om, q, pos.e, pos.iso, index, data.forward, sigma, secs, settled, v, value, equity_value,
                         pnl, im, mm, greeks)


# --- expiry groups (§13.4) ----------------------------------------------------------

@dataclass
class Group:
    pool: str
    feed: str
    expiry: int
    forward: F
    members: list
    standard_initial: F = ZERO
    standard_maintenance: F = ZERO
    netted_initial: F = ZERO
    netted_maintenance: F = ZERO
    initial: F = ZERO
    maintenance: F = ZERO
    greeks: dict = field(default_factory=dict)


def groups_of(params, prices, opts: dict, members: list, pool: str) -> list:
    """The expiry groups of one pool: `members` are its option market ids, ascending."""
    groups = {}
    for mid in members:
        o = opts[mid]
        key = (o.market.feed, o.market.expiry)
        if key not in groups:
            groups[key] = Group(pool, key[0], key[1], o.forward, [])
        groups[key].members.append(mid)
    out = []
    for g in groups.values():
        legs = [opts[mid] for mid in g.members]
        g.standard_initial = checked(sum((o.im for o in legs), ZERO))
        g.standard_maintenance = checked(sum((o.mm for o in legs), ZERO))
        if not legs[0].settled:
            rules = params.option_rules[g.feed]
            try:
                ni, nm = O.max_loss_requirement([(o.market.is_call, raw(o.market.strike), raw(o.q)) for o in legs],
                                                raw(g.forward), rules.rates())
            except KernelError as err:
                raise VError(err.code, "/account", None)
            g.netted_initial, g.netted_maintenance = dec(ni), dec(nm)
        g.initial = min(g.standard_initial, g.netted_initial)
        g.maintenance = min(g.standard_maintenance, g.netted_maintenance)
        g.greeks = sum_greeks(legs)
        out.append(g)
    return out


def sum_greeks(figs) -> dict:
    out = {}
    for name in GREEK_NAMES:
        total = ZERO
        for o in figs:
            total = checked(total + o.greeks[name])
        out[name] = total
    return out


def greeks_json(g: dict) -> dict:
    return {k: fmt(v) for k, v in g.items()}


def position_json(o: OptionFigures) -> dict:
    return {
        "feed": o.market.feed, "type": o.market.type, "margining": o.market.margining,
        "pool": "cross" if o.iso is None else "isolated", "strike": fmt(o.market.strike),
        "expiry": o.market.expiry, "quantity": fmt(o.q), "entry_price": fmt(o.e), "index_price": fmt(o.index),
        "forward": fmt(o.forward), "volatility": fmt(o.sigma), "seconds_to_expiry": o.secs, "settled": o.settled,
        "mark_price": fmt(o.v), "value": fmt(o.value), "equity_value": fmt(o.equity_value),
        "unrealized_pnl": fmt(o.pnl), "initial_margin": fmt(o.im), "maintenance_margin": fmt(o.mm),
        "greeks": greeks_json(o.greeks),
    }


def group_json(g: Group) -> dict:
    return {
        "pool": g.pool, "feed": g.feed, "expiry": g.expiry, "forward": fmt(g.forward),
        "standard_initial": fmt(g.standard_initial), "standard_maintenance": fmt(g.standard_maintenance),
        "netted_initial": fmt(g.netted_initial), "netted_maintenance": fmt(g.netted_maintenance),
        "initial_margin": fmt(g.initial), "maintenance_margin": fmt(g.maintenance), "greeks": greeks_json(g.greeks),
    }


def describe(o: OptionFigures) -> str:
    m = o.market
    head = f"{m.id} ({m.type} {fmt(m.strike)}, {m.margining}, expiry {m.expiry}): "
    if o.settled:
        head += f"settled, intrinsic value {fmt(o.v)}"
    else:
        head += (f"{o.secs} s to expiry, volatility {fmt(o.sigma)}, forward {fmt(o.forward)}: "
                 f"Black-76 value {fmt(o.v)} per unit")
    head += (f"; value down({fmt(o.q)} x {fmt(o.v)}) = {fmt(o.value)}, equity value {fmt(o.equity_value)}, "
             f"PnL {fmt(o.pnl)}")
    if o.q < 0 and not o.settled:
        head += f"; standard IM {fmt(o.im)}, MM {fmt(o.mm)} (index {fmt(o.index)})"
    return head


def describe_group(g: Group) -> str:
    return (f"expiry group {g.feed} {g.expiry} ({g.pool}): standard {fmt(g.standard_initial)} / "
            f"{fmt(g.standard_maintenance)}, netted {fmt(g.netted_initial)} / {fmt(g.netted_maintenance)} "
            f"(forward {fmt(g.forward)}): IM {fmt(g.initial)}, MM {fmt(g.maintenance)}")
