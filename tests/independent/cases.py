"""The conformance cases of risk model v1 (docs/spec.md). Each case names its
inputs; make_vectors.py derives the expected output with model.py. Error
messages that model.py does not derive (the JSON parser's, type errors,
decimal syntax, overflow, some tier-table rules) are written here by hand
from docs/spec.md and docs/errors.md.

Layout of the vectors:
  margin/     values: every product, formula, tier edge and status boundary
  collateral/ multi-asset collateral: weights, size, volatility, liabilities
  isolated/   isolated pools
  liquidation/ liquidation and bankruptcy prices, plans, shortfall, ADL
  whatif/     scenarios (shocks, collateral changes, orders)
  max_order/  the largest order (operation "largest_order")
  errors/     one rejection rule per file
  totals/, orders/, profit/: risk model v1.1 (totals_cases.py, orders_cases.py,
              profit_cases.py)
"""
from __future__ import annotations

import copy
import json

AS_OF = 1795521600000          # 2026-11-24T12:00:00Z
BTC_FUTURE_EXPIRY = 1798185600000  # 2026-12-25T08:00:00Z
ETH_FUTURE_EXPIRY = 1806048000000  # 2027-03-26T08:00:00Z


def tier(cap, ri, rm, ai="0", am="0"):
    return {"max_notional": cap, "initial_rate": ri, "maintenance_rate": rm,
            "initial_amount": ai, "maintenance_amount": am}


def published_tier(cap, ri, rm):
    """A tier as venues publish it: bounds and rates, the amounts left out (spec §3.1)."""
    return {"max_notional": cap, "initial_rate": ri, "maintenance_rate": rm}


def _base_params():
    pegged = {"feed": None, "initial_weight": "1", "maintenance_weight": "1",
              "initial_liability_weight": "1", "maintenance_liability_weight": "1",
              "size_factor": "0", "volatility_haircut": "0"}
    return {
        "version": 12,
        "margin_call_ratio": "1.25",
        "liquidation_buffer_ratio": "0.02",
        "assets": {
            "USDC": pegged,
            "USDT": {"feed": None, "initial_weight": "0.95", "maintenance_weight": "0.98",
                     "initial_liability_weight": "1.05", "maintenance_liability_weight": "1.02",
                     "size_factor": "0", "volatility_haircut": "0"},
            "BTC": {"feed": "BTC-USD", "initial_weight": "0.8", "maintenance_weight": "0.9",
                    "initial_liability_weight": "1.25", "maintenance_liability_weight": "1.1",
                    "size_factor": "0.0001", "volatility_haircut": "0.05"},
            "ETH": {"feed": "ETH-USD", "initial_weight": "0.75", "maintenance_weight": "0.85",
                    "initial_liability_weight": "1.3", "maintenance_liability_weight": "1.15",
                    "size_factor": "0.0002", "volatility_haircut": "0.1"},
        },
        "feeds": {
            "BTC-USD": {"volatility_reference": "0.6", "max_volatility_multiplier": "2"},
            "ETH-USD": {"volatility_reference": "0.8", "max_volatility_multiplier": "2.5"},
        },
        "markets": {
            "BTC-PERP": {
                "kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC",
                "tick_size": "0.1", "lot_size": "0.001",
                "tiers": [tier("250000", "0.02", "0.01"),
                          tier("1000000", "0.04", "0.02", "5000", "2500"),
                          tier(None, "0.1", "0.05", "65000", "32500")],
                "size_premium_factor": "0.0005", "liquidation_fee_rate": "0.005"},
            "ETH-PERP": {
                "kind": "linear_perpetual", "feed": "ETH-USD", "settlement_asset": "USDC",
                "tick_size": "0.01", "lot_size": "0.01",
                "tiers": [tier("100000", "0.025", "0.0125"),
                          tier(None, "0.05", "0.025", "2500", "1250")],
                "size_premium_factor": "0", "liquidation_fee_rate": "0.005"},
            "SOL-PERP": {
                "kind": "linear_perpetual", "feed": "SOL-USD", "settlement_asset": "USDC",
                "tick_size": "0.001", "lot_size": "0.1",
                "tiers": [tier(None, "0.1", "0.05")],
                "size_premium_factor": "0", "liquidation_fee_rate": "0"},
            "BTC-USD-INV": {
                "kind": "inverse_perpetual", "feed": "BTC-USD", "settlement_asset": "BTC", "contract_size": "100",
                "tick_size": "0.5", "lot_size": "1",
                "tiers": [tier("5", "0.02", "0.01"), tier(None, "0.05", "0.025", "0.15", "0.075")],
                "size_premium_factor": "0", "liquidation_fee_rate": "0.004"},
            "BTC-20261225": {
                "kind": "linear_future", "feed": "BTC-USD", "settlement_asset": "USDC",
                "expiry": BTC_FUTURE_EXPIRY, "tick_size": "0.1", "lot_size": "0.001",
                "tiers": [tier(None, "0.05", "0.025")],
                "size_premium_factor": "0", "liquidation_fee_rate": "0.01"},
            "ETH-USD-20270326": {
                "kind": "inverse_future", "feed": "ETH-USD", "settlement_asset": "ETH", "contract_size": "10",
                "expiry": ETH_FUTURE_EXPIRY, "tick_size": "0.05", "lot_size": "1",
                "tiers": [tier("50", "0.04", "0.02"), tier(None, "0.08", "0.04", "2", "1")],
                "size_premium_factor": "0.001", "liquidation_fee_rate": "0.01"},
        },
    }


def set_path(d, path, value):
    """A copy of d with the value at a '/'-separated path replaced (_DELETE deletes)."""
    d = copy.deepcopy(d)
    keys = path.split("/")
    cur = d
    for k in keys[:-1]:
        cur = cur[int(k)] if isinstance(cur, list) else cur[k]
    last = int(keys[-1]) if isinstance(cur, list) else keys[-1]
    if value is _DELETE:
        del cur[last]
    else:
        cur[last] = value
    return d


_DELETE = object()


def params(**paths):
    """The base parameters with values replaced by path: params(**{"markets/SOL-PERP/lot_size": "1"})."""
    p = _base_params()
    for path, value in paths.items():
        p = set_path(p, path, value)
    return p


def feed(mark, stable=None, volatility=None):
    f = {"mark": mark}
    if stable is not None:
        f["stable"] = stable
    if volatility is not None:
        f["volatility"] = volatility
    return f


def prices(as_of=AS_OF, **feeds):
    """Marks BTC 61000, ETH 3000, SOL 150 (no stable, no volatility) unless overridden:
    prices(BTC=feed("60000", volatility="0.7")) or prices(SOL="99.5")."""
    base = {"BTC": feed("61000"), "ETH": feed("3000"), "SOL": feed("150")}
    for k, v in feeds.items():
        base[k] = feed(v) if isinstance(v, str) else v
    return {"as_of": as_of, "feeds": {f"{k}-USD": v for k, v in base.items() if v is not None}}


def pos(q, entry, funding=None, iso=None):
    p = {"quantity": q, "entry_price": entry}
    if funding is not None:
        p["pending_funding"] = funding
    if iso is not None:
        p["isolated_margin"] = iso
    return p


def account(collateral=None, positions=None, id="acct-1"):
    return {"id": id, "collateral": {"USDC": "10000"} if collateral is None else collateral,
            "positions": {} if positions is None else positions}


def doc(p=None, m=None, a=None, scenario=None, query=None):
    d = {"risk_parameters": params() if p is None else p,
         "prices": prices() if m is None else m,
         "account": account() if a is None else a}
    if scenario is not None:
        d["scenario"] = scenario
    if query is not None:
        d["query"] = query
    return d


CASES = []


def case(name, description, input=None, input_text=None, **extra):
    c = {"name": name, "description": description}
    if input_text is not None:
        c["input_text"] = input_text
    else:
        c["input"] = input
    c.update(extra)
    CASES.append(c)


def usdc(amount, **positions):
    return account({"USDC": amount}, positions)


# ============================================================================
# margin/: products, tiers, premium, volatility, funding, status boundaries
# ============================================================================

case("margin/empty_account", "no collateral and no positions: healthy, no ratio",
     doc(a=account({})))
case("margin/collateral_only", "a stablecoin balance and nothing else", doc())
case("margin/negative_balance_only", "a debt and nothing else is bankrupt",
     doc(a=account({"USDC": "-5"})))

# Each product, long and short.
case("margin/linear_perpetual_long", "a long linear perpetual in profit",
     doc(a=usdc("10000", **{"BTC-PERP": pos("0.5", "60000")})))
