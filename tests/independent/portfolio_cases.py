"""The conformance cases of portfolio margin (docs/spec.md §14).

Appended to cases.CASES (imported at the end of cases.py). Expected outputs
come from model.py / portfolio_model.py (§14 written as plain integer
programs on top of options.py and kernels.py). Layout:
  portfolio/        reports: each kind of book, grid edges, the tie rule,
                    each contingency, expiries inside the grid, what-if
  errors/portfolio/ one rejection rule per file

The grid is Deribit's shape (±16 % in 4 buckets per side, 23 scenarios)
with Deribit's BTC vol parameters (OPTIONS-ANCHORS §2.7.3) unless a case
says otherwise.
"""
from __future__ import annotations

import copy

from cases import AS_OF, _DELETE, case, pos, set_path
from option_cases import E1, E2, odoc, oprices

PM = {
    "BTC-USD": {"price_range": "0.16", "buckets": 4, "volatility_range_up": "0.5", "volatility_range_down": "0.25",
                "short_term_power": "0.3", "long_term_power": "0.13", "min_volatility_up": "0.5",
                "mm_factor": "0.8", "im_factor": "1", "option_contingency_rate": "0.01",
                "future_contingency_rate": "0.01", "collateral_offsets": True},
    "ETH-USD": {"price_range": "0.2", "buckets": 5, "volatility_range_up": "0.45", "volatility_range_down": "0.3",
                "short_term_power": "0.3", "long_term_power": "0.13", "min_volatility_up": "0.4",
                "mm_factor": "0.75", "im_factor": "1.25", "option_contingency_rate": "0.02",
                "future_contingency_rate": "0.015", "collateral_offsets": False},
}

# Messages §14 does not word (type errors of §2), reviewed by hand.
UNWORDED = {
    "margin_mode_not_a_string": '"margin_mode" must be a string, found the number 1',
    "collateral_offsets_not_boolean": '"collateral_offsets" must be true or false, found "true"',
    "buckets_not_an_integer": '"buckets" must be a non-negative integer, found "4"',
    "feed_id_empty": "portfolio margin feed ids must not be empty",
}


def pdoc(positions, collateral=None, pm=None, mode="portfolio", drop=(), markets=(), **kw):
    """An options account (option_cases.odoc) with portfolio margin parameters
    (PM updated by `pm` per feed, feeds in `drop` removed) and a margin mode."""
    d = odoc(positions, collateral, markets=markets, **kw)
    table = copy.deepcopy(PM)
    for fid, over in (pm or {}).items():
        table[fid].update(over)
    for fid in drop:
        del table[fid]
    d["risk_parameters"]["portfolio_margin"] = table
    if mode is not None:
        d["account"]["margin_mode"] = mode
    return d


def pcase(name, description, d, **extra):
    case(f"portfolio/{name}", description, d, **extra)


def pecase(name, description, d, **extra):
    if name in UNWORDED:
        extra.setdefault("message", UNWORDED[name])
    case(f"errors/portfolio/{name}", description, d, **extra)


C60 = "BTC-25DEC26-60000-C"
P60 = "BTC-25DEC26-60000-P"
C65 = "BTC-25DEC26-65000-C"
P55 = "BTC-25DEC26-55000-P"
C60M = "BTC-26MAR27-60000-C"
E3200 = "ETH-25DEC26-3200-C"

# --- books --------------------------------------------------------------------------
pcase("naked_short_call", "a naked short call: worst at +16 % with volatility up; option contingency on 1 naked short",
      pdoc({C60: pos("-1", "4800")}))
pcase("long_call", "a long call: the worst is the largest loss of premium; no contingency",
      pdoc({C60: pos("1", "4800")}))
pcase("naked_short_put", "a naked short put: worst at -16 % with volatility up",
      pdoc({P60: pos("-2", "4100")}))
pcase("short_straddle", "a short straddle: both wings lose; one strike, calls and puts add up to 2 naked",
      pdoc({C60: pos("-1", "4800"), P60: pos("-1", "4100")}))
