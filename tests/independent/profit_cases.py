"""The conformance cases of profit weights (docs/spec.md §5.10), a rule of
risk model v1.1 (issue 17): Mango's initial and maintenance weights on
positive perp PnL, Binance's "unrealized profit cannot open positions"
(initial weight 0) and Drift's size discount of the profit; with a
maintenance weight, equity (status, liquidation, ADL) counts the weighted
profit too.

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py. Layout: profit/ (reports, what-if, largest order) and
errors/profit/.
"""
from __future__ import annotations

from cases import account, case, doc, params, pos, prices, set_path, usdc
from option_cases import odoc
from portfolio_cases import pdoc


def weighted(weight=None, factor=None, market="BTC-PERP", maintenance=None, p=None):
    paths = {}
    if weight is not None:
        paths[f"markets/{market}/initial_profit_weight"] = weight
    if factor is not None:
        paths[f"markets/{market}/profit_size_factor"] = factor
    if maintenance is not None:
        paths[f"markets/{market}/maintenance_profit_weight"] = maintenance
    if p is None:
        return params(**paths)
    for path, value in paths.items():
        p = set_path(p, path, value)
    return p


def both(weight, market="BTC-PERP", initial=None, p=None):
    """Initial and maintenance profit weights (the initial one `initial`, else the same)."""
    return weighted(weight if initial is None else initial, market=market, maintenance=weight, p=p)


def with_weights(d, weight):
    """An options or portfolio input with BTC-PERP's profit at `weight` in both equities."""
    d["risk_parameters"] = both(weight, p=d["risk_parameters"])
    return d


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

# --- Maintenance profit weights: equity itself counts the weighted profit ------

mcase = pcase
mcase("maintenance_mango", "Mango's 0.95 initial / 0.98 maintenance: a 12000 profit counts 11400 in initial "
      "equity and 11760 in equity", doc(p=both("0.98", initial="0.95"), a=usdc("1000", **LONG_IN_PROFIT)))
mcase("maintenance_liquidatable", "the same account is healthy with the profit in full and liquidatable at "
      "0.9: -10000 + 10800 < 1220 (a plan on the weighted equity)",
      doc(p=both("0.9"), a=usdc("-10000", **LONG_IN_PROFIT)))
mcase("maintenance_bankrupt", "at 0.5 the profit no longer covers the liability: bankrupt, shortfall 4000",
      doc(p=both("0.5"), a=usdc("-10000", **LONG_IN_PROFIT)))
mcase("long_liquidates_above", "weight 0: a long's profit counts nothing, its requirement grows with the price, "
      "so it is liquidated as the price rises (65000, nearer than the loss side at 54899)",
      doc(p=both("0"), a=usdc("1300", **{"BTC-PERP": pos("2", "55000")})))
mcase("long_both_sides", "weight 0.5: the kink at the entry price between a full-weight loss and a half-weight "
      "profit, liquidation below the entry", doc(p=both("0.5"), a=usdc("1500", **{"BTC-PERP": pos("2", "58000")})))
mcase("short_in_profit", "a short's profit at 0.5: liquidated at 63725.4 instead of 64356.4 in full",
      doc(p=both("0.5"), a=usdc("0", **{"BTC-PERP": pos("-2", "65000")})))
mcase("funding_moves_the_kink", "funding of 500 makes a long entered at the mark profitable: the kink sits at "
      "60750, where the PnL with funding is zero",
      doc(p=both("0.5"), a=usdc("1500", **{"BTC-PERP": pos("2", "61000", funding="500")})))
mcase("inverse_short", "an inverse short's profit weighted in equity: liquidation and bankruptcy prices on the "
      "weighted curve", doc(p=both("0.8", market="BTC-USD-INV"),
                            a=account({"BTC": "0.05"}, {"BTC-USD-INV": pos("-500", "65000")})))
mcase("inverse_long", "an inverse long in profit (its coin PnL valued at the mark) weighted at 0.6",
      doc(p=both("0.6", market="BTC-USD-INV"), a=account({"USDC": "-1200"}, {"BTC-USD-INV": pos("300", "55000")})))
mcase("maintenance_isolated", "an isolated position's weighted profit in its own pool's equity",
      doc(p=both("0.5"), a=usdc("1000", **{"BTC-PERP": pos("1", "58000", iso="500")})))