case("margin/linear_perpetual_short", "a short linear perpetual in loss",
     doc(m=prices(BTC="61000.25"), a=usdc("5000", **{"BTC-PERP": pos("-0.25", "58000.5")})))
case("margin/inverse_perpetual_long", "a long inverse perpetual: PnL S x (P - E) / E valued at the mark",
     doc(a=account({"BTC": "1"}, {"BTC-USD-INV": pos("300", "60000")})))
case("margin/inverse_perpetual_short", "a short inverse perpetual in loss, the PnL rounded down once",
     doc(m=prices(BTC="61234.5"), a=account({"BTC": "1"}, {"BTC-USD-INV": pos("-250", "59999.5")})))
case("margin/linear_future_long", "a long linear future before its expiry",
     doc(a=usdc("5000", **{"BTC-20261225": pos("0.2", "60000")})))
case("margin/linear_future_short", "a short linear future",
     doc(a=usdc("5000", **{"BTC-20261225": pos("-0.75", "62000.1")})))
case("margin/inverse_future_long", "a long inverse future (size premium on)",
     doc(a=account({"ETH": "10"}, {"ETH-USD-20270326": pos("200", "2900")})))
case("margin/inverse_future_short", "a short inverse future (size premium on)",
     doc(a=account({"ETH": "10", "USDC": "1000"}, {"ETH-USD-20270326": pos("-350", "3100")})))
case("margin/future_one_ms_before_expiry", "a future evaluated one millisecond before its expiry",
     doc(m=prices(as_of=BTC_FUTURE_EXPIRY - 1), a=usdc("5000", **{"BTC-20261225": pos("0.2", "60000")})))
case("margin/all_products", "every product in one cross pool",
     doc(a=account({"USDC": "20000", "BTC": "0.5", "ETH": "5"},
                   {"BTC-PERP": pos("1.5", "58000"), "ETH-PERP": pos("-20", "3100"),
                    "SOL-PERP": pos("100", "140.5"), "BTC-USD-INV": pos("-500", "62000"),
                    "BTC-20261225": pos("0.2", "60000"), "ETH-USD-20270326": pos("40", "2950")})))

# Rounding at the 18th digit.
case("margin/rounding_long", "notional rounds up and a long's PnL rounds down",
     doc(m=prices(SOL="133.333333333333333333"), a=usdc("100", **{"SOL-PERP": pos("0.3", "100")})))
case("margin/rounding_short", "a short's loss rounds down (to the larger loss)",
     doc(m=prices(SOL="133.333333333333333333"), a=usdc("100", **{"SOL-PERP": pos("-0.3", "100")})))
case("margin/rounding_inverse_pnl", "the inverse PnL S x (P - E) / E is not terminating: rounded down",
     doc(m=prices(BTC="61000"), a=account({"BTC": "1"}, {"BTC-USD-INV": pos("7", "60000.3")})))
case("margin/rounding_requirement_dust", "a requirement of 5e-20 rounds up to 1e-18",
     doc(m=prices(SOL="0.000000001"), a=usdc("1", **{"SOL-PERP": pos("0.000000001", "0.000000001")})))
case("margin/dust_ratio_saturates", "a dust requirement makes equity / maintenance saturate at the maximum",
     doc(m=prices(SOL="0.000000001"), a=usdc("1000", **{"SOL-PERP": pos("0.000000001", "0.000000001")})))
case("margin/smallest_quantity", "the smallest representable quantity",
     doc(a=usdc("1", **{"SOL-PERP": pos("0.000000000000000001", "150")})))
case("margin/large_values", "a million SOL at a hundred million: exact at 10^14 notional",
     doc(m=prices(SOL="100000000.123456789"),
         a=usdc("99999999999999.999999999999999999", **{"SOL-PERP": pos("1000000", "99999999.5")})))
case("margin/trailing_zeros_in_input", "input decimals with trailing zeros, output canonical",
     doc(m=prices(BTC="61000.000"), a=usdc("10000.50", **{"BTC-PERP": pos("0.500", "60000.0")})))
case("margin/ids_need_escaping", "ids with '/' and '~' and non-ASCII text pass through",
     doc(p=params(markets={"BTC/USD~PERP": dict(_base_params()["markets"]["SOL-PERP"], feed="BTC/USD")}),
         m={"as_of": AS_OF, "feeds": {"BTC/USD": feed("61000")}},
         a=account({"USDC": "1000"}, {"BTC/USD~PERP": pos("0.01", "60000")}, id="compte-é")))
case("margin/unused_markets_and_feeds", "parameters and prices for markets the account does not hold",
     doc(a=usdc("100", **{"SOL-PERP": pos("-2", "150")})))
case("margin/zero_rates", "a market with zero rates: no requirement, no ratio",
     doc(p=params(**{"markets/SOL-PERP/tiers": [tier(None, "0", "0")]}),
         a=usdc("1", **{"SOL-PERP": pos("2", "150")})))

# Tier edges: linear (notional N compared with the cap), one unit either side.
for cap, label in (("250000", "first"), ("1000000", "second")):
    for price, where in ((f"{int(cap) - 1}.999999999999999999", "one unit below"),
                         (cap, "exactly on"),
                         (f"{cap}.000000000000000001", "one unit above")):
        case(f"margin/tier_edge_linear_{label}_cap_{where.replace(' ', '_')}",
             f"BTC-PERP notional {where} the {label} tier cap {cap}: a notional on a cap belongs to the lower tier",
             doc(m=prices(BTC=price), a=usdc("100000", **{"BTC-PERP": pos("1", price)})))
for price, where in (("100000", "exactly on"), ("100000.000000000000000001", "one unit above"),
                     ("99999.999999999999999999", "one unit below")):
    case(f"margin/tier_edge_eth_{where.replace(' ', '_')}",
         f"ETH-PERP notional {where} its cap 100000 (short)",
         doc(m=prices(ETH=price), a=usdc("100000", **{"ETH-PERP": pos("-1", price)})))
# Inverse: the coin notional |S| / P against a cap of 5 coins; |S| = 500 x 100 = 50000.
for price, where in (("10000", "exactly on"), ("9999.999999999999999999", "one unit above"),
                     ("10000.000000000000000001", "one unit below")):
    case(f"margin/tier_edge_inverse_{where.replace(' ', '_')}",
         f"BTC-USD-INV coin notional {where} the 5 BTC cap (mark {price}): compared exactly, |S| <= cap x P",
         doc(m=prices(BTC=price), a=account({"BTC": "10"}, {"BTC-USD-INV": pos("-500", "10000")})))
case("margin/tier_third_linear", "BTC-PERP deep in the uncapped third tier",
     doc(a=usdc("500000", **{"BTC-PERP": pos("40", "60000")})))

# Tier tables as published (spec §3.1): bounds and rates, the amounts derived by continuity.
BTC_PUBLISHED = [published_tier("250000", "0.02", "0.01"), published_tier("1000000", "0.04", "0.02"),
                 published_tier(None, "0.1", "0.05")]
case("margin/tier_table_as_published", "BTC-PERP's table given as bounds and rates only: the same "
     "amounts (2500/5000, 32500/65000) derived, the same report as margin/tier_third_linear",
     doc(p=params(**{"markets/BTC-PERP/tiers": BTC_PUBLISHED}), a=usdc("500000", **{"BTC-PERP": pos("40", "60000")})))
# Hyperliquid-style: maintenance = 1 / (2 x max leverage), 50x, 20x, 10x, 3x; 1/6 rounded up to 18 decimals.
HL_TABLE = [published_tier("20000", "0.02", "0.01"), published_tier("100000", "0.05", "0.025"),
            published_tier("1000000", "0.1", "0.05"),
            published_tier(None, "0.333333333333333334", "0.166666666666666667")]
for q, where in (("100", "first"), ("500", "second"), ("5000", "third"), ("50000", "fourth")):
    case(f"margin/tier_table_as_published_leverage_{where}", f"a 50x/20x/10x/3x table as published "
         f"(rates 1/(2L) and 1/L, 1/6 rounded up), amounts derived; SOL-PERP {q} SOL at 150 in the {where} tier",
         doc(p=params(**{"markets/SOL-PERP/tiers": HL_TABLE}), a=usdc("2000000", **{"SOL-PERP": pos(q, "150")})))