pcase("long_straddle", "a long straddle: the worst is the centre with volatility down",
      pdoc({C60: pos("1", "4800"), P60: pos("1", "4100")}))
pcase("call_spread", "short 60000 call, long 65000 call: the loss is capped; naked only at 60000",
      pdoc({C60: pos("-1", "4800"), C65: pos("1", "2700")}))
pcase("risk_reversal", "long 55000 put, short 60000 call",
      pdoc({C60: pos("-1", "4800"), P55: pos("1", "2200")}))
pcase("call_put_same_strike_net_zero", "short call and long put at one strike net to no naked short "
      "(calls and puts together, §14.4)", pdoc({C60: pos("-1", "4800"), P60: pos("1", "4100")}))
pcase("calendar_spread", "short December call, long March call at the same strike: different expiries, "
      "so December is naked", pdoc({C60: pos("-1", "4800"), C60M: pos("1", "6500")}))
pcase("perp_long", "a long perpetual: worst at -16 %, future contingency 1 % of notional",
      pdoc({"BTC-PERP": pos("0.5", "60000")}))
pcase("perp_short", "a short perpetual: worst at +16 %", pdoc({"BTC-PERP": pos("-0.5", "62000")}))
pcase("future_long", "a long dated future revalued like a perpetual",
      pdoc({"BTC-20261225": pos("0.3", "60500")}))
pcase("delta_hedged_short_call", "a short call hedged with a long perpetual: the offset that standard "
      "margin cannot see", pdoc({C60: pos("-1", "4800"), "BTC-PERP": pos("0.55", "61000")}))
pcase("covered_call_collateral_offsets", "a short call covered by 1 BTC of collateral that moves with the grid "
      "(collateral_offsets)", pdoc({C60: pos("-1", "4800")}, {"BTC": "1", "USDC": "1000"}))
pcase("covered_call_no_offsets", "the same covered call without collateral_offsets: the BTC does not move",
      pdoc({C60: pos("-1", "4800")}, {"BTC": "1", "USDC": "1000"}, pm={"BTC-USD": {"collateral_offsets": False}}))
pcase("two_underlyings", "BTC and ETH books: each underlying's worst alone, requirements added",
      pdoc({C60: pos("-1", "4800"), "ETH-PERP": pos("-3", "3010"), E3200: pos("-5", "60")}))
pcase("eth_collateral_no_offsets", "ETH collateral on a feed whose parameters do not offset it",
      pdoc({E3200: pos("-5", "60")}, {"ETH": "2", "USDC": "500"}))
pcase("mixed_book", "options on two expiries, a perpetual, a future and BTC collateral",
      pdoc({C60: pos("-2", "4800"), P55: pos("3", "2200"), C60M: pos("1", "6500"), "BTC-PERP": pos("0.4", "60800"),
            "BTC-20261225": pos("-0.2", "61500")}, {"BTC": "0.5", "USDC": "40000"}))

# --- grid edges -----------------------------------------------------------------------
pcase("grid_one_bucket", "B = 1: five scenarios (-R up, 0 x 3, +R up)",
      pdoc({C60: pos("-1", "4800")}, pm={"BTC-USD": {"buckets": 1}}))
pcase("grid_fifty_buckets", "B = 50 (the largest): 299 scenarios, moves tdiv(i x 0.16, 50)",
      pdoc({C60: pos("-1", "4800")}, pm={"BTC-USD": {"buckets": 50}}))
pcase("grid_inexact_moves", "R / B not exact: tdiv(i x 0.1, 3) truncates toward zero, symmetric",
      pdoc({"BTC-PERP": pos("1", "61000")}, pm={"BTC-USD": {"price_range": "0.1", "buckets": 3}}))
pcase("grid_range_near_one", "R = 0.999999999999999999: the shocked index stays positive (floored)",
      pdoc({P60: pos("-1", "4100")}, pm={"BTC-USD": {"price_range": "0.999999999999999999", "buckets": 2}}))
