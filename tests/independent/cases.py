"""The conformance cases of the engine slice. Each case names its inputs;
make_vectors.py derives the expected output with model.py. Error messages
that model.py does not derive (the JSON parser's, type errors, decimal
syntax, overflow) are written here by hand from docs/spec.md and
docs/errors.md.
"""
from __future__ import annotations

import copy
import json


def params(**over):
    p = {
        "version": 7,
        "settlement_asset": "USDC",
        "margin_call_ratio": "1.5",
        "markets": {
            "BTC-PERP": {"kind": "linear_perpetual", "feed": "BTC-USD",
                         "initial_rate": "0.1", "maintenance_rate": "0.05"},
            "ETH-PERP": {"kind": "linear_perpetual", "feed": "ETH-USD",
                         "initial_rate": "0.2", "maintenance_rate": "0.1"},
            "SOL-PERP": {"kind": "linear_perpetual", "feed": "SOL-USD",
                         "initial_rate": "0.25", "maintenance_rate": "0.125"},
        },
    }
    p.update(over)
    return p


def prices(btc="61000", eth="3000.5", sol="150.25"):
    return {"feeds": {"BTC-USD": {"mark": btc}, "ETH-USD": {"mark": eth}, "SOL-USD": {"mark": sol}}}


def account(usdc="10000", positions=None, id="acct-1"):
    return {"id": id, "collateral": {} if usdc is None else {"USDC": usdc},
            "positions": {} if positions is None else positions}


def pos(q, entry):
    return {"quantity": q, "entry_price": entry}


def doc(p=None, m=None, a=None):
    return {"risk_parameters": params() if p is None else p,
            "prices": prices() if m is None else m,
            "account": account() if a is None else a}


def with_path(d, path, value):
    """A copy of d with the value at a list path replaced (None deletes)."""
    d = copy.deepcopy(d)
    cur = d
    for k in path[:-1]:
        cur = cur[k]
    if value is _DELETE:
        del cur[path[-1]]
    else:
        cur[path[-1]] = value
    return d


_DELETE = object()

TWO = {"BTC-PERP": pos("0.5", "60000"), "ETH-PERP": pos("-3", "3100.25")}

CASES = []


def case(name, description, input=None, input_text=None, **extra):
    c = {"name": name, "description": description}
    if input_text is not None:
        c["input_text"] = input_text
    else:
        c["input"] = input
    c.update(extra)
    CASES.append(c)


# --- margin: values --------------------------------------------------------

case("margin/single_long_in_profit", "one long linear perpetual above its entry",
     doc(a=account("10000", {"BTC-PERP": pos("0.5", "60000")})))
case("margin/single_short_in_loss", "one short linear perpetual above its entry",
     doc(m=prices(btc="61000.25"), a=account("5000", {"BTC-PERP": pos("-0.25", "58000.5")})))
case("margin/two_markets_cross", "a long and a short in one cross pool", doc(a=account("10000", TWO)))
case("margin/three_markets_mixed", "three markets, mixed signs and fractional sizes",
     doc(m=prices("59999.9", "3333.33", "99.99"),
         a=account("25000.123456789", {"BTC-PERP": pos("-1.234", "61000.5"),
                                        "ETH-PERP": pos("7.5", "3000"),
                                        "SOL-PERP": pos("-120.75", "101.101")})))
case("margin/no_positions", "collateral only: no requirement, no ratio, healthy",
     doc(a=account("250")))
case("margin/no_positions_zero_balance", "an empty account is healthy, not bankrupt",
     doc(a=account("0")))
case("margin/no_collateral_entries", "positions with no collateral entry at all",
     doc(a=account(None, {"ETH-PERP": pos("1", "2000")})))
case("margin/debt_balance", "a negative settlement balance (a debt) offset by profit",
     doc(a=account("-100", {"BTC-PERP": pos("1", "50000")})))
case("margin/rounding_long", "notional rounds up and a long's PnL rounds down at the 18th digit",
     doc(m=prices(sol="133.333333333333333333"), a=account("100", {"SOL-PERP": pos("0.3", "100")})))
case("margin/rounding_short", "a short's loss rounds down (to the larger loss) at the 18th digit",
     doc(m=prices(sol="133.333333333333333333"), a=account("100", {"SOL-PERP": pos("-0.3", "100")})))
case("margin/rounding_requirement_dust", "a requirement of 5e-20 rounds up to 1e-18",
     doc(m=prices(btc="0.000000001"), a=account("1", {"BTC-PERP": pos("0.000000001", "0.000000001")})))
case("margin/margin_call_boundary_exact", "equity exactly 1.5 x maintenance is healthy",
     doc(a=account("2838.475", {"BTC-PERP": pos("0.5", "60000"), "ETH-PERP": pos("-3", "3100.25")}),
         p=params(markets={"BTC-PERP": params()["markets"]["BTC-PERP"],
                           "ETH-PERP": params()["markets"]["ETH-PERP"]})))