case("margin/tier_table_as_published_mixed", "amounts given on some tiers (exactly the continuous ones) "
     "and left out on others, maintenance and initial independently",
     doc(p=params(**{"markets/BTC-PERP/tiers": [
         published_tier("250000", "0.02", "0.01"),
         {"max_notional": "1000000", "initial_rate": "0.04", "maintenance_rate": "0.02", "initial_amount": "5000"},
         {"max_notional": None, "initial_rate": "0.1", "maintenance_rate": "0.05", "maintenance_amount": "32500"}]}),
         a=usdc("500000", **{"BTC-PERP": pos("-30", "61000")})))
case("margin/tier_table_as_published_inverse", "an inverse table as published: caps in coins, amounts "
     "derived in coins (0.075/0.15), coin notional above the 5 BTC cap",
     doc(p=params(**{"markets/BTC-USD-INV/tiers": [published_tier("5", "0.02", "0.01"),
                                                   published_tier(None, "0.05", "0.025")]}),
         a=account({"BTC": "10"}, {"BTC-USD-INV": pos("-5000", "60000")})))
case("margin/tier_table_as_published_liquidation_across_tiers", "a position whose liquidation price "
     "lies two tiers below its mark, with the derived amounts",
     doc(p=params(**{"markets/SOL-PERP/tiers": HL_TABLE}), a=usdc("60000", **{"SOL-PERP": pos("-2000", "150")})))
case("margin/tier_inverse_future_second", "the inverse future's second tier (coin notional above 50 ETH)",
     doc(a=account({"ETH": "100"}, {"ETH-USD-20270326": pos("20000", "3000")})))

# Size premium (imf): the premium rate up(0.8 x r1) + up(imf x up(sqrt(|q|))).
case("margin/size_premium_dominates", "a large BTC-PERP position whose size premium exceeds the tiered requirement",
     doc(a=usdc("100000000", **{"BTC-PERP": pos("10000", "61000")})))
case("margin/size_premium_irrational_sqrt", "the premium with a size whose square root does not terminate",
     doc(a=usdc("100000000", **{"BTC-PERP": pos("-12345.678", "61500")})))
case("margin/size_premium_below_tier", "a small position: the premium rate is below the tier's, tier sets it",
     doc(a=usdc("10000", **{"BTC-PERP": pos("2", "61000")})))
case("margin/size_premium_initial_only", "premium sets the initial but not the maintenance requirement",
     doc(p=params(**{"markets/SOL-PERP/size_premium_factor": "0.004",
                     "markets/SOL-PERP/tiers": [tier("10000", "0.1", "0.05"),
                                                tier(None, "0.2", "0.15", "1000", "1000")]}),
         a=usdc("1000000", **{"SOL-PERP": pos("1000", "150")})))
case("margin/size_premium_inverse", "the size premium of an inverse future, on the face value",
     doc(a=account({"ETH": "1000"}, {"ETH-USD-20270326": pos("-90000", "3000")})))

# Volatility scaling: m = min(max(up(sigma / reference), 1), max).
for vol, label in (("0.3", "below_reference_is_one"), ("0.72", "scales"), ("0.7", "ratio_rounds_up"),
                   ("5", "capped_at_maximum"), ("0", "zero_is_one"), ("0.6", "at_reference")):
    case(f"margin/volatility_{label}", f"BTC-USD volatility index {vol} (reference 0.6, maximum 2)",
         doc(m=prices(BTC=feed("61000", volatility=vol)),
             a=usdc("10000", **{"BTC-PERP": pos("1", "60000"), "BTC-USD-INV": pos("-100", "60000")})))
case("margin/volatility_feed_not_scaled", "a volatility index for a feed without scaling parameters is ignored",
     doc(m=prices(SOL=feed("150", volatility="3")), a=usdc("1000", **{"SOL-PERP": pos("10", "150")})))
case("margin/volatility_with_premium", "volatility multiplies the size premium",
     doc(m=prices(BTC=feed("61000", volatility="0.9")), a=usdc("100000000", **{"BTC-PERP": pos("10000", "61000")})))

# Pending funding.
case("margin/funding_linear", "pending funding owed by and to linear positions",
     doc(a=usdc("10000", **{"BTC-PERP": pos("1", "60000", funding="-12.5"),
                            "ETH-PERP": pos("-3", "3100", funding="3.25")})))
case("margin/funding_inverse", "inverse pending funding in coins, valued down at the mark",
     doc(m=prices(BTC="61000.7"), a=account({"BTC": "1"}, {"BTC-USD-INV": pos("-500", "62000",
                                                                               funding="0.000123456789")})))
case("margin/funding_negative_inverse", "inverse funding owed by the account, rounded down (larger debt)",
     doc(m=prices(BTC="61000.7"), a=account({"BTC": "1"}, {"BTC-USD-INV": pos("500", "60000",
                                                                               funding="-0.000123456789")})))

# Status boundaries (SOL-PERP: one tier, 10% / 5%, no premium, no volatility):
# 10 SOL at 100: notional 1000, maintenance 50, margin call below 62.5.
SOL10 = {"SOL-PERP": pos("10", "100")}
for bal, label in (("62.5", "margin_call_level_is_healthy"),
                   ("62.499999999999999999", "one_unit_below_margin_call_level"),
                   ("50", "equity_equal_maintenance_not_liquidatable"),
                   ("49.999999999999999999", "one_unit_below_maintenance_liquidatable"),
                   ("0", "zero_equity_bankrupt"), ("-0.000000000000000001", "negative_equity_bankrupt")):
    case(f"margin/status_{label}", f"10 SOL at 100, collateral {bal}: maintenance 50, margin call at 62.5",
         doc(m=prices(SOL="100"), a=account({"USDC": bal}, SOL10)))
case("margin/margin_call_ratio_one", "a margin call ratio of exactly 1: no call band",
     doc(p=params(margin_call_ratio="1"), m=prices(SOL="100"), a=account({"USDC": "50"}, SOL10)))
case("margin/bankrupt_ratio_negative", "negative equity: bankrupt, negative ratio rounded down",
     doc(m=prices(BTC="40000"), a=usdc("1000", **{"BTC-PERP": pos("0.5", "60000")})))

# ============================================================================
# collateral/: weights, size discount, liabilities, volatility haircut, stable
# ============================================================================

case("collateral/pegged_weights", "a pegged asset with weights below 1 and a pegged liability",
     doc(a=account({"USDC": "-300", "USDT": "1000"}, {})))
case("collateral/pegged_liability_weights", "a pegged liability with liability weights above 1",
     doc(a=account({"USDC": "5000", "USDT": "-1000"}, {})))
case("collateral/volatile_asset", "BTC collateral at its mark, weights 0.9 / 0.8",
     doc(a=account({"BTC": "0.25"}, {})))
case("collateral/stable_below_mark", "an asset's initial value uses min(mark, stable)",
     doc(m=prices(BTC=feed("61000", stable="60500")), a=account({"BTC": "0.25"}, {})))
case("collateral/stable_above_mark", "with the stable price above the mark, the asset's initial value uses the mark",
     doc(m=prices(BTC=feed("61000", stable="61500")), a=account({"BTC": "0.25"}, {})))
case("collateral/liability_stable_above_mark", "a liability's initial value uses max(mark, stable)",
     doc(m=prices(ETH=feed("3000", stable="3010")), a=account({"USDC": "20000", "ETH": "-2"}, {})))
case("collateral/liability_stable_below_mark", "a liability with the stable price below the mark uses the mark",
     doc(m=prices(ETH=feed("3000", stable="2990")), a=account({"USDC": "20000", "ETH": "-2"}, {})))
case("collateral/size_discount_none", "a small balance: 1.1 / (1 + imf x sqrt(b)) is above the weight",
     doc(a=account({"ETH": "10000"}, {})))
case("collateral/size_discount_maintenance_only", "a large ETH balance: the discount cuts the maintenance "
     "weight (0.85) but not the initial one (0.75)",
     doc(a=account({"ETH": "4000000"}, {})))
case("collateral/size_discount_both", "a very large ETH balance: both weights cut by the size discount",
     doc(a=account({"ETH": "16000000"}, {})))
case("collateral/size_discount_irrational", "a size whose square root does not terminate",
     doc(a=account({"BTC": "2000000000.5"}, {})))
case("collateral/liability_size_premium", "a large ETH liability: the size premium raises both liability weights",
     doc(a=account({"USDC": "100000000000", "ETH": "-4000000"}, {})))
case("collateral/liability_small", "a small ETH liability keeps its liability weights",
     doc(a=account({"USDC": "20000", "ETH": "-2"}, {})))
case("collateral/volatility_haircut_asset", "BTC volatility 0.72: multiplier 1.2, haircut 0.05 x 0.2 off both weights",
     doc(m=prices(BTC=feed("61000", volatility="0.72")), a=account({"BTC": "1"}, {})))
