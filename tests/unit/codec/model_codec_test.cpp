#include "vmargin/codec/model_codec.hpp"

#include <string>

#include "support/test_support.hpp"
#include "vmargin/codec/scenario_codec.hpp"

using namespace vmargin;
using namespace vmargin::codec;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

const char* const params_text = R"({
  "version": 4, "margin_call_ratio": "1.25", "liquidation_buffer_ratio": "0",
  "assets": {"USDC": {"feed": null, "initial_weight": "1", "maintenance_weight": "1", "initial_liability_weight": "1",
                      "maintenance_liability_weight": "1", "size_factor": "0", "volatility_haircut": "0"}},
  "feeds": {},
  "markets": {
    "BTC-PERP": {"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5",
                 "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0",
                 "tiers": [{"max_notional": null, "initial_rate": "0.1", "maintenance_rate": "0.05",
                            "initial_amount": "0", "maintenance_amount": "0"}]}
  }})";
const char* const prices_text = R"({"as_of": 1700000000000, "feeds": {"BTC-USD": {"mark": "50000"}}})";
const char* const account_text =
    R"({"id": "a-1", "collateral": {"USDC": "1000"}, "positions": {"BTC-PERP": {"quantity": "-0.1", "entry_price": "51000"}}})";

Json parse(const std::string& text) { return ok_value(parse_strict_json(text)); }

std::string combined(const std::string& params, const std::string& prices, const std::string& account,
                     const std::string& extra = "") {
  return R"({"risk_parameters": )" + params + R"(, "prices": )" + prices + R"(, "account": )" + account +
         extra + "}";
}

std::string with_market(const std::string& market_json) {
  std::string p = params_text;
  const auto start = p.find(R"("BTC-PERP": {)");
  const auto end = p.find("]}", start) + 2;
  return p.substr(0, start) + R"("BTC-PERP": )" + market_json + p.substr(end);
}

}  // namespace

TEST_CASE("decoders build the model") {
  const RiskParameters p = ok_value(decode_risk_parameters(parse(params_text)));
  CHECK(p.version == 4);
  CHECK(p.margin_call_ratio == dec<Ratio>("1.25"));
  REQUIRE(p.assets.size() == 1);
  CHECK_FALSE(p.assets[0].feed.has_value());
  REQUIRE(p.markets.size() == 1);
  CHECK(p.markets[0].tick_size == dec<Price>("0.5"));
  REQUIRE(p.markets[0].tiers.size() == 1);
  CHECK_FALSE(p.markets[0].tiers[0].max_notional.has_value());
  const MarketState m = ok_value(decode_market_state(parse(prices_text)));
  CHECK(m.as_of_ms == 1700000000000);
  CHECK_FALSE(m.feeds[0].stable.has_value());
  const Account a = ok_value(decode_account(parse(account_text)));
  CHECK(a.positions[0].pending_funding == Money::zero());  // optional, default 0
  CHECK_FALSE(a.positions[0].isolated_margin.has_value());
  const Account iso = ok_value(decode_account(parse(
      R"({"id": "x", "collateral": {}, "positions": {"P": {"quantity": "1", "entry_price": "1", "pending_funding": "-2", "isolated_margin": "5"}}})")));
  CHECK(iso.positions[0].pending_funding == dec<Money>("-2"));
  CHECK(iso.positions[0].isolated_margin == dec<Money>("5"));
}

