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
- `search`: the interval-bound galloping search of docs/liquidation.md
  "Pools with options", written from that text. On an interval [a, b] of
  prices, every item of the pool that depends on F is monotone in the price
  (or, for an option, in its value V, itself within an error `e` of a
  monotone exact Black-76 value), so the pool's equity over [a, b] is at
  least the items' values at the ends combined in their worst way, and its
  maintenance at most; when that bound is not unsafe, no grid price inside
  is. The bounds here are this model's own:
    * collateral, PnL and coin margin values are monotone *as computed*
      (down() of a linear function), so their minimum over [a, b] is at an
      end, with no error term;
    * a linear position's maintenance is monotone as computed (linear
      markets: a non-decreasing continuous tier function of up(|q| x P);
      inverse markets: non-increasing in P), so its maximum is at an end;
    * an option's computed per-unit value V(y) is within e of the exact
      Black-76 value on the same total volatility, discount and forward,
      which is monotone in the forward, itself non-decreasing in y; so
      V(y) lies in [min(V(a), V(b)) - 2e, max(V(a), V(b)) + 2e], e taken at
      the larger forward (the text's |q| (F + K)(2/tv + 60) 10^-18 + 16 ulp
      per |q|, plus the spec's 2 ulp (1 + K/F) for small forwards). The
      value, the equity value and a short's maintenance are monotone
      functions of (V, index) as computed, so they are evaluated at the
      worst V of that range and the worst index;
    * a group's netted requirement grows with the forward: its value at b
      (the max of both ends is taken).
  The search counts evaluations as §13.5 does (a point one, an interval
  two) and gives up after 512 with liquidation_price_unresolved, like the
  engine; the vectors avoid pools that need it.
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
                other_eq += v.pnl
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
            v["lin"].append((pv.pnl, pv.mm))
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
                                 "d1": terms["d1"], "exact": settled or terms["degenerate"]}
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
        over every price in [a, b], or None (no proof)."""
        self.evaluations += 2
        va, vb = self.values(a), self.values(b)
        if va is None or vb is None:
            return None
        ev = self.ev
        eq = self.other_eq + sum((min(x, y) for x, y in zip(va["coll"], vb["coll"])), ZERO)
        if self.iso is not None:
            eq += min(va["iso"], vb["iso"])
        eq += sum((min(x[0], y[0]) for x, y in zip(va["lin"], vb["lin"])), ZERO)
        mm = self.other_mm + sum((max(x[1], y[1]) for x, y in zip(va["lin"], vb["lin"])), ZERO)
        for gi, g in enumerate(self.groups):
            ga, gb = va["grp"][gi], vb["grp"][gi]
            rules = ev.params.option_rules[self.feed]
            standard = ZERO
            for mid in g.members:
                o = ev.opt[mid]
                oa, ob = va["opt"][mid], vb["opt"][mid]
                if oa["settled"]:  # a settled option's value does not move
                    eq += oa["eqv"]
                    continue
                e = unit_error(max(ga["fwd"], gb["fwd"]), min(ga["fwd"], gb["fwd"]), o.market.strike,
                               min(oa["tv"], ob["tv"]))
                if (oa["exact"] and ob["exact"]) or saturated(oa["d1"], ob["d1"], min(oa["tv"], ob["tv"])):
                    e = F(16, SCALE)  # Phi exactly 0 or 1 across [a, b]: only the final floors remain
                # The program's V is never negative (§12.1: max(c, 0), the put's parity clamp).
                v_lo, v_hi = max(min(oa["v"], ob["v"]) - 2 * e, ZERO), max(oa["v"], ob["v"]) + 2 * e
                try:
                    eq += OM.position_value(rules, o.q, v_lo if o.q > 0 else v_hi)[1]
                    if o.q < 0:
                        standard += OM.short_requirement(o.market, rules, o.q, max(a, b), v_hi, "/account")[1]
                except (Overflow, VError):
                    return None
            if not ga["settled"]:
                mm += min(standard, max(ga["netted"], gb["netted"]))
        return eq, mm


def saturated(d1a: int, d1b: int, tv_raw: int) -> bool:
    """Whether Phi(d1) and Phi(d1 - tv) are exactly 0 or 1 at every price of
    the interval, computed or exact: d1 at both ends on the same side, beyond
    62 plus d1's own error (2.05 ulp of h - k over tv, and the truncation)."""
    if (d1a < 0) != (d1b < 0):
        return False
    drift = 3 * SCALE // max(tv_raw, 1) + 1
    return min(abs(d1a), abs(d1b)) - 62 * SCALE > drift


def search(curve: PoolCurve, tick: F, kind: str, direction: str, budget: int = BUDGET):
    """The side's candidate of §7.1 (or §7.2's for bankruptcy), or None.
    Raises Unresolved when the search spends more than `budget` evaluations."""
    p0 = curve.p0
    below = direction == "below"
    step_dir = -1 if below else 1
    first = (p0 / tick).__ceil__() - 1 if below else (p0 / tick).__floor__() + 1
    last = 1 if below else (MAX / tick).__floor__()
    if (below and first < last) or (not below and first > last):
        return None
    start = curve.evaluations
    k = first          # the nearest grid index not yet known safe
    safe_end = p0      # a price known safe, next to k on the mark's side
    step = 1
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
    p0 = ev.mark(feed)
    feeds = {k: (replace(v, mark=q) if k == feed else v) for k, v in ev.prices.feeds.items()}
    expiries = {f: ({e: replace(x, forward=down(x.forward * q / p0)) for e, x in m.items()} if f == feed else m)
                for f, m in ev.prices.option_expiries.items()}
    prices = M.Prices(ev.prices.as_of, feeds, expiries, ev.prices.vol_shifts)

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
