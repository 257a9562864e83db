"""The conformance cases of hedge mode (docs/spec.md §3.3, §5.6), a rule of
risk model v1.1 (issue 17): Binance's long and short legs in one market at
once, each with its own entry and its own requirement, in the cross pool.

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py. Layout: hedge/ (reports, what-if, largest order) and
errors/hedge/.
"""
from __future__ import annotations

from cases import case, doc, params, pos
from option_cases import odoc


def hedged(positions, collateral=None, orders=None, mode="hedge"):
    a = {"id": "acct-hedge", "position_mode": mode, "collateral": {"USDC": "10000"} if collateral is None else collateral,
         "positions": positions}
    if orders is not None:
        a["open_orders"] = orders
    return a


def hcase(name, description, d, **extra):
    case(f"hedge/{name}", description, d, **extra)


def order(market, side, quantity, price):
    return {"market": market, "side": side, "quantity": quantity, "price": price}


BOOK = {"BTC-PERP:long": pos("2", "60000"), "BTC-PERP:short": pos("-1.5", "62000"), "ETH-PERP:short": pos("-3", "3100")}

hcase("both_legs", "a BTC long and short leg at once, each with its own entry, PnL and requirement; one "
      "liquidation price for both (the pool moves with BTC, net long 0.5)", doc(a=hedged(BOOK, {"USDC": "2000"})))
hcase("fully_hedged", "equal legs: equity does not move with the price, the legs' requirements grow with it, so "
      "the only liquidation price is above the mark", doc(a=hedged(
          {"BTC-PERP:long": pos("3", "61000"), "BTC-PERP:short": pos("-3", "61000")}, {"USDC": "5000"})))
hcase("each_leg_its_tier", "each leg is tiered on its own notional: two legs of 200000 stay in the first tier "
      "where one 400000 position would not", doc(a=hedged(
          {"BTC-PERP:long": pos("3.3", "60000"), "BTC-PERP:short": pos("-3.2", "61500")}, {"USDC": "9000"})))
hcase("one_leg", "a hedge-mode account holding only a short leg", doc(a=hedged(
    {"BTC-PERP:short": pos("-1", "60000")}, {"USDC": "3000"})))
hcase("liquidation_plan", "a liquidatable hedged pool: the plan reduces legs in descending maintenance margin, "
      "each step keyed by its leg", doc(a=hedged(
          {"BTC-PERP:long": pos("4", "63000"), "BTC-PERP:short": pos("-2", "60000"), "ETH-PERP:long": pos("10", "3000")},
          {"USDC": "14000"})))
hcase("inverse_legs", "inverse legs (coin-margined): long and short contracts with their own entries",
      doc(a=hedged({"BTC-USD-INV:long": pos("500", "58000"), "BTC-USD-INV:short": pos("-300", "64000")},
                   {"BTC": "0.1"})))
hcase("funding_per_leg", "pending funding on each leg", doc(a=hedged(
    {"BTC-PERP:long": pos("1", "60000", funding="-25"), "BTC-PERP:short": pos("-1", "61000", funding="30")},
    {"USDC": "1000"})))
hcase("open_orders", "bids fill the long leg and asks the short one: the asks' side adds IM(short leg + 1) - "
      "IM(short leg)", doc(a=hedged(BOOK, {"USDC": "8000"},
                                    [order("BTC-PERP", "sell", "1", "61500"), order("BTC-PERP", "buy", "0.5", "60500")])))
hcase("profit_weights", "hedge legs in a market that weighs profit: each leg's profit weighted on its own",
      doc(p=params(**{"markets/BTC-PERP/initial_profit_weight": "0.5",
                      "markets/BTC-PERP/maintenance_profit_weight": "0.8"}),
          a=hedged({"BTC-PERP:long": pos("2", "58000"), "BTC-PERP:short": pos("-2", "63000")}, {"USDC": "500"})))
hcase("whatif_open_short", "a what-if sell opens a short leg beside the long one (Binance's open short)",
      doc(a=hedged({"BTC-PERP:long": pos("1", "60000")}, {"USDC": "5000"}),
          scenario={"orders": [{"market": "BTC-PERP", "quantity": "-0.5"}]}))
hcase("whatif_add_long", "a what-if buy adds to the long leg at an averaged entry (rounded up), the short leg "
      "untouched", doc(a=hedged(BOOK, {"USDC": "5000"}),
                       scenario={"orders": [{"market": "BTC-PERP", "quantity": "0.7", "price": "61234.5"}],
                                 "shocks": {"BTC-USD": "-0.03"}}))
def in_hedge_mode(d):
    d["account"]["position_mode"] = "hedge"
    return d


hcase("with_options", "option positions keep their market id as key in a hedge-mode account",
      in_hedge_mode(odoc({"BTC-PERP:long": pos("0.5", "60000"), "BTC-PERP:short": pos("-0.5", "61000"),
                          "BTC-25DEC26-60000-C": pos("-1", "4800")}, {"USDC": "30000"})))
case("max_order/hedge_sell", "the largest BTC-PERP sell in a hedge-mode account: it opens the short leg, so "
     "nothing of it reduces the long leg", doc(a=hedged({"BTC-PERP:long": pos("1", "60000")}, {"USDC": "3000"}),
                                              query={"market": "BTC-PERP", "side": "sell"}),
     operation="largest_order")

case("errors/hedge/unknown_mode", "an unknown position mode",
     doc(a=hedged({"BTC-PERP": pos("1", "60000")}, mode="dual")))
case("errors/hedge/long_leg_negative", "a long leg with a negative quantity",
     doc(a=hedged({"BTC-PERP:long": pos("-1", "60000")})))
case("errors/hedge/short_leg_positive", "a short leg with a positive quantity",
     doc(a=hedged({"BTC-PERP:short": pos("1", "60000")})))
case("errors/hedge/isolated_leg", "a hedge leg with an isolated margin",
     doc(a=hedged({"BTC-PERP:long": pos("1", "60000", iso="1000")})))
case("errors/hedge/net_position", "a position without a leg in a hedge-mode account",
     doc(a=hedged({"BTC-PERP": pos("1", "60000"), "ETH-PERP:long": pos("1", "3000")})))
case("errors/hedge/unknown_market_leg", "a leg of a market that does not exist",
     doc(a=hedged({"DOGE-PERP:long": pos("1", "0.1")})))
case("errors/hedge/leg_in_one_way", "a leg key in a one-way account names no market",
     doc(a=hedged({"BTC-PERP:long": pos("1", "60000")}, mode="one_way")))


def portfolio_hedge(positions):
    from portfolio_cases import pdoc
    return in_hedge_mode(pdoc(positions, {"USDC": "50000"}))


hcase("portfolio_margin", "hedge legs in a portfolio-margin pool: the grid revalues both legs in every scenario",
      portfolio_hedge({"BTC-PERP:long": pos("1", "60000"), "BTC-PERP:short": pos("-0.4", "62000")}))
case("errors/hedge/portfolio_inverse_leg", "an inverse leg in a portfolio-margin pool is named by its key",
     portfolio_hedge({"BTC-PERP:long": pos("1", "60000"), "BTC-USD-INV:long": pos("100", "60000")}))