case("collateral/volatility_haircut_liability", "ETH volatility 1.2: multiplier 1.5, haircut 0.05 on liabilities",
     doc(m=prices(ETH=feed("3000", volatility="1.2")), a=account({"USDC": "50000", "ETH": "-5"}, {})))
case("collateral/volatility_haircut_floors_at_zero", "a haircut larger than the weight leaves a weight of 0",
     doc(p=params(**{"assets/BTC/volatility_haircut": "2"}), m=prices(BTC=feed("61000", volatility="3")),
         a=account({"BTC": "1", "USDC": "1"}, {})))
case("collateral/mixed_with_negatives", "four assets, two of them liabilities, plus positions",
     doc(m=prices(BTC=feed("61000", stable="60500", volatility="0.72"), ETH=feed("3000", stable="3010")),
         a=account({"USDC": "-2500", "USDT": "4000", "BTC": "0.25", "ETH": "-2"},
                   {"BTC-PERP": pos("0.1", "60000"), "ETH-PERP": pos("1", "2950")})))
case("collateral/rounding_value", "balance x price rounds down for assets and for liabilities (larger debt)",
     doc(m=prices(BTC="61000.123456789123456789", ETH="3000.333333333333333333"),
         a=account({"BTC": "0.123456789012345678", "ETH": "-0.987654321098765432", "USDC": "10000"}, {})))
case("collateral/zero_balance", "a zero balance is listed with zero values",
     doc(a=account({"BTC": "0", "USDC": "100"}, {})))

# ============================================================================
# isolated/: isolated pools
# ============================================================================

case("isolated/linear", "an isolated linear position with its own margin beside a cross pool",
     doc(a=usdc("1000", **{"BTC-PERP": pos("0.5", "60000", iso="2000"), "ETH-PERP": pos("2", "3000")})))
case("isolated/inverse", "an isolated inverse position: coin margin valued at the mark",
     doc(m=prices(BTC=feed("61000", stable="60500")),
         a=account({"USDC": "20000"}, {"BTC-USD-INV": pos("-500", "62000", iso="0.1")})))
case("isolated/inverse_stable_above", "isolated coin margin with the stable price above the mark",
     doc(m=prices(BTC=feed("61000", stable="61500")),
         a=account({"USDC": "20000"}, {"BTC-USD-INV": pos("-500", "62000", iso="0.1")})))
case("isolated/zero_margin", "an isolated position with zero margin in profit",
     doc(a=usdc("1000", **{"SOL-PERP": pos("10", "140", iso="0")})))
case("isolated/liquidatable_beside_healthy_cross", "an underwater isolated pool does not touch the cross pool",
     doc(m=prices(SOL="90"), a=usdc("100000", **{"SOL-PERP": pos("10", "100", iso="140"),
                                                  "ETH-PERP": pos("1", "3000")})))
case("isolated/two_pools", "two isolated positions and a cross position",
     doc(a=account({"USDC": "5000", "BTC": "0.1"},
                   {"BTC-PERP": pos("-0.2", "60500", iso="1500"), "SOL-PERP": pos("30", "155", iso="500"),
                    "ETH-PERP": pos("2", "3050")})))
case("isolated/future", "an isolated linear future",
     doc(a=usdc("0", **{"BTC-20261225": pos("1", "60000", iso="3000")})))
case("isolated/funding", "pending funding counts in the isolated pool",
     doc(a=usdc("0", **{"SOL-PERP": pos("-10", "150", funding="-2.5", iso="100")})))

# ============================================================================
# liquidation/: liquidation and bankruptcy prices, plans, shortfall, ADL
# ============================================================================

# By hand: 10 SOL long at 100 with 100 USDC: equity(Q) = 100 + 10 (Q - 100),
# maintenance 0.5 Q. Liquidatable below 980 / 9.5 = 103.157..: no, below
# Q = 900 / 9.5 = 94.7368..; on the 0.001 grid the largest unsafe price is
# 94.736, so the liquidation price is 94.737. Bankrupt at Q <= 90: 90.001.
case("liquidation/long_by_hand", "10 SOL long at 100, 100 USDC: liquidation 94.737, bankruptcy 90.001",
     doc(m=prices(SOL="100"), a=usdc("100", **{"SOL-PERP": pos("10", "100")})),
     note="by hand: unsafe when 100 + 10 (Q - 100) < 0.5 Q, i.e. Q < 94.7368421; grid 0.001")
# Short: equity 1100 - 10 Q, maintenance 0.5 Q: unsafe above 1100 / 10.5 = 104.7619..:
# smallest unsafe grid price 104.762, liquidation price 104.761; bankrupt at Q >= 110: 109.999.
case("liquidation/short_by_hand", "10 SOL short at 100, 100 USDC: liquidation 104.761, bankruptcy 109.999",
     doc(m=prices(SOL="100"), a=usdc("100", **{"SOL-PERP": pos("-10", "100")})))
case("liquidation/fully_collateralized_long", "a long that no positive price liquidates: null prices",
     doc(a=usdc("1000000", **{"SOL-PERP": pos("1", "100")})))
case("liquidation/long_btc_tiers_and_premium", "a BTC-PERP long whose search crosses tier edges",
     doc(a=usdc("20000", **{"BTC-PERP": pos("15", "60000")})))
case("liquidation/short_btc_tiers", "a BTC-PERP short whose requirement grows with the price",
     doc(a=usdc("40000", **{"BTC-PERP": pos("-15", "60000")})))
case("liquidation/inverse_short_usdc", "an inverse short margined with USDC",
     doc(a=usdc("3000", **{"BTC-USD-INV": pos("-500", "61000")})))
case("liquidation/inverse_long_coin_margined", "an inverse long margined with its own coin: both move with the price",
     doc(a=account({"BTC": "0.2"}, {"BTC-USD-INV": pos("500", "61000")})))
case("liquidation/inverse_short_coin_hedge", "an inverse short fully hedged by coin collateral",
     doc(a=account({"BTC": "1"}, {"BTC-USD-INV": pos("-500", "61000")})))
case("liquidation/cross_same_feed_together", "BTC collateral, BTC-PERP and BTC future move together",
     doc(a=account({"BTC": "0.1", "USDC": "2000"}, {"BTC-PERP": pos("0.5", "60000"),
                                                    "BTC-20261225": pos("0.3", "60500")})))
case("liquidation/cross_two_feeds", "a long on one feed and a short on another: each feed's price alone",
     doc(a=usdc("3000", **{"BTC-PERP": pos("0.5", "61000"), "ETH-PERP": pos("-5", "3000")})))
# Net long 1 BTC, but above 50000 the perpetual's third tier makes the
# requirement grow by 1.475 per dollar: health falls on both sides of the mark.
case("liquidation/hedged_both_sides", "20 BTC-PERP long, 19 BTC future short: "
     "unsafe on both sides (tiers), the nearer candidate reported",
     doc(a=usdc("58000", **{"BTC-PERP": pos("20", "61000"), "BTC-20261225": pos("-19", "61000")})))
case("liquidation/liability_on_feed", "an ETH liability pushes the liquidation price of an ETH long",
     doc(a=account({"USDC": "12000", "ETH": "-2"}, {"ETH-PERP": pos("10", "3000")})))
case("liquidation/volatility_scaled", "liquidation prices under volatility scaling",
     doc(m=prices(BTC=feed("61000", volatility="0.9")), a=usdc("5000", **{"BTC-PERP": pos("1", "61000")})))
case("liquidation/isolated_linear", "an isolated linear long: only its own margin counts",
     doc(a=usdc("100000", **{"BTC-PERP": pos("1", "61000", iso="3000")})))
case("liquidation/isolated_inverse", "an isolated inverse short with coin margin",
     doc(a=account({"USDC": "0"}, {"BTC-USD-INV": pos("-500", "61000", iso="0.05")})))
case("liquidation/near_mark", "a pool one tick from liquidation: the liquidation price is the mark itself",
     doc(m=prices(SOL="100"), a=usdc("50.005", **SOL10)))
case("liquidation/liquidatable_bankruptcy_only", "a liquidatable pool: no liquidation price, a bankruptcy price",
     doc(m=prices(SOL="100"), a=usdc("20", **SOL10)))
case("liquidation/bankrupt_no_prices", "a bankrupt pool: no prices, a shortfall, a plan that cannot restore",
     doc(m=prices(SOL="80"), a=usdc("100", **SOL10)))