pcase("min_volatility_up_binds", "the shocked-up volatility floored at 2 (200 %)",
      pdoc({C60: pos("-1", "4800")}, pm={"BTC-USD": {"min_volatility_up": "2"}}))
pcase("volatility_down_floored_at_zero", "d x scale above 1: the shocked-down volatility is 0",
      pdoc({C60: pos("1", "4800")}, pm={"BTC-USD": {"volatility_range_down": "1"}},
           m=oprices(as_of=E1 - 3 * 86_400_000)))
pcase("zero_powers", "p = 0: the scale is pow(r, 0) = exp(0) = 0.999999999999999999",
      pdoc({C60: pos("-1", "4800")}, pm={"BTC-USD": {"short_term_power": "0", "long_term_power": "0"}}))
pcase("zero_factors_and_rates", "mm_factor 0, contingency rates 0: MM 0, IM from the worst loss only",
      pdoc({C60: pos("-1", "4800"), "BTC-PERP": pos("0.1", "61000")},
           pm={"BTC-USD": {"mm_factor": "0", "option_contingency_rate": "0", "future_contingency_rate": "0"}}))

# --- expiry inside the grid -----------------------------------------------------------
pcase("expiry_in_12_hours", "12 hours to expiry: the scale uses the 1-day floor (30 d / 1 d)^0.3",
      pdoc({C60: pos("-1", "4800")}, m=oprices(as_of=E1 - 43_200_000)))
pcase("expiry_exactly_30_days", "exactly 30 days to expiry: the short-term power still applies",
      pdoc({C60: pos("-1", "4800")}, m=oprices(as_of=E1 - 2_592_000_000)))
pcase("expiry_30_days_and_1_second", "30 days and 1 s to expiry: the long-term power applies",
      pdoc({C60: pos("-1", "4800")}, m=oprices(as_of=E1 - 2_592_001_000)))
pcase("expiry_long_dated", "the March expiry (122 days): long-term power", pdoc({C60M: pos("-1", "6500")}))
pcase("expiry_settled_only_ties", "a settled option only: every scenario is 0; the tie goes to scenario 0 "
      "(first minimum); no contingency for a settled option",
      pdoc({C60: pos("-1", "4800")}, m=oprices(as_of=E1 + 1000, expiries={f"BTC-USD/{E1}/settlement_price": "63000"})))
pcase("expiry_settled_beside_live", "a settled December short beside a live March long",
      pdoc({C60: pos("-1", "4800"), C60M: pos("1", "6500")},
           m=oprices(as_of=E1 + 1000, expiries={f"BTC-USD/{E1}/settlement_price": "63000"})))

# --- tie rule -------------------------------------------------------------------------
pcase("tie_flat_book", "a long perpetual and an equal short future: every scenario PnL is 0, worst index 0; "
      "both contingencies still apply", pdoc({"BTC-PERP": pos("1", "61000"), "BTC-20261225": pos("-1", "61200")}))
pcase("ties_across_volatility_shocks", "a short perpetual beside a settled option, B = 2: up, unchanged and down "
      "tie at every inner move (no option moves); the worst is the single +R scenario, the last",
      pdoc({"BTC-PERP": pos("-1", "61000"), C60: pos("1", "4800")}, pm={"BTC-USD": {"buckets": 2}},
           m=oprices(as_of=E1 + 1000, expiries={f"BTC-USD/{E1}/settlement_price": "63000"})))

# --- pools, statuses, modes -----------------------------------------------------------
pcase("liquidatable_no_prices_no_plan", "a thin portfolio pool that is liquidatable: liquidation prices and "
      "plan unavailable (§14.5)", pdoc({C60: pos("-2", "4800"), "BTC-PERP": pos("0.5", "61000")}, {"USDC": "14000"}))
pcase("bankrupt", "equity below zero under portfolio margin", pdoc({C60: pos("-2", "4800")}, {"USDC": "-2000"}))
pcase("isolated_stays_standard", "an isolated SOL perpetual in a portfolio account keeps standard margin; its "
      "feed needs no portfolio parameters", pdoc({C60: pos("-1", "4800"), "SOL-PERP": pos("10", "150", iso="200")},
                                                 drop=()))
