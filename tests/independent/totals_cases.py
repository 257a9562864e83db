"""The conformance cases of the exchange-wide totals (docs/spec.md §3.2,
§5.7, §5.8): dYdX v4's open-interest margin and Mango's deposit limits,
two of the rules of risk model v1.1 (issue 17).

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py. Layout:
  totals/         reports: below, between and above the caps, inverse
                  markets, the stable price, liabilities, what-if, largest order
  errors/totals/  one rejection rule per file

The open-interest caps are dYdX's test liquidity tier 9 (25 and 50 million
USDC); the deposit limit is Mango's form (deposit_weight_scale_start_quote).
"""
from __future__ import annotations

from cases import account, case, doc, feed, params, pos, prices, tier, usdc

OI_CAPS = {"lower_cap": "25000000", "upper_cap": "50000000"}


def oi_params(**extra):
    """BTC-PERP with dYdX's 25M / 50M open-interest caps (notional, USDC)."""
    return params(**{"markets/BTC-PERP/open_interest_scaling": OI_CAPS, **extra})


def with_totals(m, open_interest=None, total_deposits=None):
    if open_interest is not None:
        m["open_interest"] = open_interest
    if total_deposits is not None:
        m["total_deposits"] = total_deposits
    return m


def totals(name, description, d, **extra):
    case(f"totals/{name}", description, d, **extra)


def totals_error(name, description, d, **extra):
    case(f"errors/totals/{name}", description, d, **extra)


BTC2 = {"BTC-PERP": pos("2", "60000")}

# ---- open interest (§5.7) -------------------------------------------------------
for name, oi, where in (("below_lower_cap", "300", "below the lower cap (18.3M)"),
                        ("just_above_lower_cap", "409.836065573770491804",
                         "one unit above the lower cap after rounding up"),
                        ("between_caps", "600", "between the caps (36.6M: 46.4 % of the way)"),
                        ("just_below_upper_cap", "819.672131147540983606", "just below the upper cap"),
                        ("above_upper_cap", "1000", "above the upper cap: the whole notional")):
    totals(f"open_interest_{name}", f"BTC-PERP open interest {oi} BTC at 61000, {where}",
           doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": oi}), a=usdc("100000", **BTC2)))
totals("open_interest_exactly_lower_cap", "an open-interest notional exactly on the lower cap adds nothing",
       doc(p=oi_params(), m=with_totals(prices(BTC="50000"), open_interest={"BTC-PERP": "500"}),
           a=usdc("100000", **BTC2)))
totals("open_interest_exactly_upper_cap", "an open-interest notional exactly on the upper cap: initial = notional",
       doc(p=oi_params(), m=with_totals(prices(BTC="50000"), open_interest={"BTC-PERP": "1000"}),
           a=usdc("100000", **BTC2)))
totals("open_interest_rounding", "the added margin (N - IM) x (X - lower) / (upper - lower) rounds up once",
       doc(p=oi_params(), m=with_totals(prices(BTC="61000.3"), open_interest={"BTC-PERP": "512.345678"}),
           a=usdc("100000", **{"BTC-PERP": pos("-0.123", "60000")})))
totals("open_interest_short_with_premium_and_volatility", "a large short: size premium and volatility "
       "multiplier first, then the open interest margin on what is left of the notional",
       doc(p=oi_params(), m=with_totals(prices(BTC=feed("61000", volatility="0.9")),
                                        open_interest={"BTC-PERP": "700"}),
           a=usdc("2000000", **{"BTC-PERP": pos("-30", "62000")})))
totals("open_interest_nothing_above_full_notional", "an initial rate of 1: the margin already covers the "
       "notional, open interest adds nothing",
       doc(p=params(**{"markets/SOL-PERP/tiers": [tier(None, "1", "0.05")],
                       "markets/SOL-PERP/open_interest_scaling": {"lower_cap": "0", "upper_cap": "1"}}),
           m=with_totals(prices(), open_interest={"SOL-PERP": "1000000"}),
           a=usdc("100000", **{"SOL-PERP": pos("10", "150")})))
totals("open_interest_inverse", "an inverse perpetual: caps and open interest in coins, "
       "X = up(OI x contract size / P), the margin added on the face value",
       doc(p=params(**{"markets/BTC-USD-INV/open_interest_scaling": {"lower_cap": "500", "upper_cap": "1000"}}),
           m=with_totals(prices(), open_interest={"BTC-USD-INV": "450000"}),
           a=account({"BTC": "10"}, {"BTC-USD-INV": pos("-500", "60000")})))
totals("open_interest_isolated", "an isolated position: its pool's initial margin includes the open interest "
       "margin",
       doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": "700"}),
           a=usdc("1000", **{"BTC-PERP": pos("1", "61000", iso="20000")})))