TEST_CASE("a tier table as published: amounts left out are derived by continuity, exactly") {
  // 50x / 20x / 3x, maintenance 1 / (2 x leverage) with 1/6 rounded up; by
  // hand: 20000 x (0.025 - 0.01) = 300, 300 + 100000 x (0.166666666666666667
  // - 0.025) = 14466.6666666666667; initial 600, 600 + 100000 x 0.283333...
  const std::string published = with_market(
      R"({"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5",
          "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0",
          "tiers": [{"max_notional": "20000", "initial_rate": "0.02", "maintenance_rate": "0.01"},
                    {"max_notional": "100000", "initial_rate": "0.05", "maintenance_rate": "0.025",
                     "initial_amount": "600"},
                    {"max_notional": null, "initial_rate": "0.333333333333333334",
                     "maintenance_rate": "0.166666666666666667"}]})");
  const RiskParameters p = ok_value(decode_risk_parameters(parse(published)));
  const std::vector<Tier>& tiers = p.markets[0].tiers;
  REQUIRE(tiers.size() == 3);
  CHECK(tiers[0].maintenance_amount == Money::zero());
  CHECK(tiers[0].initial_amount == Money::zero());
  CHECK(tiers[1].maintenance_amount == dec<Money>("300"));
  CHECK(tiers[1].initial_amount == dec<Money>("600"));  // given, and continuous
  CHECK(tiers[2].maintenance_amount == dec<Money>("14466.6666666666667"));
  CHECK(tiers[2].initial_amount == dec<Money>("28933.3333333333334"));
  CHECK(validate(p).ok());

  // Never rounded: 3e-18 x 0.1 needs 19 decimals.
  const Error e = error_of(decode_risk_parameters(parse(with_market(
      R"({"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5",
          "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0",
          "tiers": [{"max_notional": "0.000000000000000003", "initial_rate": "0.1", "maintenance_rate": "0.05"},
                    {"max_notional": null, "initial_rate": "0.2", "maintenance_rate": "0.15"}]})"))));
  CHECK(e.code() == ErrorCode::invalid_value);
  CHECK(e.path() == "/risk_parameters/markets/BTC-PERP/tiers/1/maintenance_amount");
}

TEST_CASE("the report is canonical JSON, the same through every entry point") {
  const std::string a = ok_value(evaluate_json(params_text, prices_text, account_text));
  CHECK(ok_value(evaluate_json(combined(params_text, prices_text, account_text))) == a);
  // The same account with its members in another order gives the same bytes.
  const std::string reordered =
      R"({"positions": {"BTC-PERP": {"entry_price": "51000", "quantity": "-0.1"}}, "collateral": {"USDC": "1000"}, "id": "a-1"})";
  CHECK(ok_value(evaluate_json(params_text, prices_text, reordered)) == a);
  // Spot checks of the content: short 0.1 from 51000 to 50000 gains 100.
  const Json r = parse(a);
  CHECK(r["positions"]["BTC-PERP"]["unrealized_pnl"] == "100");
  CHECK(r["cross"]["equity"] == "1100");
  CHECK(r["positions"]["BTC-PERP"]["tier"] == 1);
  CHECK(r["positions"]["BTC-PERP"]["pool"] == "cross");
  CHECK(r["isolated"].is_object());
  CHECK(r["as_of"] == 1700000000000);
  CHECK(r["cross"]["liquidation_plan"].is_null());
}

TEST_CASE("decoding errors name the field and what was wrong with it") {
  struct Case {
    std::string params, account;
    std::string expected;
  };
  const Case cases[] = {
      {params_text, R"({"collateral": {}, "positions": {}})",
       "[vmargin.missing_field] /account/id: the required field \"id\" is missing"},
      {params_text, R"({"id": "a", "collateral": {}, "positions": {}, "leverage": "10"})",
       "[vmargin.unknown_field] /account/leverage: the field \"leverage\" is not part of this format"},
      {params_text, R"({"id": "a", "collateral": {"USDC": 5}, "positions": {}})",
       "[vmargin.wrong_type] /account/collateral/USDC: expected a decimal string, found the number 5 (write "
       "it as \"5\")"},
      {params_text,
       R"({"id": "a", "collateral": {}, "positions": {"BTC-PERP": {"quantity": "1", "entry_price": "1", "isolated_margin": null}}})",
       "[vmargin.wrong_type] /account/positions/BTC-PERP/isolated_margin: expected a decimal string, found "
       "null"},
      {with_market(
           R"({"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "contract_size": "100", "tick_size": "0.5", "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0", "tiers": []})"),
       account_text,
       "[vmargin.unknown_field] /risk_parameters/markets/BTC-PERP/contract_size: the field \"contract_size\" "
       "only applies "
       "to inverse markets"},
      {with_market(
           R"({"kind": "linear_future", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5", "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0", "tiers": []})"),
       account_text,
       "[vmargin.missing_field] /risk_parameters/markets/BTC-PERP/expiry: the required field \"expiry\" is "
       "missing"},
      {with_market(
           R"({"kind": "linear_future", "expiry": "2026", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5", "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0", "tiers": []})"),
       account_text,
       "[vmargin.wrong_type] /risk_parameters/markets/BTC-PERP/expiry: \"expiry\" must be a time in "
       "milliseconds since 1970 "
       "(a non-negative integer), found \"2026\""},
      {with_market(
           R"({"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5", "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0", "tiers": {}})"),
       account_text,
       "[vmargin.wrong_type] /risk_parameters/markets/BTC-PERP/tiers: \"tiers\" must be a JSON array, found "
       "an object"},
      {with_market(
           R"({"kind": "linear_perpetual", "feed": "BTC-USD", "settlement_asset": "USDC", "tick_size": "0.5", "lot_size": "0.001", "size_premium_factor": "0", "liquidation_fee_rate": "0", "tiers": [{"max_notional": "x"}]})"),
       account_text,
       "[vmargin.bad_decimal] /risk_parameters/markets/BTC-PERP/tiers/0/max_notional: \"x\" is not a decimal "
       "string: "
       "unexpected character at position 1"},
      {with_market(R"({"kind": "option", "feed": "BTC-USD"})"), account_text,
       "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/kind: unknown market kind \"option\"; "
       "expected "
       "linear_perpetual, inverse_perpetual, linear_future or inverse_future"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.account);
    CHECK(error_of(evaluate_json(c.params, prices_text, c.account)).to_string() == c.expected);
  }
  CHECK(error_of(evaluate_json(params_text, R"({"feeds": {}})", account_text)).to_string() ==
        "[vmargin.missing_field] /prices/as_of: the required field \"as_of\" is missing");
  CHECK(error_of(evaluate_json(combined(params_text, prices_text, account_text, R"(, "extra": 1)")))
            .to_string() == "[vmargin.unknown_field] /extra: the field \"extra\" is not part of this format");
}

