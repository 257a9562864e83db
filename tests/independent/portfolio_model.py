"""Portfolio margin (docs/spec.md §14, §PM) for the independent model.

Written from the spec text: the parameters of §14.1, the grid of §14.2, the
scenario PnL of §14.3 and the worst loss, contingencies and requirements of
§14.4, on top of the option figures of option_model.py (§13) and the
per-unit programs of options.py / kernels.py (§11-§12) on raw integers.
Exact Fractions everywhere else, rounded with exact.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F

import kernels as K
import options as O
from exact import VError, checked, down, escape_pointer, fmt, up
from option_model import dec, raw

ZERO = F(0)
ONE = F(1)
DAY = 86_400
THIRTY_DAYS = 30 * DAY

FIELDS = ("price_range", "buckets", "volatility_range_up", "volatility_range_down", "short_term_power",
          "long_term_power", "min_volatility_up", "mm_factor", "im_factor", "option_contingency_rate",
          "future_contingency_rate", "collateral_offsets")


@dataclass
class PMParams:
    feed: str
    v: dict  # field -> Fraction, int (buckets) or bool (collateral_offsets)

    def __getitem__(self, k):
        return self.v[k]


def decode(rp, root, h):
    if "portfolio_margin" not in rp:
        return {}
    m = h.obj(rp["portfolio_margin"], f"{root}/portfolio_margin")
    out = {}
    for fid in sorted(m):
        p = f"{root}/portfolio_margin/{escape_pointer(fid)}"
        o = h.obj(m[fid], p)
        v = {}
        for k in FIELDS:
            if k == "buckets":
                v[k] = h.uint(o, k, p)
            elif k == "collateral_offsets":
                x = h.req(o, k, p)
                if not isinstance(x, bool):
                    raise VError("wrong_type", f"{p}/{k}", None)
                v[k] = x
            else:
                v[k] = h.dec(o, k, p)
        h.finish(o, set(FIELDS), p)
        out[fid] = PMParams(fid, v)
    return out


def validate(pm: dict, root: str):
    for fid, r in pm.items():
        p = f"{root}/portfolio_margin/{escape_pointer(fid)}"
        if fid == "":
            raise VError("invalid_value", f"{root}/portfolio_margin", None)

        def check(name, ok, rng, shown=None):
            if not ok:
                value = shown if shown is not None else fmt(r[name])
                raise VError("invalid_value", f"{p}/{name}", f"{name} {value} of {fid} is outside {rng}")
        check("price_range", 0 < r["price_range"] < 1, "(0, 1)")
        check("buckets", 1 <= r["buckets"] <= 50, "[1, 50]", str(r["buckets"]))
        check("volatility_range_up", 0 <= r["volatility_range_up"] <= 10, "[0, 10]")
        check("volatility_range_down", 0 <= r["volatility_range_down"] <= 1, "[0, 1]")
        check("short_term_power", 0 <= r["short_term_power"] <= 1, "[0, 1]")
        check("long_term_power", 0 <= r["long_term_power"] <= 1, "[0, 1]")
        check("min_volatility_up", 0 <= r["min_volatility_up"] <= 10, "[0, 10]")
        check("mm_factor", 0 <= r["mm_factor"] <= 1, "[0, 1]")
        check("im_factor", r["mm_factor"] <= r["im_factor"] <= 10, "[mm_factor, 10]")
        check("option_contingency_rate", 0 <= r["option_contingency_rate"] <= 1, "[0, 1]")
        check("future_contingency_rate", 0 <= r["future_contingency_rate"] <= 1, "[0, 1]")


# --- §14.2 ----------------------------------------------------------------------------

def grid(r: PMParams) -> list:
    """[(m_i raw, 'up' | 'unchanged' | 'down')] in parameter order."""
    b, rr = r["buckets"], raw(r["price_range"])
    out = []
    for i in range(-b, b + 1):
        m = K.tdiv(i * rr, b)
        out.append((m, "up"))
        if abs(i) != b:
            out += [(m, "unchanged"), (m, "down")]
    return out


def shocked(x_raw: int, m: int) -> int:
    return (x_raw * (K.SCALE + m)) // K.SCALE


def vol_scale(r: PMParams, secs: int) -> int:
    ratio = (THIRTY_DAYS * K.SCALE) // max(secs, DAY)
    p = r["short_term_power"] if secs <= THIRTY_DAYS else r["long_term_power"]
    return K.pow(ratio, raw(p))


def shocked_vol(r: PMParams, sigma: int, scale: int, v: str) -> int:
    s = K.SCALE
    if v == "up":
        return max((sigma * (s + (raw(r["volatility_range_up"]) * scale) // s)) // s, raw(r["min_volatility_up"]))
    if v == "down":
        return (sigma * max(s - (raw(r["volatility_range_down"]) * scale) // s, 0)) // s
    return sigma


# --- binding (§14.1) ------------------------------------------------------------------

def check_binding(ev, pm: dict):
    members = []
    for mid, x in ev.pos.items():
        if x["p"].iso is None:
            members.append((mid, x["m"].feed, x["m"].kind.startswith("inverse")))
    for mid, o in ev.opt.items():
        if o.iso is None:
            members.append((mid, o.market.feed, o.market.inverse))
    for mid, feed, inverse in sorted(members):
        path = f"/account/positions/{escape_pointer(mid)}"
        if inverse:
            raise VError("invalid_value", path,
                         f"{mid} is an inverse market; portfolio margin supports linear markets only (not yet inverse)")
        if feed not in pm:
            raise VError("invalid_value", path,
                         f"{mid} is on feed {feed}, which has no portfolio margin parameters; a portfolio-margin "
                         "pool cannot hold it")


# --- §14.3-§14.4 ----------------------------------------------------------------------

def _option_terms(ev, feed, r):
    """Per cross option on `feed`: (figures, discount raw, scale raw)."""
    out = []
    for mid, o in ev.opt.items():
        if o.iso is not None or o.market.feed != feed:
            continue
        if o.settled:
            out.append((o, None, None))
            continue
        data = ev.prices.option_expiries[feed][o.market.expiry]
        d = O.discount_factor(raw(data.rate), O.annualise(o.secs))
        out.append((o, d, vol_scale(r, o.secs)))
    return out


def scenario_pnl(ev, feed, r, opts, m, v) -> F:
    total = ZERO
    mark = ev.mark(feed)
    move = dec(shocked(raw(mark), m)) - mark
    for mid, x in ev.pos.items():
        if x["p"].iso is None and x["m"].feed == feed:
            total = checked(total + down(x["p"].q * move))
    for o, d, scale in opts:
        if o.settled:
            continue
        sigma = shocked_vol(r, raw(o.sigma), scale, v)
        b = O.black76(o.secs, d, sigma, shocked(raw(o.forward), m), raw(o.market.strike))
        value = dec(b.call if o.market.is_call else b.put)
        total = checked(total + checked(down(o.q * value) - o.value))
    if r["collateral_offsets"]:
        for aid, c in ev.coll.items():
            if c["asset"].feed == feed:
                cmove = dec(shocked(raw(c["mark"]), m)) - c["mark"]
                total = checked(total + down(c["b"] * cmove))
    return total


def underlying(ev, feed, r, d) -> dict:
    opts = _option_terms(ev, feed, r)
    scen = grid(r)
    pnl = [scenario_pnl(ev, feed, r, opts, m, v) for m, v in scen]
    worst = 0
    for k in range(1, len(pnl)):
        if pnl[k] < pnl[worst]:
            worst = k
    loss = -pnl[worst]
    index = ev.mark(feed)
    strikes = {}
    for o, _, _ in opts:
        if not o.settled:
            key = (o.market.expiry, o.market.strike)
            strikes[key] = strikes.get(key, ZERO) + o.q
    ocont = ZERO
    for key in sorted(strikes):
        n = strikes[key]
        if n < 0:
            ocont = checked(ocont + up(up(-n * index) * r["option_contingency_rate"]))
    fcont = ZERO
    for mid, x in ev.pos.items():
        if x["p"].iso is None and x["m"].feed == feed:
            fcont = checked(fcont + up(up(abs(x["p"].q) * index) * r["future_contingency_rate"]))
    cont = checked(ocont + fcont)
    im = checked(up(r["im_factor"] * loss) + cont)
    mm = checked(up(r["mm_factor"] * loss) + cont)
    d.add(f"portfolio {feed}: {len(scen)} scenarios; worst #{worst} (move {fmt(dec(scen[worst][0]))}, vol "
          f"{scen[worst][1]}) PnL {fmt(pnl[worst])}; contingencies option {fmt(ocont)} future {fmt(fcont)}; "
          f"IM {fmt(im)} MM {fmt(mm)}")
    return {
        "scenarios": [{"spot_move": fmt(dec(m)), "volatility": v, "pnl": fmt(p)} for (m, v), p in zip(scen, pnl)],
        "worst_index": worst, "worst_pnl": fmt(pnl[worst]), "worst_loss": fmt(loss),
        "option_contingency": fmt(ocont), "future_contingency": fmt(fcont),
        "initial_margin": fmt(im), "maintenance_margin": fmt(mm), "_im": im, "_mm": mm,
    }


def portfolio(ev, pm: dict, d) -> tuple[dict, F, F]:
    feeds = sorted({x["m"].feed for x in ev.pos.values() if x["p"].iso is None}
                   | {o.market.feed for o in ev.opt.values() if o.iso is None})
    out, im, mm = {}, ZERO, ZERO
    for f in feeds:
        u = underlying(ev, f, pm[f], d)
        im, mm = checked(im + u.pop("_im")), checked(mm + u.pop("_mm"))
        out[f] = u
    return out, im, mm