totals("open_interest_of_other_markets_ignored", "open interest for markets without scaling (and for no market "
       "at all) changes nothing and adds no field",
       doc(m=with_totals(prices(), open_interest={"BTC-PERP": "999999", "NOT-A-MARKET": "1"}),
           a=usdc("100000", **BTC2)))
totals("open_interest_maintenance_unchanged", "a pool near liquidation: open interest raises the initial margin "
       "(no free collateral) but the maintenance margin, status and liquidation price are those without it",
       doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": "800"}),
           a=usdc("2500", **BTC2)))
totals("open_interest_whatif_shock", "BTC +30 %: the open-interest notional moves with the mark and crosses the "
       "upper cap",
       doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": "700"}), a=usdc("100000", **BTC2),
           scenario={"shocks": {"BTC-USD": "0.3"}}))
case("max_order/open_interest_scaled", "the largest BTC-PERP buy when open interest is between the caps: the "
     "margin of every lot includes the open interest margin",
     doc(p=oi_params(), m=with_totals(prices(), open_interest={"BTC-PERP": "600"}), a=usdc("100000"),
         query={"market": "BTC-PERP", "side": "buy"}), operation="largest_order")

totals_error("open_interest_missing", "a position in a market that scales with open interest, and none given",
             doc(p=oi_params(), a=usdc("100000", **BTC2)))
totals_error("open_interest_negative", "a negative open interest",
             doc(m=with_totals(prices(), open_interest={"ETH-PERP": "-1"})))
totals_error("open_interest_not_object", "open interest given as an array",
             doc(m=with_totals(prices(), open_interest=["BTC-PERP", "1"])),
             message='"open_interest" must be a JSON object, found an array')
totals_error("open_interest_empty_id", "an open interest entry without a market id",
             doc(m=with_totals(prices(), open_interest={"": "1"})))
totals_error("open_interest_caps_not_increasing", "an upper cap not above the lower cap",
             doc(p=params(**{"markets/BTC-PERP/open_interest_scaling": {"lower_cap": "5", "upper_cap": "5"}})))
totals_error("open_interest_lower_cap_negative", "a negative lower cap",
             doc(p=params(**{"markets/BTC-PERP/open_interest_scaling": {"lower_cap": "-1", "upper_cap": "5"}})))
totals_error("open_interest_scaling_unknown_field", "a misspelled cap",
             doc(p=params(**{"markets/BTC-PERP/open_interest_scaling": {"lower_cap": "1", "upper": "5"}})))

# ---- deposit limits (§5.8) ------------------------------------------------------
LIMITED = {"assets/BTC/deposit_weight_scale_start": "1000000"}
BTC_COLL = {"USDC": "1000", "BTC": "2"}
for deposits, where in (("10", "below"), ("16.393442622950819672", "just_below"), ("100", "above")):
    totals(f"deposit_limit_{where}", f"BTC deposits {deposits} BTC at 61000 against a 1M limit ({where.replace('_', ' ')}): "
           "the initial weight 0.8 times 1M / T once T is above",
           doc(p=params(**LIMITED), m=with_totals(prices(), total_deposits={"BTC": deposits}),
               a=account(BTC_COLL, {"SOL-PERP": pos("10", "150")})))
totals("deposit_limit_stable_above_mark", "T at max(mark, stable): a stable price above the mark counts",
       doc(p=params(**LIMITED), m=with_totals(prices(BTC=feed("61000", stable="62000")), total_deposits={"BTC": "50"}),
           a=account(BTC_COLL, {"SOL-PERP": pos("10", "150")})))