TEST_CASE("scenarios in the combined document") {
  // A 10% shock: mark 45000, the short gains 600.
  const std::string out = ok_value(evaluate_json(
      combined(params_text, prices_text, account_text, R"(, "scenario": {"shocks": {"BTC-USD": "-0.1"}})")));
  CHECK(parse(out)["positions"]["BTC-PERP"]["unrealized_pnl"] == "600");
  CHECK(error_of(
            evaluate_json(combined(params_text, prices_text, account_text,
                                   R"(, "scenario": {"orders": [{"market": "BTC-PERP", "quantity": 1}]})")))
            .to_string() ==
        "[vmargin.wrong_type] /scenario/orders/0/quantity: expected a decimal string, found the number 1 "
        "(write it as \"1\")");
  CHECK(error_of(
            evaluate_json(combined(params_text, prices_text, account_text, R"(, "scenario": {"shock": {}})")))
            .to_string() ==
        "[vmargin.unknown_field] /scenario/shock: the field \"shock\" is not part of this format");
}

TEST_CASE("largest order through JSON, and the --shock argument") {
  const std::string out = ok_value(largest_order_json(combined(
      params_text, prices_text, account_text, R"(, "query": {"market": "BTC-PERP", "side": "sell"})")));
  // Short 0.1 from 51000 at mark 50000, equity 1100 (PnL 100); the
  // initial margin is 500 + 5 per lot sold. 120 lots would need exactly
  // 1100, but the averaged entry (11100 / 0.22) rounds down for a short and
  // leaves equity at 1099.999999999999999999: 119 lots.
  const Json r = parse(out);
  CHECK(r["quantity"] == "-0.119");
  CHECK(r["pool_after"]["initial_margin"] == "1095");
  CHECK(error_of(largest_order_json(combined(params_text, prices_text, account_text,
                                             R"(, "query": {"market": "BTC-PERP", "side": "short"})")))
            .to_string() ==
        "[vmargin.invalid_value] /query/side: side \"short\" is neither \"buy\" nor \"sell\"");
  CHECK(ok_value(parse_shock_argument("BTC-USD=-10%")).change == dec<Ratio>("-0.1"));
  CHECK(ok_value(parse_shock_argument("BTC-USD=0.025")).change == dec<Ratio>("0.025"));
  CHECK(ok_value(parse_shock_argument("A=B=1%")).feed == "A=B");  // the last '=' splits
  CHECK(error_of(parse_shock_argument("BTC-USD")).code() == ErrorCode::invalid_value);
  CHECK(error_of(parse_shock_argument("BTC-USD=ten%")).code() == ErrorCode::bad_decimal);
  CHECK(error_of(parse_shock_argument("BTC-USD=0.00000000000000001%")).code() ==
        ErrorCode::decimal_too_precise);
}