case("margin/margin_call_one_unit_below", "one unit below 1.5 x maintenance is a margin call",
     doc(a=account("2838.474999999999999999", TWO)))
case("margin/liquidation_boundary_equal", "equity equal to maintenance is not liquidatable",
     doc(a=account("1625.9", TWO)))
case("margin/liquidatable_one_unit_below", "one unit below maintenance is liquidatable",
     doc(a=account("1625.899999999999999999", TWO)))
case("margin/bankrupt_zero_equity", "zero equity with a requirement is bankrupt",
     doc(a=account("-799.25", TWO)))
case("margin/bankrupt_negative_equity", "negative equity: bankrupt, negative ratio rounded down",
     doc(m=prices(btc="40000"), a=account("1000", {"BTC-PERP": pos("0.5", "60000")})))
case("margin/negative_balance_no_positions", "a debt and nothing else is bankrupt",
     doc(a=account("-5")))
case("margin/zero_rates", "a market with zero rates: no requirement, no ratio",
     doc(p=params(markets={"BTC-PERP": {"kind": "linear_perpetual", "feed": "BTC-USD",
                                        "initial_rate": "0", "maintenance_rate": "0"}}),
         a=account("1", {"BTC-PERP": pos("2", "60000")})))
case("margin/dust_ratio_saturates", "a dust requirement makes equity / maintenance saturate at the maximum",
     doc(m=prices(btc="0.000000001"),
         a=account("1000", {"BTC-PERP": pos("0.000000001", "0.000000001")})))
case("margin/large_values", "a million contracts at a hundred million: exact at 10^14 notional",
     doc(m=prices(btc="100000000.123456789"),
         a=account("99999999999999.999999999999999999", {"BTC-PERP": pos("1000000", "99999999.5")})))
case("margin/smallest_quantity", "the smallest representable quantity",
     doc(a=account("1", {"BTC-PERP": pos("0.000000000000000001", "60000")})))
case("margin/margin_call_ratio_one", "a margin call ratio of exactly 1: no call band",
     doc(p=params(margin_call_ratio="1"), a=account("1625.9", TWO)))
case("margin/ids_need_escaping", "ids with '/' and '~' and non-ASCII text pass through",
     doc(p=params(markets={"BTC/USD~PERP": {"kind": "linear_perpetual", "feed": "BTC/USD",
                                            "initial_rate": "0.1", "maintenance_rate": "0.05"}}),
         m={"feeds": {"BTC/USD": {"mark": "61000"}}},
         a=account("1000", {"BTC/USD~PERP": pos("0.01", "60000")}, id="compte-é")))
case("margin/trailing_zeros_in_input", "input decimals with trailing zeros, output canonical",
     doc(m=prices(btc="61000.000"), a=account("10000.50", {"BTC-PERP": pos("0.500", "60000.0")})))
case("margin/unused_markets_and_feeds", "parameters and prices for markets the account does not hold",
     doc(a=account("100", {"SOL-PERP": pos("-2", "150")})))

# --- errors ----------------------------------------------------------------

good = json.dumps(doc(a=account("10000", TWO)), separators=(",", ":"))

case("errors/malformed_json_truncated", "a document cut short",
     input_text=good[:-2],
     path="",
     message="not valid JSON: parse error at line 1, column %d: syntax error while parsing object - "
             "unexpected end of input; expected '}'" % (len(good) - 1))
case("errors/malformed_json_trailing", "bytes after the document",
     input_text=good + " x",
     message="not valid JSON: parse error at line 1, column %d: syntax error while parsing value - "
             "invalid literal; last read: '\"3100.25\"}}}} x'; expected end of input" % (len(good) + 2))
case("errors/byte_order_mark", "a UTF-8 byte-order mark before the document",
     input_text="\ufeff" + good)
case("errors/duplicate_key_account", "an account with two \"id\" members",
     input_text=good.replace('"id":"acct-1"', '"id":"acct-1","id":"acct-2"'),
     path="/account/id", message="the key \"id\" appears twice in one object")
case("errors/duplicate_key_position", "the same market twice in positions: last-wins would hide a position",
     input_text=good.replace('"ETH-PERP":{"quantity":"-3"', '"BTC-PERP":{"quantity":"-3"'),
     path="/account/positions/BTC-PERP", message="the key \"BTC-PERP\" appears twice in one object")
case("errors/float_quantity", "a JSON number with a fraction where a decimal string is required",
     input_text=good.replace('"quantity":"0.5"', '"quantity":0.5'),
     path="/account/positions/BTC-PERP/quantity",
     message="found the JSON number 0.5; vmargin formats carry amounts as decimal strings (\"0.5\") and "
             "counts as integers")
case("errors/integer_for_decimal", "a JSON integer where a decimal string is required",
     doc(a=account("10000", TWO) | {"collateral": {"USDC": 10000}}),
     message="expected a decimal string, found the number 10000 (write it as \"10000\")")