totals("deposit_limit_pegged", "a pegged asset (USDC) above its limit: T is the deposits themselves",
       doc(p=params(**{"assets/USDC/deposit_weight_scale_start": "50000000"}),
           m=with_totals(prices(), total_deposits={"USDC": "80000000"}),
           a=usdc("10000", **{"SOL-PERP": pos("10", "150")})))
totals("deposit_limit_with_size_and_volatility", "the size discount and the volatility haircut first, then the "
       "deposit scale on the initial weight",
       doc(p=params(**LIMITED), m=with_totals(prices(BTC=feed("61000", volatility="0.9")),
                                              total_deposits={"BTC": "40"}),
           a=account({"USDC": "1000", "BTC": "300"}, {"SOL-PERP": pos("10", "150")})))
totals("deposit_limit_liability", "a BTC liability: liability weights are not scaled and no total is needed "
       "(total_deposits_value null)",
       doc(p=params(**LIMITED), a=account({"USDC": "100000", "BTC": "-1"}, {"SOL-PERP": pos("10", "150")})))
totals("deposit_limit_maintenance_unchanged", "an account near liquidation: the limit cuts the initial value "
       "only; maintenance value and status are those without it",
       doc(p=params(**LIMITED), m=with_totals(prices(), total_deposits={"BTC": "1000"}),
           a=account({"BTC": "0.1"}, {"BTC-PERP": pos("1", "62000")})))
totals("deposit_limit_whatif_shock", "BTC +50 %: the deposits' value grows with the price and the weight falls",
       doc(p=params(**LIMITED), m=with_totals(prices(), total_deposits={"BTC": "20"}),
           a=account(BTC_COLL, {"SOL-PERP": pos("10", "150")}), scenario={"shocks": {"BTC-USD": "0.5"}}))
totals("both_totals", "open interest and deposit limits in one account",
       doc(p=oi_params(**LIMITED), m=with_totals(prices(), open_interest={"BTC-PERP": "600"},
                                                 total_deposits={"BTC": "100"}),
           a=account(BTC_COLL, BTC2)))

totals_error("total_deposits_missing", "an asset with a deposit limit held, and no total given",
             doc(p=params(**LIMITED), a=account(BTC_COLL)))
totals_error("total_deposits_negative", "negative total deposits",
             doc(m=with_totals(prices(), total_deposits={"USDC": "-5"})))
totals_error("deposit_weight_scale_start_not_positive", "a deposit limit of zero",
             doc(p=params(**{"assets/BTC/deposit_weight_scale_start": "0"})))
totals_error("open_interest_notional_overflow", "an open-interest notional OI x P beyond the decimal range",
             doc(p=oi_params(), m=with_totals(prices(BTC="2"), open_interest={"BTC-PERP": "100000000000000000000"}),
                 a=usdc("100000", **BTC2)),
             path="/account/positions/BTC-PERP",
             message="position in BTC-PERP: open interest margin: 100000000000000000000 x 2 does not fit the "
                     "fixed-point range of +-170141183460469231731.687303715884105727")
totals("open_interest_inverse_large", "inverse: up(OI x contract size / P) in one step, although OI x contract "
       "size alone (1e22) is beyond the range",
       doc(p=params(**{"markets/BTC-USD-INV/open_interest_scaling": {"lower_cap": "500", "upper_cap": "1000"}}),
           m=with_totals(prices(BTC="1000000"), open_interest={"BTC-USD-INV": "100000000000000000000"}),
           a=account({"BTC": "10"}, {"BTC-USD-INV": pos("-500", "1000000")})))
totals_error("total_deposits_value_overflow", "total deposits worth more than the decimal range",
             doc(p=params(**LIMITED), m=with_totals(prices(), total_deposits={"BTC": "100000000000000000000"}),
                 a=account(BTC_COLL)),
             path="/prices/total_deposits/BTC",
             message="deposit limit of BTC: 100000000000000000000 x 61000 does not fit the fixed-point range of +-170141183460469231731.687303715884105727")