TEST_CASE("typed evaluations are what the text functions encode") {
  const Evaluation e = ok_value(evaluate_text(params_text, prices_text, account_text));
  CHECK(e.report.account == "a-1");
  CHECK(e.risk_parameters.version == 4);
  CHECK(report_text(e) == ok_value(evaluate_json(params_text, prices_text, account_text)));
  const Evaluation c = ok_value(evaluate_text(combined(params_text, prices_text, account_text)));
  CHECK(report_text(c) == report_text(e));
  // Separate documents: each decoded under its own path prefix.
  CHECK(error_of(decode_evaluation_documents(params_text, prices_text, "[]")).to_string() ==
        error_of(evaluate_json(params_text, prices_text, "[]")).to_string());
  CHECK(error_of(evaluate_text(params_text, "{", account_text)).path() == "/prices");
}

TEST_CASE("largest order from separate documents: the same bytes and errors as the combined document") {
  const std::string query = R"(, "query": {"market": "BTC-PERP", "side": "sell"})";
  const OrderQuery q = ok_value(order_query_of("BTC-PERP", "sell", std::nullopt));
  CHECK(ok_value(largest_order_json(params_text, prices_text, account_text, {}, q)) ==
        ok_value(largest_order_json(combined(params_text, prices_text, account_text, query))));
  const Scenario shock{{{"BTC-USD", dec<Ratio>("-0.1")}}, {}, {}};
  CHECK(ok_value(largest_order_json(params_text, prices_text, account_text, shock, q)) ==
        ok_value(largest_order_json(combined(params_text, prices_text, account_text,
                                             R"(, "scenario": {"shocks": {"BTC-USD": "-0.1"}})" + query))));
  CHECK(largest_order_text(ok_value(largest_order_of(params_text, prices_text, account_text, {}, q))) ==
        ok_value(largest_order_json(params_text, prices_text, account_text, {}, q)));
  // Errors keep their code, path and message.
  const std::string bad_account = R"({"id": "a-1", "collateral": {"USDC": "x"}})";
  CHECK(error_of(largest_order_json(params_text, prices_text, bad_account, {}, q)).to_string() ==
        error_of(largest_order_json(combined(params_text, prices_text, bad_account, query))).to_string());
  const OrderQuery unknown = ok_value(order_query_of("ETH-PERP", "buy", std::nullopt));
  CHECK(error_of(largest_order_json(params_text, prices_text, account_text, {}, unknown)).to_string() ==
        error_of(largest_order_json(combined(params_text, prices_text, account_text,
                                             R"(, "query": {"market": "ETH-PERP", "side": "buy"})")))
            .to_string());
  CHECK(error_of(order_query_of("BTC-PERP", "sell", std::string("abc"))).path() == "/query/price");
  CHECK(error_of(order_query_of("BTC-PERP", "short", std::nullopt)).to_string() ==
        "[vmargin.invalid_value] /query/side: side \"short\" is neither \"buy\" nor \"sell\"");
}

TEST_CASE("encode_error") {
  const Error e(ErrorCode::overflow, "x does not fit", "/account");
  CHECK(canonical_dump(encode_error(e)) ==
        R"({"error":{"code":"overflow","message":"x does not fit","path":"/account"}})");
}

TEST_CASE("the report text escapes ids exactly as canonical JSON does") {
  // Ids are free text: quotes, backslashes, control characters and non-ASCII
  // must come out as canonical_dump writes them (the report is written
  // directly, not through a JSON tree).
  const std::string id = "a\"b\\c\nd\te\x01\x1f\x7f-\xc3\xa9-\xf0\x9f\x92\xb0";
  Json account = parse(account_text);
  account["id"] = id;
  const std::string text = ok_value(evaluate_json(params_text, prices_text, canonical_dump(account)));
  CHECK(text.find("\"account\":" + canonical_dump(Json(id)) + ",") != std::string::npos);
  const Json back = ok_value(parse_strict_json(text));
  CHECK(back["account"] == id);
  CHECK(canonical_dump(back) == text);  // the text is canonical: keys sorted, no whitespace
}