case("errors/null_for_decimal", "null where a decimal string is required",
     doc(m={"feeds": {"BTC-USD": {"mark": None}}}),
     message="expected a decimal string, found null")
case("errors/oversize_integer", "an integer beyond 64 bits (nlohmann would turn it into a double)",
     input_text=good.replace('"version":7', '"version":18446744073709551616'),
     path="/risk_parameters/version", message="the integer 18446744073709551616 does not fit 64 bits")
case("errors/version_as_string", "a version given as a string",
     doc(p=params(version="7")),
     message="\"version\" must be a non-negative integer, found \"7\"")
case("errors/negative_version", "a negative version",
     doc(p=params(version=-1)),
     message="\"version\" must be a non-negative integer, found the number -1")
case("errors/account_not_object", "the account is an array",
     doc(a=[]), message="the account must be a JSON object, found an array")
case("errors/unknown_field_position", "a field the format does not define",
     doc(a=account("10000", {"BTC-PERP": pos("1", "60000") | {"leverage": "10"}})))
case("errors/unknown_field_top_level", "an extra top-level document",
     doc() | {"extra": {}})
case("errors/missing_markets", "risk parameters without markets",
     doc(p=with_path(params(), ["markets"], _DELETE)))
case("errors/missing_entry_price", "a position without its entry price",
     doc(a=account("1", {"BTC-PERP": {"quantity": "1"}})))
case("errors/bad_decimal_exponent", "an exponent in a decimal string",
     doc(a=account("1e4")), message="\"1e4\" is not a decimal string: exponents are not allowed")
case("errors/bad_decimal_leading_zero", "a leading zero",
     doc(m=prices(btc="061000")), message="\"061000\" is not a decimal string: leading zeros are not allowed")
case("errors/bad_decimal_plus", "a leading plus sign",
     doc(a=account("10000", {"BTC-PERP": pos("+1", "60000")})),
     message="\"+1\" is not a decimal string: a leading '+' is not allowed")
case("errors/bad_decimal_space", "whitespace inside the string",
     doc(a=account("10000", {"BTC-PERP": pos("1", "60000 ")})),
     message="\"60000 \" is not a decimal string: whitespace is not allowed")
case("errors/decimal_too_precise", "19 fractional digits",
     doc(a=account("10000", {"BTC-PERP": pos("0.1234567890123456789", "60000")})))
case("errors/decimal_out_of_range", "one unit beyond the range",
     doc(a=account("170141183460469231731.687303715884105728")))
case("errors/unknown_market", "a position in a market the parameters do not define",
     doc(a=account("10000", {"DOGE-PERP": pos("1", "0.1")})))
case("errors/missing_price", "no mark for a feed the account needs",
     doc(m={"feeds": {"BTC-USD": {"mark": "61000"}}}, a=account("10000", TWO)))
case("errors/unknown_asset", "collateral in an asset the parameters do not accept",
     doc(a={"id": "a", "collateral": {"DAI": "5"}, "positions": {}}))
case("errors/initial_below_maintenance", "a market whose initial rate is below its maintenance rate",
     doc(p=with_path(params(), ["markets", "ETH-PERP", "initial_rate"], "0.05")))
case("errors/maintenance_rate_negative", "a negative maintenance rate",
     doc(p=with_path(params(), ["markets", "BTC-PERP", "maintenance_rate"], "-0.01")))
case("errors/initial_rate_above_one", "an initial rate above 100%",
     doc(p=with_path(params(), ["markets", "SOL-PERP", "initial_rate"], "1.5")))
case("errors/margin_call_ratio_below_one", "a margin call level below liquidation",
     doc(p=params(margin_call_ratio="0.9")))
case("errors/unknown_market_kind", "a market kind the engine does not know",
     doc(p=with_path(params(), ["markets", "BTC-PERP", "kind"], "option")))
case("errors/mark_not_positive", "a zero mark price",
     doc(m=prices(eth="0")))
case("errors/quantity_zero", "a position of size zero",
     doc(a=account("1", {"BTC-PERP": pos("0", "60000")})))
case("errors/entry_price_negative", "a negative entry price",
     doc(a=account("1", {"BTC-PERP": pos("1", "-60000")})))
case("errors/overflow_notional", "quantity x mark beyond the range",
     doc(a=account("1", {"BTC-PERP": pos("10000000000000000", "1")})),
     message="notional (|quantity| x mark) of BTC-PERP: 10000000000000000 x 61000 does not fit the "
             "fixed-point range of +-170141183460469231731.687303715884105727")
case("errors/overflow_equity", "collateral plus profit beyond the range",
     doc(a=account("170141183460469231731", {"BTC-PERP": pos("1", "60000")})),
     message="equity: 170141183460469231731 + 1000 does not fit the fixed-point range of "
             "+-170141183460469231731.687303715884105727")