case("liquidation/plan_single_partial", "a liquidatable BTC-PERP long: the smallest lot count that restores",
     doc(m=prices(BTC="59000"), a=usdc("3000", **{"BTC-PERP": pos("2", "60000")})))
case("liquidation/plan_two_positions", "a plan that closes one position and reduces the next",
     doc(m=prices(SOL="95"), a=usdc("800", **{"SOL-PERP": pos("100", "100"), "ETH-PERP": pos("10", "3000")})),
     note="by hand: equity 300 < 512.5; closing all SOL leaves 375 x 1.02 = 382.5 > 300; ETH by k lots: "
          "300 - 0.15 k >= 1.02 (375 - 0.375 k) first holds at k = 355 (3.55 ETH)")
case("liquidation/plan_partial_last_lot", "a position that is not a multiple of its lot, closed in full: "
     "the last lot is partial (100.05 = 1000 lots of 0.1 + 0.05)",
     doc(m=prices(SOL="100"), a=usdc("300", **{"SOL-PERP": pos("100.05", "100"), "ETH-PERP": pos("10", "3000")})))
case("liquidation/plan_inverse", "a liquidatable inverse short: fees on the face value",
     doc(a=usdc("5000", **{"BTC-USD-INV": pos("-2000", "60000")})))
case("liquidation/plan_isolated", "a plan for an isolated pool",
     doc(m=prices(SOL="95"), a=usdc("100000", **{"SOL-PERP": pos("100", "100", iso="900")})))
case("liquidation/plan_tie_market_order", "two positions with equal maintenance: ascending market id first",
     doc(m=prices(BTC="60000", SOL="100"),
         a=usdc("450", **{"SOL-PERP": pos("60", "100"), "BTC-20261225": pos("0.2", "60000")})))
case("liquidation/plan_zero_buffer", "a plan with a zero liquidation buffer",
     doc(p=params(liquidation_buffer_ratio="0"), m=prices(BTC="59000"),
         a=usdc("3000", **{"BTC-PERP": pos("2", "60000")})))
case("liquidation/adl_long_and_short", "ADL index of a profitable long and a profitable short",
     doc(a=usdc("5000", **{"BTC-PERP": pos("1", "55000"), "ETH-PERP": pos("-10", "3300"),
                           "SOL-PERP": pos("10", "160")})))
case("liquidation/adl_inverse", "ADL index of a profitable inverse short",
     doc(a=account({"BTC": "0.5"}, {"BTC-USD-INV": pos("-300", "65000")})))
case("liquidation/adl_saturates", "dust equity (10^-18): the profitable long's ADL index saturates at the largest value",
     doc(a=usdc("0.000000000000000001", **{"BTC-PERP": pos("1", "55000"), "ETH-PERP": pos("-10", "2400")})))
case("liquidation/shortfall", "negative equity is the insurance-fund shortfall",
     doc(m=prices(SOL="50"), a=usdc("100", **SOL10)))

# ============================================================================
# whatif/: scenarios
# ============================================================================

BASE_POS = {"BTC-PERP": pos("1", "60000"), "ETH-PERP": pos("-10", "3100")}
case("whatif/shock_down", "BTC -10%: mark and stable move down, rounded down",
     doc(m=prices(BTC=feed("61000", stable="60500")), a=usdc("10000", **BASE_POS),
         scenario={"shocks": {"BTC-USD": "-0.1"}}))
case("whatif/shock_up_rounding", "ETH +3.3333%: the shocked price rounds down",
     doc(m=prices(ETH="3000.000000000000000001"), a=usdc("10000", **BASE_POS),
         scenario={"shocks": {"ETH-USD": "0.033333333333333333"}}))
case("whatif/collateral_change", "a deposit of a new asset and a withdrawal to exactly zero (removed)",
     doc(a=account({"USDC": "10000", "USDT": "500"}, BASE_POS),
         scenario={"collateral": {"USDT": "-500", "BTC": "0.1"}}))
case("whatif/order_new_position", "an order in a market the account does not hold opens a cross position",
     doc(a=usdc("10000", **BASE_POS), scenario={"orders": [{"market": "SOL-PERP", "quantity": "20"}]}))
case("whatif/order_add_long_average_up", "adding to a long: the averaged entry price rounds up",
     doc(a=usdc("10000", **{"SOL-PERP": pos("1", "100")}),
         scenario={"orders": [{"market": "SOL-PERP", "quantity": "2", "price": "101"}]}))
case("whatif/order_add_short_average_down", "adding to a short: the averaged entry price rounds down",
     doc(a=usdc("10000", **{"SOL-PERP": pos("-1", "100")}),
         scenario={"orders": [{"market": "SOL-PERP", "quantity": "-2", "price": "101"}]}))
case("whatif/order_reduce_realizes", "reducing a long realizes PnL into the settlement balance",
     doc(a=usdc("10000", **BASE_POS), scenario={"orders": [{"market": "BTC-PERP", "quantity": "-0.4",
                                                             "price": "62000"}]}))
case("whatif/order_close_settles_funding", "closing a position settles its pending funding",
     doc(a=usdc("10000", **{"ETH-PERP": pos("-10", "3100", funding="-7.5"), "SOL-PERP": pos("1", "100")}),
         scenario={"orders": [{"market": "ETH-PERP", "quantity": "10"}]}))
case("whatif/order_flip", "an order larger than the position closes it and opens the other side",
     doc(a=usdc("10000", **BASE_POS), scenario={"orders": [{"market": "BTC-PERP", "quantity": "-1.5"}]}))
case("whatif/order_inverse_reduce", "reducing an inverse short realizes coins at the fill price",
     doc(a=account({"BTC": "1"}, {"BTC-USD-INV": pos("-500", "62000")}),
         scenario={"orders": [{"market": "BTC-USD-INV", "quantity": "200", "price": "61000"}]}))
case("whatif/order_isolated_close_returns_margin", "closing an isolated position returns its margin",
     doc(a=usdc("1000", **{"SOL-PERP": pos("10", "140", iso="300")}),
         scenario={"orders": [{"market": "SOL-PERP", "quantity": "-10"}]}))
case("whatif/order_isolated_reduce", "a partial close of an isolated position settles into its margin",
     doc(a=usdc("1000", **{"SOL-PERP": pos("10", "140", iso="300")}),
         scenario={"orders": [{"market": "SOL-PERP", "quantity": "-4"}]}))
case("whatif/orders_in_sequence", "several orders applied in array order, after a shock",
     doc(a=usdc("10000", **BASE_POS),
         scenario={"shocks": {"BTC-USD": "0.05"},
                   "orders": [{"market": "BTC-PERP", "quantity": "0.5"},
                              {"market": "BTC-PERP", "quantity": "-2", "price": "64000"},
                              {"market": "ETH-PERP", "quantity": "10"}]}))
case("whatif/empty_scenario", "an empty scenario changes nothing",
     doc(a=usdc("10000", **BASE_POS), scenario={}))

# ============================================================================
# max_order/: the largest order (docs/spec.md §9)
# ============================================================================

def max_order(name, description, d, **extra):
    case(f"max_order/{name}", description, d, operation="largest_order", **extra)


max_order("buy_from_flat", "the largest SOL-PERP buy with 1000 USDC and no position",
          doc(a=usdc("1000"), query={"market": "SOL-PERP", "side": "buy"}))
max_order("sell_from_flat", "the largest BTC-PERP sell: tiers and size premium",
          doc(a=usdc("50000"), query={"market": "BTC-PERP", "side": "sell"}))
max_order("tier_table_as_published", "the largest SOL-PERP buy under a 50x/20x/10x/3x table given as "
          "bounds and rates (amounts derived)",
          doc(p=params(**{"markets/SOL-PERP/tiers": HL_TABLE}), a=usdc("100000"),
              query={"market": "SOL-PERP", "side": "buy"}))
max_order("sell_against_long", "selling against a long: the reducing lots always pass, then the short side",
          doc(a=usdc("500", **{"SOL-PERP": pos("20", "150")}), query={"market": "SOL-PERP", "side": "sell"}))
max_order("buy_adds_to_long", "buying more of a long",
          doc(a=usdc("2000", **{"SOL-PERP": pos("20", "150")}), query={"market": "SOL-PERP", "side": "buy"}))
max_order("at_price", "an order at a limit price away from the mark",
          doc(a=usdc("10000"), query={"market": "ETH-PERP", "side": "buy", "price": "3100"}))
max_order("nothing_fits", "an account already below its initial requirement: zero",
          doc(m=prices(SOL="100"), a=usdc("60", **SOL10), query={"market": "SOL-PERP", "side": "buy"}))
