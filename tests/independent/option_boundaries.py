"""Liquidation prices and price boundaries of pools holding options
(docs/spec.md §13.5) for the independent model.

The definition is §7.1-§7.2 on a grid, with "the pool at price Q of feed F"
moving, besides F's mark, the forward of every option expiry of F to
down(forward x Q / P0) and the index of §13.3 to Q. Two ways to find it:

- `brute_force`: an outward scan of grid prices, each a **full
  re-evaluation** of the account by model.py at prices with the mark and
  the forwards replaced (nothing of this file's per-item curve is used).
  Exact by construction, slow: used by `check_boundaries.py` on coarse
  grids to check the search below.
- `search`: an interval-bound galloping search after docs/liquidation.md
  "Pools with options", as that text stood before the engine's schedule and
  maintenance line changed (2026-11-29): the answer is the same by
  definition (the first unsafe grid price), only the evaluations differ,
  so this simpler schedule stays as the independent one. On an interval [a, b] of
  prices the pool's equity lies above four lines built from the items'
  values at the ends (the chord of the linear and concave part, long
  options' end tangents with slopes bracketed around the computed delta,
  or longs at 0 and shorts at their caps), and its maintenance below the
  items' larger end values (monotone or convex items); when that bound is
  not unsafe, no grid price inside is. The error terms here are this
  model's own: 2 ulp per linear item (down() of a linear function, at most
  twice), and for an option the text's per-unit bound e at the larger
  forward (|q| (F + K)(2/tv + 60) 10^-18 + 16 ulp, plus the spec's
  2 ulp (1 + K/F) for small forwards), each counted twice; the lines are
  exact rationals here (the engine rounds each against the account).
  The search counts evaluations as §13.5 does (a point one, an interval
  two) and gives up after 512 with liquidation_price_unresolved; its counts
  are its own (the engine's schedule needs fewer), and the vectors avoid
  pools where either would give up.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction as F

import option_model as OM
import options as O
from exact import MAX, SCALE, Overflow, VError, checked, down

ZERO = F(0)
BUDGET = 512


class Unresolved(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def unsafe(kind, equity, mm):
    if kind == "liquidation":
        return equity < mm
    return equity < 0 or (equity == 0 and mm > 0)


def _cdiv(a, b):
    return -((-a) // b)


def unit_error(forward_hi: F, forward_lo: F, strike: F, tv_raw: int) -> F:
    """A bound of |computed - exact Black-76| of one unit's value, over
    forwards in [forward_lo, forward_hi] at the total volatility tv."""
    f_raw, k_raw = OM.raw(forward_hi), OM.raw(strike)
    per = _cdiv(2 * SCALE, max(tv_raw, 1)) + 60
    e = _cdiv((f_raw + k_raw) * per, SCALE) + 16
    lo = max(OM.raw(forward_lo), 1)
    e += 2 * (1 + _cdiv(k_raw, lo)) + 100  # §12.5's absolute terms, for small forwards
    return F(e, SCALE)


def _valuable(fn):
    """fn() or None when the pool cannot be valued at that price (overflow)."""
    try:
        return fn()
    except Overflow:
        return None
    except VError as e:
        if e.code == "overflow":
            return None
        raise


class PoolCurve:
    """The pool `pool` of an evaluation with feed `feed` moved: per-item values at a price."""

    def __init__(self, ev, pool, feed):
        from model import value_position  # model imports this module
        self.value_position = value_position
        self.ev, self.pool, self.feed = ev, pool, feed
        self.p0 = ev.mark(feed)
        cross = pool == "cross"
        # Collateral on the feed (cross pool) or the coin margin of an isolated pool on it.
        self.coll = [c for c in ev.coll.values() if cross and c["asset"].feed == feed]
        self.iso = None
        other_eq = other_mm = ZERO
        if cross:
            for c in ev.coll.values():
                if c["asset"].feed != feed:
                    mark = 1 if c["asset"].feed is None else ev.mark(c["asset"].feed)
                    other_eq += down(down(c["b"] * mark) * c["w"].wm)
            linear = [mid for mid, x in ev.pos.items() if x["p"].iso is None]
        elif pool in ev.opt:
            o = ev.opt[pool]
            linear = []
            if o.market.inverse and o.market.feed == feed:
                self.iso = o.iso
            elif o.market.inverse:
                other_eq += down(o.iso * ev.mark(o.market.feed))
            else:
                other_eq += o.iso
        else:
            x = ev.pos[pool]
            linear = [pool]
            if x["m"].inverse and x["m"].feed == feed:
                self.iso = x["p"].iso
            elif x["m"].inverse:
                other_eq += down(x["p"].iso * ev.mark(x["m"].feed))
            else:
                other_eq += x["p"].iso
        self.linear = [mid for mid in linear if ev.pos[mid]["m"].feed == feed]
        for mid in linear:
            if ev.pos[mid]["m"].feed != feed:
                v = ev.pos[mid]["value"]
                other_eq += v.equity_pnl
                other_mm += v.mm
        self.opts = [mid for mid in ev.option_members(pool) if ev.opt[mid].market.feed == feed]
        for mid in ev.option_members(pool):
            if ev.opt[mid].market.feed != feed:
                other_eq += ev.opt[mid].equity_value
        self.groups = [g for g in ev.groups.get(pool, []) if g.feed == feed]
        for g in ev.groups.get(pool, []):
            if g.feed != feed:
                other_mm += g.maintenance
        self.other_eq, self.other_mm = other_eq, other_mm
        self.cache = {}
        self.evaluations = 0
        # How far from the mark every price (on or off a grid) is proven safe
        # by interval bounds, per (kind, side); a liquidation proof serves
        # bankruptcy too (equity >= maintenance >= 0 is not bankrupt).
        self.reach = {(k, s): self.p0 for k in ("liquidation", "bankruptcy") for s in ("below", "above")}

    def proven_reach(self, kind, side):
        far = min if side == "below" else max
        r = self.reach[("liquidation", side)]
        return r if kind == "liquidation" else far(r, self.reach[("bankruptcy", side)])

    def prove(self, kind, side, near, end):
        """[near, end] is proven safe for `kind`: the reach extends when near lies within it."""
        reach = self.proven_reach(kind, side)
        if (near >= reach) if side == "below" else (near <= reach):
            far = min if side == "below" else max
            self.reach[(kind, side)] = far(self.reach[(kind, side)], end)

    def values(self, y: F):
        """Per-item values at price y (every rounding of the spec), or None (overflow)."""
        if y not in self.cache:
            self.cache[y] = _valuable(lambda: self._values(y))
        return self.cache[y]

    def _values(self, y: F):
        ev = self.ev
        v = {"coll": [checked(down(checked(down(c["b"] * y)) * c["w"].wm)) for c in self.coll],
             "iso": None if self.iso is None else checked(down(self.iso * y)), "lin": [], "opt": {}, "grp": []}
        for mid in self.linear:
            x = ev.pos[mid]
            pv = self.value_position(x["m"], x["p"], y, x["premium"], x["mult"])
            v["lin"].append((pv.equity_pnl, pv.mm))
        as_of = ev.prices.as_of
        for g in self.groups:
            data = ev.prices.option_expiries[self.feed][g.expiry]
            fwd = checked(down(data.forward * y / self.p0))
            standard = ZERO
            settled = False
            for mid in g.members:
                o = ev.opt[mid]
                rules = ev.params.option_rules[self.feed]
                shift = ev.prices.vol_shifts.get(self.feed, ZERO)
                terms = {"d1": 0, "degenerate": True}
                settled, _, _, unit, _, tv = OM.quote(o.market, data, as_of, shift, "/account", forward=fwd,
                                                      with_greeks=False, terms=terms)
                value, eqv = OM.position_value(rules, o.q, unit)
                mm = ZERO
                if o.q < 0 and not settled:
                    mm = OM.short_requirement(o.market, rules, o.q, y, unit, "/account")[1]
                standard = checked(standard + mm)
                v["opt"][mid] = {"v": unit, "tv": tv, "eqv": eqv, "mm": mm, "settled": settled,
                                 "d1": terms["d1"], "exact": settled or terms["degenerate"],
                                 "delta": delta_range(o.market.is_call, settled, terms, tv)}
            netted = ZERO
            if not settled:
                legs = [(ev.opt[m].market.is_call, OM.raw(ev.opt[m].market.strike), OM.raw(ev.opt[m].q))
                        for m in g.members]
                try:
                    netted = OM.dec(O.max_loss_requirement(legs, OM.raw(fwd),
                                                           ev.params.option_rules[self.feed].rates())[1])
                except O.KernelError as err:
                    raise VError(err.code, "/account", None)
            v["grp"].append({"fwd": fwd, "standard": standard, "netted": netted,
                             "mm": ZERO if settled else min(standard, netted), "settled": settled})
        return v

    def at(self, y: F):
        """(equity, maintenance) of the pool at y, or None."""
        self.evaluations += 1
        v = self.values(y)
        if v is None:
            return None

        def totals():
            eq = checked(self.other_eq + sum(v["coll"], ZERO) + (v["iso"] or ZERO))
            eq = checked(eq + sum((p for p, _ in v["lin"]), ZERO))
            eq = checked(eq + sum((o["eqv"] for o in v["opt"].values()), ZERO))
            mm = checked(self.other_mm + sum((m for _, m in v["lin"]), ZERO))
            mm = checked(mm + sum((g["mm"] for g in v["grp"]), ZERO))
            return eq, mm
        return _valuable(totals)

    def bound(self, a: F, b: F):
        """(a lower bound of the equity, an upper bound of the maintenance)
        over every price in [a, b], or None (no proof). The lines of
        docs/liquidation.md "Pools with options", in exact rationals."""
        self.evaluations += 2
        va, vb = self.values(a), self.values(b)
        if va is None or vb is None:
            return None
        ev = self.ev
        ulp = F(1, SCALE)
        # Items other than options: linear (a weighted profit: concave) as exact
        # functions, so above their chord; computed within 2 ulp of them (a
        # weighted profit's extra rounding: 3).
        items_a = self.other_eq + sum(va["coll"], ZERO) + sum((p for p, _ in va["lin"]), ZERO)
        items_b = self.other_eq + sum(vb["coll"], ZERO) + sum((p for p, _ in vb["lin"]), ZERO)
        if self.iso is not None:
            items_a, items_b = items_a + va["iso"], items_b + vb["iso"]
        weighted = sum(1 for mid in self.linear if ev.pos[mid]["m"].mprofit_weight is not None)
        items_error = 4 * ulp * (len(self.coll) + len(self.linear) + (self.iso is not None)) + 2 * ulp * weighted
        shorts_a = shorts_b = capped = long_a = long_b = rise = fall = rising_a = rising_b = opt_error = ZERO
        mm = self.other_mm + sum((max(x[1], y[1]) for x, y in zip(va["lin"], vb["lin"])), ZERO)
        for gi, g in enumerate(self.groups):
            ga, gb = va["grp"][gi], vb["grp"][gi]
            rules = ev.params.option_rules[self.feed]
            fwd_hi = max(ga["fwd"], gb["fwd"])
            data = ev.prices.option_expiries[self.feed][g.expiry]
            per_index = data.forward / self.p0  # dF/dS
            std_error = ZERO
            for mid in g.members:
                o = ev.opt[mid]
                oa, ob = va["opt"][mid], vb["opt"][mid]
                e = unit_error(fwd_hi, min(ga["fwd"], gb["fwd"]), o.market.strike, min(oa["tv"], ob["tv"]))
                if (oa["exact"] and ob["exact"]) or saturated(oa["d1"], ob["d1"], min(oa["tv"], ob["tv"])):
                    e = F(16, SCALE)  # Phi exactly 0 or 1 across [a, b]: only the final floors remain
                opt_error += 2 * (abs(o.q) * (e + 2 * ulp) + 2 * ulp)
                if o.q < 0 or oa["settled"]:
                    shorts_a, shorts_b = shorts_a + oa["eqv"], shorts_b + ob["eqv"]
                    cap = fwd_hi if o.market.is_call else o.market.strike
                    capped += -oa["eqv"] if oa["settled"] else -o.q * cap
                    if o.q < 0 and not oa["settled"]:
                        times = 1 if o.market.is_call else 2 + rules.rates().c_mark // SCALE
                        std_error += 2 * (-o.q * (e * times + 4 * ulp) + 2 * ulp)
                    continue
                w = rules["long_value_weight"]
                up = w * o.q * F(oa["delta"][0], SCALE) * per_index * (b - a)
                dn = w * o.q * F(ob["delta"][1], SCALE) * per_index * (b - a)
                long_a, long_b, rise, fall = long_a + oa["eqv"], long_b + ob["eqv"], rise + up, fall + dn
                rising_a += oa["eqv"] if o.market.is_call else ob["eqv"] - dn
                rising_b += oa["eqv"] + up if o.market.is_call else ob["eqv"]
            if not ga["settled"]:
                mm += min(max(ga["standard"], gb["standard"]) + std_error, max(ga["netted"], gb["netted"]))
        err = items_error + opt_error
        ca, cb = items_a + shorts_a, items_b + shorts_b
        lines = [(items_a - capped - items_error, items_b - capped - items_error),
                 (ca + long_a - err, cb + long_a + rise - err),
                 (ca + long_b - fall - err, cb + long_b - err),
                 (ca + rising_a - err, cb + rising_b - err)]
        eq = min(lines[0])
        for i in range(len(lines)):
            for j in range(i + 1, len(lines)):
                eq = max(eq, least_of_envelope(*lines[i], *lines[j]))
        return eq, mm


def delta_range(is_call: bool, settled: bool, terms: dict, tv_raw: int):
    """dV/dF of the exact option bracketed, raw: D N(d1) within (2 / tv + 64)
    ulp, clipped to [0, D] (call) or [-D, 0] (put); degenerate: the whole
    range; settled: 0."""
    if settled:
        return 0, 0
    d = terms["discount"]
    shift = 0 if is_call else -d
    if terms["degenerate"]:
        return shift, d + shift
    slack = min(2 * SCALE // max(tv_raw, 1) + 64, d)
    cd = terms["call_delta"]
    return max(cd - slack, 0) + shift, min(cd + slack, d) + shift


def least_of_envelope(l1a: F, l1b: F, l2a: F, l2b: F) -> F:
    """min over t in [0, 1] of max(l1(t), l2(t)) for two lines given at t = 0, 1."""
    least = min(max(l1a, l2a), max(l1b, l2b))
    da, db = l1a - l2a, l1b - l2b
    if (da > 0 > db) or (da < 0 < db):
        least = min(least, l1a + (l1b - l1a) * da / (da - db))
    return least


def saturated(d1a: int, d1b: int, tv_raw: int) -> bool:
    """Whether Phi(d1) and Phi(d1 - tv) are exactly 0 or 1 at every price of
    the interval, computed or exact: d1 at both ends on the same side, beyond
    62 plus d1's own error (2.05 ulp of h - k over tv, and the truncation)."""
    if (d1a < 0) != (d1b < 0):
        return False
    drift = 3 * SCALE // max(tv_raw, 1) + 1
    return min(abs(d1a), abs(d1b)) - 62 * SCALE > drift


