#!/usr/bin/env python3
"""Cross-checks option_boundaries.search (the interval-bound galloping search
of docs/liquidation.md, "Pools with options") against a brute-force outward
scan of full re-evaluations of the account (option_boundaries.pool_at_full:
model.py's whole evaluation at prices with the mark and the forwards moved),
on vectors with coarse index grids. Every side of every boundary (both
kinds, both sides, every pool and underlying) must agree; a side the scan
does not finish within LIMIT grid prices must be one the search places
beyond them too.

Usage: check_boundaries.py [--limit N] [VECTOR ...]
  (default: the coarse-grid boundary vectors listed in COARSE, and the same
   accounts re-gridded at tick 1000)
"""
from __future__ import annotations

import copy
import json
import pathlib
import sys
import time
from fractions import Fraction as F

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here))

import model as M  # noqa: E402
import option_boundaries as OB  # noqa: E402

VECTORS = here.parent / "vectors" / "options"
# Vectors whose option rules already have a coarse grid, and vectors re-gridded at REGRID.
COARSE = ["boundaries_short_straddle_coarse_tick", "boundaries_short_straddle_margin_call", "boundaries_eth_coarse",
          "boundaries_isolated_inverse_call", "boundaries_isolated_inverse_put"]
REGRID = {"boundaries_short_straddle": "1000", "boundaries_liquidatable": "1000", "boundaries_coin_collateral": "500",
          "boundaries_perp_long_short_call_same_feed": "1000", "boundaries_perp_short_short_put_same_feed": "1000",
          "boundaries_options_other_feed": "50", "boundaries_forward_contango": "500",
          "boundaries_forward_backwardation": "500", "boundaries_settled_with_perp": "1000",
          "boundaries_call_spread_defined_risk": "1000", "boundaries_two_feeds": "1000",
          "boundaries_isolated_linear_call": "1000", "boundaries_long_only_collateral": "2000"}
LIMIT = 400


def evaluation(doc):
    params = M.decode_params(doc["risk_parameters"])
    prices = M.decode_prices(doc["prices"])
    account = M.decode_account(doc["account"])
    ev = M.Evaluation(params, prices, account)
    for x in ev.pos.values():
        x["value"] = M.value_position(x["m"], x["p"], ev.mark(x["m"].feed), x["premium"], x["mult"])
    return ev


def check(name, doc, limit):
    ev = evaluation(doc)
    failures = sides = 0
    found = 0
    pools = ["cross"] + sorted(set(k for k in list(ev.pos) + list(ev.opt)
                                   if (ev.pos[k]["p"].iso if k in ev.pos else ev.opt[k].iso) is not None))
    for pool in pools:
        _, equity, mm, _ = M._pool_report(ev, pool, M.Derivation())
        for feed in sorted({ev.opt[o].market.feed for o in ev.option_members(pool)}):
            tick = ev.params.option_rules[feed]["index_tick_size"]
            curve = OB.PoolCurve(ev, pool, feed)
            for kind in ("liquidation", "bankruptcy"):
                if OB.unsafe(kind, equity, mm):
                    continue
                for side in ("below", "above"):
                    got = OB.search(curve, tick, kind, side, budget=10**6)
                    want = OB.brute_force(ev, pool, feed, tick, kind, side, limit)
                    sides += 1
                    if want == "beyond":
                        # The scan stopped: the search's answer must lie beyond the scanned prices.
                        edge = ev.mark(feed) + (1 if side == "above" else -1) * tick * limit
                        ok = got is None or (got >= edge - tick if side == "above" else got <= edge + tick)
                    else:
                        ok = got == want
                        found += want is not None
                    if not ok:
                        failures += 1
                        print(f"{name}: {pool} {feed} {kind} {side}: search {got}, brute force {want}")
    return sides, failures, found


def main() -> int:
    args = sys.argv[1:]
    limit = LIMIT
    if "--limit" in args:
        i = args.index("--limit")
        limit = int(args[i + 1])
        del args[i:i + 2]
    cases = []
    if args:
        for a in args:
            cases.append((a, json.loads(pathlib.Path(a).read_text())["input"]))
    else:
        for n in COARSE:
            cases.append((n, json.loads((VECTORS / f"{n}.json").read_text())["input"]))
        for n, tick in REGRID.items():
            doc = copy.deepcopy(json.loads((VECTORS / f"{n}.json").read_text())["input"])
            for rules in doc["risk_parameters"]["option_rules"].values():
                rules["index_tick_size"] = tick if F(tick) > F(rules["index_tick_size"]) else rules["index_tick_size"]
            cases.append((f"{n} (tick {tick})", doc))
    start = time.time()
    total = failures = found = 0
    for name, doc in cases:
        s, f, n = check(name, doc, limit)
        total, failures, found = total + s, failures + f, found + n
    print(f"option boundaries: {len(cases)} accounts, {total} sides searched and scanned by full re-evaluation "
          f"(up to {limit} grid prices each; {found} boundaries found by both): {failures} differ ({time.time() - start:.1f} s)")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