max_order("isolated", "an isolated position: the order lands in its pool",
          doc(a=usdc("100000", **{"SOL-PERP": pos("10", "150", iso="300")}),
              query={"market": "SOL-PERP", "side": "buy"}))
max_order("inverse", "the largest inverse buy with coin collateral",
          doc(a=account({"BTC": "0.5"}, {}), query={"market": "BTC-USD-INV", "side": "buy"}))
max_order("with_scenario", "the largest order after a -20% shock",
          doc(a=usdc("5000", **{"BTC-PERP": pos("0.5", "60000")}), scenario={"shocks": {"BTC-USD": "-0.2"}},
              query={"market": "BTC-PERP", "side": "buy"}))
max_order("inverse_future_sell", "the largest sell of an inverse future with a size premium",
          doc(a=account({"ETH": "20"}, {}), query={"market": "ETH-USD-20270326", "side": "sell"}))
max_order("reduction_cannot_be_valued",
          "an isolated long whose loss exceeds its margin: every reducing lot passes by rule, but selling more "
          "than 2 realizes a loss beyond the margin, so the answer (-10) cannot be valued: the error, not a "
          "made-up pool",
          doc(a=usdc("1000", **{"SOL-PERP": pos("10", "200", iso="100")}),
              query={"market": "SOL-PERP", "side": "sell"}),
          expect="invalid_value")
max_order("account_cannot_be_valued", "an account that eval rejects (its notional overflows): the same error",
          doc(a=usdc("1", **{"SOL-PERP": pos("10000000000000000000", "1")}),
              query={"market": "SOL-PERP", "side": "sell"}),
          expect="overflow", path="/account/positions/SOL-PERP",
          message="position in SOL-PERP: notional (|quantity| x mark): 10000000000000000000 x 150 does not fit "
                  "the fixed-point range of +-170141183460469231731.687303715884105727")
max_order("up_to_the_cap", "a lot and a mark of 1e-18 (on the finest supported tick, 1e-12): every order "
          "passes up to the largest representable quantity (2^127 - 1 lots), where the search stops",
          doc(p=params(**{"markets/SOL-PERP/lot_size": "0.000000000000000001",
                          "markets/SOL-PERP/tick_size": "0.000000000001"}),
              m=prices(SOL="0.000000000000000001"), a=usdc("10000"),
              query={"market": "SOL-PERP", "side": "buy"}))
max_order("unknown_market", "a query for a market the parameters do not define",
          doc(query={"market": "DOGE-PERP", "side": "buy"}))
max_order("bad_side", "a side other than buy or sell",
          doc(query={"market": "SOL-PERP", "side": "long"}))
max_order("price_not_positive", "a query price of zero",
          doc(query={"market": "SOL-PERP", "side": "buy", "price": "0"}))
max_order("missing_price", "a market whose feed has no price",
          doc(m=prices(SOL=None), query={"market": "SOL-PERP", "side": "buy"}))
max_order("missing_query", "the query member is required",
          doc())
max_order("unknown_query_field", "a query field the format does not define",
          doc(query={"market": "SOL-PERP", "side": "buy", "leverage": "10"}))

# ============================================================================
# errors/
# ============================================================================

good = json.dumps(doc(a=usdc("10000", **BASE_POS)), separators=(",", ":"), ensure_ascii=False)

case("errors/malformed_json_truncated", "a document cut short",
     input_text=good[:-2],
     path="",
     message="not valid JSON: parse error at line 1, column %d: syntax error while parsing object - "
             "unexpected end of input; expected '}'" % (len(good) - 1))
case("errors/malformed_json_trailing", "bytes after the document",
     input_text=good + " x",
     message="not valid JSON: parse error at line 1, column %d: syntax error while parsing value - "
             "invalid literal; last read: '\"3100\"}}}} x'; expected end of input" % (len(good) + 2))
case("errors/nul_after_document", "a NUL byte after the document: not the end of the input, an error with its "
     "position (the bytes after it are not ignored)",
     input_text=good + "\0{\"garbage\": true}")
case("errors/nul_inside_document", "a raw NUL byte inside a string (JSON requires \\u0000)",
     input_text=good.replace('"id":"acct-1"', '"id":"acct\0-1"'))
case("errors/byte_order_mark", "a UTF-8 byte-order mark before the document",
     input_text="\ufeff" + good)
case("errors/duplicate_key_account", "an account with two \"id\" members",
     input_text=good.replace('"id":"acct-1"', '"id":"acct-1","id":"acct-2"'),
     path="/account/id", message="the key \"id\" appears twice in one object")
case("errors/duplicate_key_position", "the same market twice in positions: last-wins would hide a position",
     input_text=good.replace('"ETH-PERP":{"quantity":"-10"', '"BTC-PERP":{"quantity":"-10"'),
     path="/account/positions/BTC-PERP", message="the key \"BTC-PERP\" appears twice in one object")
case("errors/float_quantity", "a JSON number with a fraction where a decimal string is required",
     input_text=good.replace('"quantity":"1"', '"quantity":1.0'),
     path="/account/positions/BTC-PERP/quantity",
     message="found the JSON number 1.0; vmargin formats carry amounts as decimal strings (\"1.0\") and "
             "counts as integers")
case("errors/integer_for_decimal", "a JSON integer where a decimal string is required",
     doc(a=account({"USDC": 10000})),
     message="expected a decimal string, found the number 10000 (write it as \"10000\")")
case("errors/null_for_decimal", "null where a decimal string is required",
     doc(m=prices(BTC={"mark": None})),
     message="expected a decimal string, found null")
case("errors/oversize_integer", "an integer beyond 64 bits (a parser would turn it into a double)",
     input_text=good.replace('"version":12', '"version":18446744073709551616'),
     path="/risk_parameters/version", message="the integer 18446744073709551616 does not fit 64 bits")
case("errors/version_as_string", "a version given as a string",
     doc(p=params(version="12")),
     message="\"version\" must be a non-negative integer, found \"12\"")
case("errors/negative_version", "a negative version",
     doc(p=params(version=-1)),
     message="\"version\" must be a non-negative integer, found the number -1")
case("errors/account_not_object", "the account is an array",
     doc(a=[]), message="the account must be a JSON object, found an array")
case("errors/unknown_field_position", "a field the format does not define",
     doc(a=usdc("10000", **{"BTC-PERP": pos("1", "60000") | {"leverage": "10"}})))
case("errors/unknown_field_top_level", "an extra top-level document",
     doc() | {"extra": {}})
case("errors/missing_markets", "risk parameters without markets",
     doc(p=params(markets=_DELETE)))
case("errors/missing_entry_price", "a position without its entry price",
     doc(a=usdc("1", **{"BTC-PERP": {"quantity": "1"}})))
case("errors/bad_decimal_exponent", "an exponent in a decimal string",
     doc(a=account({"USDC": "1e4"})), message="\"1e4\" is not a decimal string: exponents are not allowed")
case("errors/bad_decimal_leading_zero", "a leading zero",
     doc(m=prices(BTC="061000")), message="\"061000\" is not a decimal string: leading zeros are not allowed")
case("errors/bad_decimal_plus", "a leading plus sign",
     doc(a=usdc("10000", **{"BTC-PERP": pos("+1", "60000")})),
     message="\"+1\" is not a decimal string: a leading '+' is not allowed")
case("errors/bad_decimal_space", "whitespace inside the string",
     doc(a=usdc("10000", **{"BTC-PERP": pos("1", "60000 ")})),
     message="\"60000 \" is not a decimal string: whitespace is not allowed")
case("errors/decimal_too_precise", "19 fractional digits",
     doc(a=usdc("10000", **{"BTC-PERP": pos("0.1234567890123456789", "60000")})))
case("errors/decimal_out_of_range", "one unit beyond the range",
     doc(a=account({"USDC": "170141183460469231731.687303715884105728"})))
case("errors/as_of_negative", "a negative evaluation time",
     doc(m=prices(as_of=-1)),
     message="\"as_of\" must be a time in milliseconds since 1970 (a non-negative integer), found the number -1")

# References between documents.
case("errors/unknown_market", "a position in a market the parameters do not define",
     doc(a=usdc("10000", **{"DOGE-PERP": pos("1", "0.1")})))
case("errors/missing_price", "no mark for a feed a position needs",
     doc(m=prices(ETH=None), a=usdc("10000", **BASE_POS)))
case("errors/missing_price_collateral", "no mark for the feed that prices a collateral asset",
     doc(m=prices(BTC=None), a=account({"BTC": "1"}, {})))
case("errors/unknown_asset", "collateral in an asset the parameters do not accept",
     doc(a=account({"DAI": "5"}, {})))
