"""The conformance cases of open orders (docs/spec.md §5.9), a rule of risk
model v1.1 (issue 17): resting limit orders counted in the initial margin
as if every order of one side filled, the worse side per pool.

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py. Layout:
  orders/         reports: each side, fill losses, reduce-only, tiers, pools,
                  inverse markets, open interest, what-if, largest order
  errors/orders/  one rejection rule per file
"""
from __future__ import annotations

from cases import account, case, doc, feed, params, pos, prices, usdc
from portfolio_cases import pdoc
from totals_cases import oi_params, with_totals


def order(market, side, q, price, reduce_only=None):
    o = {"market": market, "side": side, "quantity": q, "price": price}
    if reduce_only is not None:
        o["reduce_only"] = reduce_only
    return o


def with_orders(a, *orders):
    a["open_orders"] = list(orders)
    return a


def ocase(name, description, d, **extra):
    case(f"orders/{name}", description, d, **extra)


def oerror(name, description, d, **extra):
    case(f"errors/orders/{name}", description, d, **extra)


BTC1 = {"BTC-PERP": pos("1", "60000")}

ocase("buy_opens_long", "a flat account with a BTC-PERP bid below the mark: the bid side adds the margin of "
      "1 BTC (1220), no loss",
      doc(a=with_orders(usdc("10000"), order("BTC-PERP", "buy", "1", "60000"))))
ocase("buy_above_mark_loses", "a bid above the mark would fill at a loss: (62000 - 61000) x 1 is added",
      doc(a=with_orders(usdc("10000"), order("BTC-PERP", "buy", "1", "62000"))))
ocase("sell_below_mark_loses", "an ask below the mark: its loss (61000 - 60500) x 2 plus the short's margin",
      doc(a=with_orders(usdc("10000"), order("BTC-PERP", "sell", "2", "60500"))))
ocase("sell_reducing_long", "asks that only reduce a long lower the requirement: the ask side adds 0",
      doc(a=with_orders(usdc("10000", **{"BTC-PERP": pos("2", "60000")}), order("BTC-PERP", "sell", "1", "63000"))))
ocase("sell_flipping_long", "an ask larger than the long flips it short: IM(-1) - IM(2) < 0 adds 0",
      doc(a=with_orders(usdc("10000", **{"BTC-PERP": pos("2", "60000")}), order("BTC-PERP", "sell", "3", "63000"))))
ocase("both_sides_worse_one", "bids and asks on a long: the worse side is taken",
      doc(a=with_orders(usdc("50000", **BTC1), order("BTC-PERP", "buy", "2", "59000"),
                        order("BTC-PERP", "sell", "5", "64000"), order("BTC-PERP", "buy", "0.5", "58000"))))
ocase("reduce_only_ignored", "reduce-only orders are never counted, even on the side that would open",
      doc(a=with_orders(usdc("10000", **BTC1), order("BTC-PERP", "buy", "3", "60000", reduce_only=True),
                        order("BTC-PERP", "sell", "1", "62000", reduce_only=True))))
ocase("reduce_only_false", "reduce_only false is an ordinary order",
      doc(a=with_orders(usdc("10000"), order("ETH-PERP", "sell", "4", "3100", reduce_only=False))))
ocase("tier_crossing", "bids that carry a position into BTC-PERP's second tier: IM(q + fill) - IM(q) with the "
      "tier's rate and amount",
      doc(a=with_orders(usdc("200000", **{"BTC-PERP": pos("3", "60000")}), order("BTC-PERP", "buy", "2", "60000"))))
ocase("size_premium_and_volatility", "the filled position's size premium and volatility multiplier",
      doc(m=prices(BTC=feed("61000", volatility="0.9")),
          a=with_orders(usdc("2000000", **{"BTC-PERP": pos("10", "60000")}), order("BTC-PERP", "buy", "30", "60000"))))
ocase("markets_summed_per_side", "bids in two markets add up; the asks side is compared with their sum",
      doc(a=with_orders(usdc("50000"), order("BTC-PERP", "buy", "1", "60000"), order("ETH-PERP", "buy", "10", "2900"),
                        order("SOL-PERP", "sell", "100", "150.5"))))
ocase("isolated_pool", "an order in the market of an isolated position lands in that pool; the cross pool's "
      "orders are separate",
      doc(a=with_orders(usdc("10000", **{"BTC-PERP": pos("1", "60000", iso="5000")}),
                        order("BTC-PERP", "buy", "1", "61500"), order("SOL-PERP", "buy", "10", "149"))))
