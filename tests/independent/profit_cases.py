"""The conformance cases of profit in initial equity (docs/spec.md §5.10), a
rule of risk model v1.1 (issue 17): Mango's initial weight on positive perp
PnL, Binance's "unrealized profit cannot open positions" (weight 0) and
Drift's size discount of the profit.

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py. Layout: profit/ (reports, what-if, largest order) and
errors/profit/.
"""
from __future__ import annotations

from cases import account, case, doc, params, pos, prices, usdc


def weighted(weight=None, factor=None, market="BTC-PERP"):
    paths = {}
    if weight is not None:
        paths[f"markets/{market}/initial_profit_weight"] = weight
    if factor is not None:
        paths[f"markets/{market}/profit_size_factor"] = factor
    return params(**paths)


def pcase(name, description, d, **extra):
    case(f"profit/{name}", description, d, **extra)


LONG_IN_PROFIT = {"BTC-PERP": pos("2", "55000")}  # +12000 at 61000

pcase("mango_weight", "Mango's 0.95: a 12000 profit counts 11400 in initial equity, in full in equity",
      doc(p=weighted("0.95"), a=usdc("1000", **LONG_IN_PROFIT)))
pcase("binance_no_profit", "weight 0: unrealized profit cannot open positions (free collateral from collateral "
      "only)", doc(p=weighted("0"), a=usdc("1000", **LONG_IN_PROFIT)))
pcase("loss_in_full", "a loss counts in full whatever the weight",
      doc(p=weighted("0.5"), a=usdc("5000", **{"BTC-PERP": pos("2", "62000.5")})))
pcase("drift_size_discount", "Drift's size discount of the profit: min(1, 1.1 / (1 + 0.001 x sqrt(12000)))",
      doc(p=weighted(factor="0.001"), a=usdc("1000", **LONG_IN_PROFIT)))
pcase("weight_and_discount", "the smaller of the weight and the size discount",
      doc(p=weighted("0.99", "0.0002"), a=usdc("1000", **{"BTC-PERP": pos("20", "50000.3")})))
pcase("rounding", "the weighted profit rounds down once",
      doc(p=weighted("0.333333333333333333"), a=usdc("1000", **{"BTC-PERP": pos("0.007", "60000.1")})))
pcase("mixed_pool", "a weighted profit, an unweighted market's profit and a loss in one cross pool",
      doc(p=weighted("0.9"), m=prices(ETH="2900"),
          a=usdc("1000", **{"BTC-PERP": pos("1", "58000"), "ETH-PERP": pos("-5", "3000"), "SOL-PERP": pos("10", "160")})))
pcase("isolated", "an isolated position's profit weighted in its own pool's initial equity",
      doc(p=weighted("0.5"), a=usdc("1000", **{"BTC-PERP": pos("1", "58000", iso="2000")})))
pcase("inverse", "an inverse perpetual's profit (valuation currency) weighted",
      doc(p=weighted("0.8", market="BTC-USD-INV"), a=account({"BTC": "1"}, {"BTC-USD-INV": pos("-500", "65000")})))
pcase("liquidation_unchanged", "equity, maintenance, status and liquidation prices ignore the weight",
      doc(p=weighted("0"), a=usdc("10", **{"BTC-PERP": pos("-1", "61500")})))
pcase("whatif_shock", "BTC +5 %: more profit, weighted at the shocked mark",
      doc(p=weighted("0.5"), a=usdc("1000", **LONG_IN_PROFIT), scenario={"shocks": {"BTC-USD": "0.05"}}))
case("max_order/profit_weighted", "the largest ETH-PERP buy when BTC profit counts at 0.5 in initial equity",
     doc(p=weighted("0.5"), a=usdc("1000", **LONG_IN_PROFIT), query={"market": "ETH-PERP", "side": "buy"}),
     operation="largest_order")

case("errors/profit/weight_above_one", "an initial profit weight above 1", doc(p=weighted("1.01")))
case("errors/profit/weight_negative", "a negative initial profit weight", doc(p=weighted("-0.1")))
case("errors/profit/size_factor_negative", "a negative profit size factor", doc(p=weighted(factor="-0.001")))