case("errors/contract_expired", "a future evaluated at its expiry time",
     doc(m=prices(as_of=BTC_FUTURE_EXPIRY), a=usdc("5000", **{"BTC-20261225": pos("0.2", "60000")})))
case("errors/contract_expired_inverse", "an inverse future evaluated after its expiry",
     doc(m=prices(as_of=ETH_FUTURE_EXPIRY + 1), a=account({"ETH": "1"}, {"ETH-USD-20270326": pos("5", "3000")})))

# Risk parameters.
M = "markets"
case("errors/margin_call_ratio_below_one", "a margin call level below liquidation",
     doc(p=params(margin_call_ratio="0.9")))
case("errors/liquidation_buffer_negative", "a negative liquidation buffer",
     doc(p=params(liquidation_buffer_ratio="-0.01")))
case("errors/asset_maintenance_weight_above_one", "an asset weight above 1",
     doc(p=params(**{"assets/BTC/maintenance_weight": "1.01"})))
case("errors/asset_initial_weight_above_maintenance", "an initial weight above the maintenance weight",
     doc(p=params(**{"assets/ETH/initial_weight": "0.9"})))
case("errors/asset_liability_weight_below_one", "a maintenance liability weight below 1",
     doc(p=params(**{"assets/USDT/maintenance_liability_weight": "0.99"})))
case("errors/asset_initial_liability_below_maintenance", "an initial liability weight below the maintenance one",
     doc(p=params(**{"assets/BTC/initial_liability_weight": "1.05"})))
case("errors/asset_size_factor_negative", "a negative collateral size factor",
     doc(p=params(**{"assets/ETH/size_factor": "-0.1"})))
case("errors/asset_volatility_haircut_negative", "a negative volatility haircut",
     doc(p=params(**{"assets/BTC/volatility_haircut": "-0.05"})))
case("errors/asset_feed_not_string", "an asset feed that is a number",
     doc(p=params(**{"assets/BTC/feed": 5})),
     message="\"feed\" must be a string or null, found the number 5")
case("errors/feed_reference_zero", "a volatility reference of zero",
     doc(p=params(**{"feeds/BTC-USD/volatility_reference": "0"})))
case("errors/feed_max_multiplier_below_one", "a maximum volatility multiplier below 1",
     doc(p=params(**{"feeds/ETH-USD/max_volatility_multiplier": "0.5"})))
case("errors/unknown_market_kind", "a market kind the engine does not know",
     doc(p=params(**{"markets/BTC-PERP/kind": "option"})))
case("errors/market_feed_empty", "a market with an empty feed id",
     doc(p=params(**{"markets/SOL-PERP/feed": ""})))
case("errors/settlement_asset_unknown", "a market settling in an asset that is not defined",
     doc(p=params(**{"markets/SOL-PERP/settlement_asset": "DAI"})))
case("errors/inverse_settles_in_stablecoin", "an inverse market must settle in its coin",
     doc(p=params(**{"markets/BTC-USD-INV/settlement_asset": "USDC"})))
case("errors/linear_settles_in_coin", "a linear market must settle in a pegged asset",
     doc(p=params(**{"markets/BTC-PERP/settlement_asset": "BTC"})))
case("errors/contract_size_fractional", "an inverse contract size that is not a whole number",
     doc(p=params(**{"markets/BTC-USD-INV/contract_size": "100.5"})))
case("errors/contract_size_missing", "an inverse market without a contract size",
     doc(p=params(**{"markets/BTC-USD-INV/contract_size": _DELETE})))
case("errors/contract_size_on_linear", "a contract size on a linear market is not a field it has",
     doc(p=params(**{"markets/SOL-PERP/contract_size": "1"})))
case("errors/expiry_on_perpetual", "an expiry on a perpetual",
     doc(p=params(**{"markets/SOL-PERP/expiry": BTC_FUTURE_EXPIRY})))
case("errors/expiry_missing_on_future", "a future without an expiry",
     doc(p=params(**{"markets/BTC-20261225/expiry": _DELETE})))
case("errors/tick_size_zero", "a tick size of zero",
     doc(p=params(**{"markets/ETH-PERP/tick_size": "0"})))
case("errors/tick_size_too_fine", "a tick one unit of the 18th decimal finer than the smallest supported "
     "tick, 10^-12 (spec §3.1: the liquidation price search needs each tick to move a pool's health by "
     "more than its rounding)",
     doc(p=params(**{"markets/ETH-PERP/tick_size": "0.000000000000999999"})))
case("liquidation/valued_to_the_edge", "a short of 7 ETH-PERP at a mark of 3 x 10^16 against 8 x 10^19 USDC "
     "and 4 ETH: liquidation near 2.12 x 10^19 and bankruptcy near 2.23 x 10^19, where the cross pool's "
     "collateral value 8 x 10^19 + 4 x P (1.69 x 10^20) still fits the range: both reported (spec §7.1)",
     doc(m=prices(ETH="30000000000000000"),
         a=account({"USDC": "80000000000000000000", "ETH": "4"},
                   {"ETH-PERP": pos("-7", "30000000000000000")})))
case("liquidation/beyond_the_valued_range", "the same short against 4.2 ETH: the pool's equity and maintenance "
     "margin still fit where it becomes liquidatable (about 2.22 x 10^19), but its collateral value "
     "8 x 10^19 + 4.2 x P does not (1.73 x 10^20): the account cannot be valued there, so neither a "
     "liquidation nor a bankruptcy price is reported (spec §7.1: only grid prices where the account can be "
     "valued count)",
     doc(m=prices(ETH="30000000000000000"),
         a=account({"USDC": "80000000000000000000", "ETH": "4.2"},
                   {"ETH-PERP": pos("-7", "30000000000000000")})))
case("liquidation/adl_ratio_beyond_the_range", "a long BTC-PERP entered at 10^-18 beside a short of 2 BTC "
     "futures: the pool becomes liquidatable near 235.9, where the long's ADL ratio mark / entry (2.4 x 10^20) "
     "no longer fits; at the bankruptcy price beyond (equity below zero) no ADL index is computed and the "
     "account can be valued, but not at the liquidation price: neither price is reported (spec §7.1)",
     doc(m=prices(BTC="100"),
         a=usdc("50", **{"BTC-PERP": pos("1", "0.000000000000000001"), "BTC-20261225": pos("-2", "100")})))
case("liquidation/adl_ratio_in_a_bankrupt_pool", "the cross pool (a long BTC-PERP entered at 10^-18 beside "
     "two short futures) is bankrupt at the mark, so its ADL ratio is not computed there; an isolated "
     "near-fully-margined long (maintenance rate 0.999999995) would be liquidated at 190 and bankrupt near "
     "9.5 x 10^-7. At 190 the cross pool's equity is positive and the long's ratio 190 / 10^-18 does not "
     "fit: the account cannot be valued there, so neither price is reported, although it can be at the "
     "bankruptcy price (spec §7.1)",
     doc(p=params(**{"markets/BTC-X": {"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC",
                                       "tick_size": "0.000000000001", "lot_size": "0.001",
                                       "tiers": [tier(None, "1", "0.999999995")],
                                       "size_premium_factor": "0", "liquidation_fee_rate": "0"}}),
         m=prices(BTC="200"),
         a=account({}, {"BTC-PERP": pos("1", "0.000000000000000001"), "BTC-20261225": pos("-2", "100"),
                        "BTC-X": pos("1000000000", "200", iso="199999999050")})))
case("liquidation/finest_tick", "the smallest supported tick, 10^-12, is accepted: ETH-PERP's liquidation "
     "and bankruptcy prices are found on that grid",
     doc(p=params(**{"markets/ETH-PERP/tick_size": "0.000000000001"}),
         a=usdc("2000", **{"ETH-PERP": pos("-2", "3000")})))
case("liquidation/finest_tick_inverse", "an inverse future on the smallest supported tick, 10^-12: a long "
     "of 300 contracts of 10 USD against 0.6 ETH; both prices lie on the 10^-12 grid",
     doc(p=params(**{"markets/ETH-USD-20270326/tick_size": "0.000000000001"}),
         a=account({"ETH": "0.6"}, {"ETH-USD-20270326": pos("300", "3000")})))
case("errors/lot_size_negative", "a negative lot size",
     doc(p=params(**{"markets/ETH-PERP/lot_size": "-0.01"})))
case("errors/tiers_empty", "a market with no tiers",
     doc(p=params(**{"markets/SOL-PERP/tiers": []})))