pcase("standard_mode_explicit", "margin_mode standard with portfolio parameters present: the standard report",
      pdoc({C60: pos("-1", "4800")}, mode="standard"))
pcase("standard_mode_default", "no margin_mode: standard", pdoc({C60: pos("-1", "4800")}, mode=None))
pcase("whatif_price_shock", "a -10 % shock of BTC under portfolio margin: the grid around the shocked index",
      pdoc({C60: pos("-1", "4800"), "BTC-PERP": pos("0.3", "61000")}, scenario={"shocks": {"BTC-USD": "-0.1"}}))
pcase("whatif_volatility_shock", "+10 volatility points under portfolio margin",
      pdoc({C60: pos("-1", "4800"), P55: pos("1", "2200")}, scenario={"volatility_shocks": {"BTC-USD": "10"}}))
pcase("whatif_days_forward", "7 days forward under portfolio margin", pdoc({C60: pos("-1", "4800")},
                                                                           scenario={"days_forward": 7}))

# --- errors ---------------------------------------------------------------------------
B = {C60: pos("-1", "4800")}
pecase("unknown_margin_mode", "a margin mode other than standard or portfolio", pdoc(B, mode="span"))
pecase("margin_mode_not_a_string", "a margin mode that is a number", pdoc(B, mode=1))
pecase("feed_without_parameters", "an ETH perpetual in a portfolio account with BTC parameters only",
       pdoc(dict(B, **{"ETH-PERP": pos("1", "3000")}), drop=("ETH-USD",)))
pecase("inverse_perpetual", "an inverse perpetual in a portfolio pool", pdoc(dict(B, **{"BTC-USD-INV": pos("100", "60000")}),
                                                                           {"BTC": "1", "USDC": "1000"}))
pecase("inverse_option", "an inverse option in a portfolio pool", pdoc({"BTC-25DEC26-60000-C-INV": pos("-1", "0.08")},
                                                                      {"BTC": "1"}))
for field_, value, tag in (("price_range", "1", "one"), ("price_range", "0", "zero"),
                           ("buckets", 0, "zero"), ("buckets", 51, "above_50"),
                           ("volatility_range_up", "10.5", "high"), ("volatility_range_down", "1.1", "high"),
                           ("short_term_power", "-0.1", "negative"), ("long_term_power", "1.5", "high"),
                           ("min_volatility_up", "-1", "negative"), ("mm_factor", "1.2", "high"),
                           ("im_factor", "0.7", "below_mm_factor"), ("option_contingency_rate", "2", "high"),
                           ("future_contingency_rate", "-0.01", "negative")):
    pecase(f"{field_}_{tag}", f"portfolio margin of BTC-USD with {field_} {value}",
           pdoc(B, pm={"BTC-USD": {field_: value}}))
pecase("order_price_range_before_buckets", "two fields out of range: price_range is checked first",
       pdoc(B, pm={"BTC-USD": {"price_range": "2", "buckets": 0}}))
pecase("collateral_offsets_not_boolean", "collateral_offsets as a string", pdoc(B, pm={"BTC-USD": {"collateral_offsets": "true"}}))
pecase("buckets_not_an_integer", "buckets as a string", pdoc(B, pm={"BTC-USD": {"buckets": "4"}}))
pecase("missing_field", "portfolio margin parameters without im_factor",
       set_path(pdoc(B), "risk_parameters/portfolio_margin/BTC-USD/im_factor", _DELETE))
pecase("unknown_field", "portfolio margin parameters with a field §14.1 does not define",
       pdoc(B, pm={"BTC-USD": {"extended_table": "1"}}))
pecase("feed_id_empty", "portfolio margin parameters under an empty feed id",
       set_path(pdoc(B), "risk_parameters/portfolio_margin/", copy.deepcopy(PM["BTC-USD"])))
pecase("largest_order_refused", "the largest order of a portfolio account is refused (§14.5)",
       pdoc(B, query={"market": "BTC-PERP", "side": "buy"}), operation="largest_order")