ocase("inverse", "an ask in the inverse perpetual: contracts, the fill loss valued at the mark",
      doc(a=with_orders(account({"BTC": "10"}, {"BTC-USD-INV": pos("-500", "60000")}),
                        order("BTC-USD-INV", "sell", "1000", "60500"), order("BTC-USD-INV", "buy", "200", "62000"))))
ocase("future", "a bid in a dated future", doc(a=with_orders(usdc("10000"), order("BTC-20261225", "buy", "0.5", "61000"))))
ocase("open_interest_margin", "an order in a market scaled by open interest: the filled position's margin "
      "includes the open interest margin",
      doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": "600"}),
          a=with_orders(usdc("100000"), order("BTC-PERP", "buy", "1", "60000"))))
ocase("no_free_collateral_status_unchanged", "orders larger than the free collateral: free collateral 0; "
      "maintenance, status and liquidation prices as without them",
      doc(a=with_orders(usdc("3000", **BTC1), order("BTC-PERP", "buy", "10", "60000"))))
ocase("empty_list", "an empty open_orders list: no field, the report of an account without orders",
      doc(a=with_orders(usdc("10000", **BTC1))))
ocase("whatif_shock", "BTC -10 %: the orders are valued at the shocked mark, the bid above it now loses",
      doc(a=with_orders(usdc("10000"), order("BTC-PERP", "buy", "1", "56000")), scenario={"shocks": {"BTC-USD": "-0.1"}}))
ocase("whatif_order_fills_position", "a what-if order opens the position the resting bids then add to",
      doc(a=with_orders(usdc("20000"), order("SOL-PERP", "buy", "50", "148")),
          scenario={"orders": [{"market": "SOL-PERP", "quantity": "20"}]}))
case("max_order/with_open_orders", "the largest BTC-PERP buy with resting asks and bids: every trial counts them",
     doc(a=with_orders(usdc("20000"), order("BTC-PERP", "buy", "0.5", "60000"), order("ETH-PERP", "sell", "3", "3050")),
         query={"market": "BTC-PERP", "side": "buy"}), operation="largest_order")

oerror("not_array", "open_orders given as an object", doc(a={**usdc("1"), "open_orders": {}}),
       message='"open_orders" must be a JSON array, found an object')
oerror("side_unknown", "an order side that is neither buy nor sell",
       doc(a=with_orders(usdc("1"), order("BTC-PERP", "long", "1", "60000"))))
oerror("quantity_zero", "an order of zero size", doc(a=with_orders(usdc("1"), order("BTC-PERP", "buy", "0", "60000"))))
oerror("price_negative", "a negative limit price",
       doc(a=with_orders(usdc("1"), order("BTC-PERP", "buy", "1", "60000"), order("ETH-PERP", "sell", "1", "-1"))))
oerror("market_empty", "an order naming no market", doc(a=with_orders(usdc("1"), order("", "buy", "1", "1"))))
oerror("reduce_only_not_boolean", "reduce_only given as a string",
       doc(a=with_orders(usdc("1"), order("BTC-PERP", "buy", "1", "60000", reduce_only="yes"))),
       message='"reduce_only" must be true or false, found "yes"')
oerror("unknown_field", "an order with a field the format does not have",
       doc(a=with_orders(usdc("1"), {**order("BTC-PERP", "buy", "1", "60000"), "post_only": True})))
oerror("unknown_market", "an order in a market the parameters do not define",
       doc(a=with_orders(usdc("1"), order("DOGE-PERP", "buy", "1", "0.1"))))
oerror("missing_price", "an order in a market whose feed has no price",
       doc(m=prices(SOL=None), a=with_orders(usdc("1"), order("SOL-PERP", "buy", "1", "150"))))
oerror("expired_future", "an order resting in an expired future",
       doc(m=prices(as_of=1798185600000), a=with_orders(usdc("1"), order("BTC-20261225", "buy", "1", "60000"))))
oerror("open_interest_missing", "an order in a market scaled by open interest, and none given",
       doc(p=oi_params(), a=with_orders(usdc("1"), order("BTC-PERP", "buy", "1", "60000", reduce_only=True))))
def _option_account(mode):
    d = pdoc({"BTC-25DEC26-60000-C": pos("1", "2500")}, mode=mode)
    with_orders(d["account"], order("BTC-25DEC26-60000-C" if mode is None else "BTC-PERP", "buy", "1", "2400"))
    return d


oerror("option_market", "an order in an option market", _option_account(None))
oerror("portfolio_margin", "open orders in a portfolio-margin account", _option_account("portfolio"))