case("errors/tiers_not_array", "tiers given as an object",
     doc(p=params(**{"markets/SOL-PERP/tiers": {}})),
     message="\"tiers\" must be a JSON array, found an object")
case("errors/tier_last_has_cap", "the last tier must be uncapped",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/max_notional": "1000000"})))
case("errors/tier_cap_missing", "a tier before the last without a cap",
     doc(p=params(**{"markets/BTC-PERP/tiers/1/max_notional": None})))
case("errors/tier_caps_not_increasing", "tier caps out of order",
     doc(p=params(**{"markets/BTC-PERP/tiers/1/max_notional": "250000"})))
case("errors/tier_cap_not_positive", "a first tier cap of zero",
     doc(p=params(**{"markets/ETH-PERP/tiers/0/max_notional": "0"})))
case("errors/tier_maintenance_rate_negative", "a negative maintenance rate",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/maintenance_rate": "-0.01"})))
case("errors/tier_maintenance_rate_above_one", "a maintenance rate above 1",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/maintenance_rate": "1.5",
                     "markets/SOL-PERP/tiers/0/initial_rate": "1.5"})))
case("errors/tier_initial_rate_above_one", "an initial rate above 100%",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/initial_rate": "1.5"})))
case("errors/tier_initial_below_maintenance", "an initial rate below the maintenance rate",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/initial_rate": "0.04"})))
case("errors/tier_rates_decreasing", "a later tier with a lower maintenance rate",
     doc(p=params(**{"markets/ETH-PERP/tiers/1/maintenance_rate": "0.01",
                     "markets/ETH-PERP/tiers/1/maintenance_amount": "-250"})))
case("errors/tier_first_amount_nonzero", "a first tier with a maintenance amount",
     doc(p=params(**{"markets/SOL-PERP/tiers/0/maintenance_amount": "1"})))
case("errors/tier_maintenance_amount_discontinuous", "a maintenance amount that breaks continuity",
     doc(p=params(**{"markets/BTC-PERP/tiers/1/maintenance_amount": "2400"})))
case("errors/tier_initial_amount_discontinuous", "an initial amount that breaks continuity (third tier)",
     doc(p=params(**{"markets/BTC-PERP/tiers/2/initial_amount": "65000.000000000000000001"})))
case("errors/tier_amount_not_representable", "continuity requires more than 18 decimals",
     doc(p=params(**{"markets/SOL-PERP/tiers": [tier("0.000000000000000003", "0.1", "0.05"),
                                                tier(None, "0.2", "0.15", "0", "0")]})))
case("errors/tier_left_out_amount_not_representable", "an amount left out whose continuous value "
     "needs more than 18 decimals: rejected when the tier is read, never rounded",
     doc(p=params(**{"markets/SOL-PERP/tiers": [published_tier("0.000000000000000003", "0.1", "0.05"),
                                                published_tier(None, "0.2", "0.15")]})))
case("errors/tier_left_out_amount_overflows", "an amount left out whose continuous value does not fit "
     "(read before the rates are checked)",
     doc(p=params(**{"markets/SOL-PERP/tiers": [published_tier("170000000000000000000", "0.1", "0.05"),
                                                published_tier(None, "2", "2")]})))
case("errors/tier_given_amount_against_derived", "amounts left out on tier 2, a wrong one given on tier 3: "
     "continuity names the value derived from tier 2",
     doc(p=params(**{"markets/BTC-PERP/tiers": [
         published_tier("250000", "0.02", "0.01"), published_tier("1000000", "0.04", "0.02"),
         tier(None, "0.1", "0.05", "65000", "32000")]})))
case("errors/tier_left_out_without_previous_cap", "an amount left out after a tier with no cap: "
     "the missing cap is the error",
     doc(p=params(**{"markets/BTC-PERP/tiers": [
         published_tier("250000", "0.02", "0.01"), published_tier(None, "0.04", "0.02"),
         published_tier(None, "0.1", "0.05")]})))
case("errors/tier_first_amount_given_nonzero_others_left_out", "the first tier's amount is 0 even when "
     "the others are derived",
     doc(p=params(**{"markets/ETH-PERP/tiers": [tier("100000", "0.025", "0.0125", "0", "1"),
                                                published_tier(None, "0.05", "0.025")]})))
case("errors/size_premium_factor_negative", "a negative size premium factor",
     doc(p=params(**{"markets/SOL-PERP/size_premium_factor": "-0.001"})))
case("errors/liquidation_fee_too_high", "a liquidation fee at 0.8 x the first maintenance rate",
     doc(p=params(**{"markets/ETH-PERP/liquidation_fee_rate": "0.01"})))

# Prices and account values.
case("errors/mark_not_positive", "a zero mark price", doc(m=prices(ETH="0")))
case("errors/stable_not_positive", "a negative stable price",
     doc(m=prices(BTC=feed("61000", stable="-1"))))
case("errors/volatility_negative", "a negative volatility index",
     doc(m=prices(BTC=feed("61000", volatility="-0.1"))))
case("errors/quantity_zero", "a position of size zero",
     doc(a=usdc("1", **{"BTC-PERP": pos("0", "60000")})))
case("errors/entry_price_negative", "a negative entry price",
     doc(a=usdc("1", **{"BTC-PERP": pos("1", "-60000")})))
case("errors/isolated_margin_negative", "a negative isolated margin",
     doc(a=usdc("1", **{"BTC-PERP": pos("1", "60000", iso="-1")})))

# Overflow.
case("errors/overflow_notional", "quantity x mark beyond the range",
     doc(a=usdc("1", **{"SOL-PERP": pos("10000000000000000000", "1")})),
     path="/account/positions/SOL-PERP",
     message="position in SOL-PERP: notional (|quantity| x mark): 10000000000000000000 x 150 does not fit the "
             "fixed-point range of +-170141183460469231731.687303715884105727")
case("errors/overflow_equity", "collateral plus profit beyond the range",
     doc(a=usdc("170141183460469231731", **{"SOL-PERP": pos("1", "100")})),
     path="/account",
     message="equity of the cross pool: 170141183460469231731 + 50 does not fit the fixed-point range of "
             "+-170141183460469231731.687303715884105727")

# Scenario errors.
case("errors/scenario_shock_minus_one", "a shock of -100% would make a price zero",
     doc(scenario={"shocks": {"BTC-USD": "-1"}}))
case("errors/scenario_shock_unknown_feed", "a shock for a feed without a price",
     doc(scenario={"shocks": {"DOGE-USD": "0.1"}}))
case("errors/scenario_order_unknown_market", "an order in a market the parameters do not define",
     doc(scenario={"orders": [{"market": "DOGE-PERP", "quantity": "1"}]}))
case("errors/scenario_order_zero", "an order of zero size",
     doc(scenario={"orders": [{"market": "SOL-PERP", "quantity": "0"}]}))
case("errors/scenario_order_not_lot_multiple", "an order quantity that is not a multiple of the lot size",
     doc(scenario={"orders": [{"market": "SOL-PERP", "quantity": "0.15"}]}))
case("errors/scenario_order_price_negative", "an order at a negative price",
     doc(scenario={"orders": [{"market": "SOL-PERP", "quantity": "1", "price": "-150"}]}))
case("errors/scenario_isolated_loss_exceeds_margin", "closing an isolated position at a loss beyond its margin",
     doc(a=usdc("1000", **{"SOL-PERP": pos("10", "140", iso="50")}),
         scenario={"orders": [{"market": "SOL-PERP", "quantity": "-10", "price": "100"}]}))
case("errors/scenario_orders_not_array", "orders given as an object",
     doc(scenario={"orders": {}}),
     message="\"orders\" must be a JSON array, found an object")
case("errors/scenario_unknown_field", "a scenario member the format does not define",
     doc(scenario={"prices": {}}))

# Options in the account (docs/spec.md §12-§13): options/ and errors/options/.
import option_cases  # noqa: E402,F401  (appends to CASES)
import portfolio_cases  # noqa: E402,F401  (appends to CASES)
# Exchange-wide totals (docs/spec.md §5.7-§5.8): totals/ and errors/totals/.
import totals_cases  # noqa: E402,F401  (appends to CASES)
# Open orders (docs/spec.md §5.9): orders/ and errors/orders/.
import orders_cases  # noqa: E402,F401  (appends to CASES)
# Profit in initial equity (docs/spec.md §5.10): profit/ and errors/profit/.
import profit_cases  # noqa: E402,F401  (appends to CASES)
# Hedge mode (docs/spec.md §3.3): hedge/ and errors/hedge/.
import hedge_cases  # noqa: E402,F401  (appends to CASES)