mcase("maintenance_mixed_pool", "a weighted BTC profit, an unweighted ETH short and a SOL loss in one cross pool",
      doc(p=both("0.7"), m=prices(ETH="2900"),
          a=usdc("-6000", **{"BTC-PERP": pos("1", "50000"), "ETH-PERP": pos("-5", "3000"), "SOL-PERP": pos("10", "160")})))
mcase("adl_weighted_equity", "the ADL index divides by the weighted equity",
      doc(p=both("0.5"), a=usdc("500", **{"BTC-PERP": pos("-2", "64000")})))
mcase("maintenance_rounding", "the weighted profit rounds down once, in equity and initial equity",
      doc(p=both("0.333333333333333333"), a=usdc("100", **{"BTC-PERP": pos("0.007", "60000.1")})))
mcase("maintenance_whatif_shock", "BTC -5 %: the profit shrinks and counts at 0.5 at the shocked mark",
      doc(p=both("0.5"), a=usdc("-1600", **LONG_IN_PROFIT), scenario={"shocks": {"BTC-USD": "-0.05"}}))
mcase("beside_options", "a weighted BTC perpetual beside a short BTC call: the pool's prices with the option "
      "curve over the kinked PnL",
      with_weights(odoc({"BTC-PERP": pos("0.5", "58000"), "BTC-25DEC26-60000-C": pos("-1", "4800")},
                        {"USDC": "14000"}), "0.5"))
mcase("beside_options_healthy", "the same book with more collateral: healthy, its liquidation price on the "
      "option curve", with_weights(odoc({"BTC-PERP": pos("0.5", "58000"), "BTC-25DEC26-60000-C": pos("-1", "4800")},
                                        {"USDC": "30000"}), "0.5"))
mcase("portfolio_margin", "portfolio margin: the requirement from the grid, equity with the weighted profit",
      with_weights(pdoc({"BTC-PERP": pos("0.5", "58000")}, {"USDC": "1000"}), "0.5"))
case("max_order/profit_maintenance_weighted", "the largest ETH-PERP buy when BTC profit counts at 0.5 in both "
     "equities", doc(p=both("0.5"), a=usdc("1000", **LONG_IN_PROFIT), query={"market": "ETH-PERP", "side": "buy"}),
     operation="largest_order")

case("errors/profit/maintenance_below_initial", "a maintenance profit weight below the initial one",
     doc(p=weighted("0.9", maintenance="0.8")))
case("errors/profit/maintenance_without_initial", "a maintenance profit weight below 1 without an initial one "
     "(absent: 1)", doc(p=weighted(maintenance="0.9")))
case("errors/profit/maintenance_above_one", "a maintenance profit weight above 1",
     doc(p=weighted("0.9", maintenance="1.000000000000000001")))

# Review of the maintenance weight (2026-11-30): an already-liquidatable pool
# whose equity falls below the kink while its health does not; the
# bankruptcy search's "cannot fall below" proof must use equity's slope.
mcase("bankruptcy_below_the_kink", "a basis trade at Mango's 0.98 (long perpetual, short future), already "
      "liquidatable: equity falls past the long's entry, so bankruptcy is below the mark (59333.4), nearer than "
      "above", doc(p=both("0.98", initial="0.95"),
                   a=usdc("120", **{"BTC-PERP": pos("10", "60000"), "BTC-20261225": pos("-9.82", "60000")})))
mcase("bankruptcy_below_flat_health", "weight 0 and a 95 % rate: health barely moves below the entry while "
      "equity falls; the bankruptcy price is the lower one",
      doc(p=set_path(set_path(set_path(both("0"), "markets/BTC-PERP/tiers", [
          {"max_notional": None, "initial_rate": "1", "maintenance_rate": "0.95"}]),
          "markets/BTC-20261225/tiers", [{"max_notional": None, "initial_rate": "1", "maintenance_rate": "0.95"}]),
          "markets/BTC-PERP/size_premium_factor", "0"),
          m=prices(BTC="100"),
          a=usdc("1", **{"BTC-PERP": pos("2", "99"), "BTC-20261225": pos("-0.1", "100")})))