def curve_of(ev, pool, feed) -> PoolCurve:
    """One curve per (pool, feed) per evaluation: the searches for the pool's
    positions' prices and its price boundaries share its values and proofs."""
    curves = ev.__dict__.setdefault("_option_curves", {})
    if (pool, feed) not in curves:
        curves[(pool, feed)] = PoolCurve(ev, pool, feed)
    return curves[(pool, feed)]


def search(curve: PoolCurve, tick: F, kind: str, direction: str, budget: int = BUDGET):
    """The side's candidate of §7.1 (or §7.2's for bankruptcy), or None.
    Raises Unresolved when the search spends more than `budget` evaluations."""
    p0 = curve.p0
    below = direction == "below"
    step_dir = -1 if below else 1
    start_at = curve.proven_reach(kind, direction)  # every price up to it is safe
    first = (start_at / tick).__ceil__() - 1 if below else (start_at / tick).__floor__() + 1
    last = 1 if below else (MAX / tick).__floor__()
    if (below and first < last) or (not below and first > last):
        return None
    start = curve.evaluations
    k = first          # the nearest grid index not yet known safe
    safe_end = start_at  # a price known safe, next to k on the mark's side
    step = 2  # an interval first: a proof from the start keeps the reach contiguous
    stop = None        # an unproven interval's far end: no interval crosses it until the search reaches it

    def spend():
        if curve.evaluations - start > budget:
            raise Unresolved(kind)

    while (k >= last) if below else (k <= last):
        if stop is not None and k == stop:
            stop = None
            step = max(step, 2)
        if step == 1:
            r = curve.at(k * tick)
            spend()
            if r is None:
                return None
            if unsafe(kind, *r):
                cand = (k - step_dir) * tick
                return min(cand, p0) if below else max(cand, p0)
            safe_end = k * tick
            k += step_dir
            step = 2
            continue
        room = (k - last + 1) if below else (last - k + 1)
        if stop is not None:
            room = min(room, (k - stop) if below else (stop - k))
        width = min(step, room)
        far = k + step_dir * (width - 1)
        lo, hi = (far * tick, safe_end) if below else (safe_end, far * tick)
        b = curve.bound(lo, hi)
        spend()
        if b is not None and not unsafe(kind, *b):
            curve.prove(kind, direction, safe_end, far * tick)
            safe_end = far * tick
            k = far + step_dir
            if width == step:
                step *= 2
        else:
            stop = k + step_dir * width
            step = max(1, width // 2)
    return None


# --- the brute force: full re-evaluations --------------------------------------

def pool_at_full(ev, pool, feed, q: F):
    """(equity, maintenance) of `pool` re-evaluated in full by model.py with
    feed's mark at q and its expiries' forwards down(forward x q / P0); None
    when it cannot be valued."""
    import model as M
    prices = M.prices_at(ev.prices, feed, q)

    def run():
        e2 = M.Evaluation(ev.params, prices, ev.account)
        for x in e2.pos.values():
            x["value"] = M.value_position(x["m"], x["p"], e2.mark(x["m"].feed), x["premium"], x["mult"])
        _, equity, mm, _ = M._pool_report(e2, pool, M.Derivation())
        return equity, mm
    return _valuable(run)


def brute_force(ev, pool, feed, tick: F, kind: str, direction: str, limit: int):
    """The side's candidate by scanning at most `limit` grid prices outward
    (None: none unsafe among them; "beyond" when the scan did not finish)."""
    p0 = ev.mark(feed)
    below = direction == "below"
    k = (p0 / tick).__ceil__() - 1 if below else (p0 / tick).__floor__() + 1
    for _ in range(limit):
        if below and k < 1:
            return None
        r = pool_at_full(ev, pool, feed, k * tick)
        if r is None:
            return None
        if unsafe(kind, *r):
            cand = (k + 1) * tick if below else (k - 1) * tick
            return min(cand, p0) if below else max(cand, p0)
        k += -1 if below else 1
    return "beyond"
