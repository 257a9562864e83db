#include "vmargin/codec/model_codec.hpp"

#include <string>

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::codec;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

const char* const params_text = R"({
  "version": 4, "settlement_asset": "USDC", "margin_call_ratio": "1.25",
  "markets": {
    "BTC-PERP": {"kind": "linear_perpetual", "feed": "BTC-USD", "initial_rate": "0.1", "maintenance_rate": "0.05"}
  }})";
const char* const prices_text = R"({"feeds": {"BTC-USD": {"mark": "50000"}}})";
const char* const account_text =
    R"({"id": "a-1", "collateral": {"USDC": "1000"}, "positions": {"BTC-PERP": {"quantity": "-0.1", "entry_price": "51000"}}})";

Json parse(const std::string& text) { return ok_value(parse_strict_json(text)); }

std::string combined(const std::string& params, const std::string& prices, const std::string& account) {
  return R"({"risk_parameters": )" + params + R"(, "prices": )" + prices + R"(, "account": )" + account + "}";
}

}  // namespace

TEST_CASE("decoders build the model") {
  const RiskParameters p = ok_value(decode_risk_parameters(parse(params_text)));
  CHECK(p.version == 4);
  CHECK(p.settlement_asset == "USDC");
  CHECK(p.margin_call_ratio == dec<Ratio>("1.25"));
  REQUIRE(p.markets.size() == 1);
  CHECK(p.markets[0].id == "BTC-PERP");
  CHECK(p.markets[0].maintenance_rate == dec<Ratio>("0.05"));

  const MarketState m = ok_value(decode_market_state(parse(prices_text)));
  REQUIRE(m.feeds.size() == 1);
  CHECK(m.feeds[0].mark == dec<Price>("50000"));

  const Account a = ok_value(decode_account(parse(account_text)));
  CHECK(a.id == "a-1");
  REQUIRE(a.positions.size() == 1);
  CHECK(a.positions[0].quantity == dec<Quantity>("-0.1"));
  CHECK(a.collateral[0].amount == dec<Money>("1000"));
}

TEST_CASE("the report is canonical JSON, the same through every entry point") {
  // notional 0.1 x 50000 = 5000; PnL -0.1 x (50000 - 51000) = 100;
  // IM 500, MM 250; equity 1100; free 600; health 850; ratio 4.4.
  const std::string expected =
      R"({"account":"a-1","cross":{"collateral_value":"1000","equity":"1100","free_collateral":"600",)"
      R"("health":"850","initial_margin":"500","maintenance_margin":"250","margin_ratio":"4.4",)"
      R"("status":"healthy","unrealized_pnl":"100"},"positions":{"BTC-PERP":{"entry_price":"51000",)"
      R"("initial_margin":"500","maintenance_margin":"250","mark_price":"50000","notional":"5000",)"
      R"("quantity":"-0.1","unrealized_pnl":"100"}},"risk_parameters_version":4})";
  CHECK(ok_value(evaluate_json(params_text, prices_text, account_text)) == expected);
  CHECK(ok_value(evaluate_json(combined(params_text, prices_text, account_text))) == expected);
}

TEST_CASE("decoding errors name the field and what was wrong with it") {
  struct Case {
    std::string account;
    std::string expected;
  };
  const Case cases[] = {
      {R"({"collateral": {}, "positions": {}})",
       "[vmargin.missing_field] /account/id: the required field \"id\" is missing"},
      {R"({"id": "a", "collateral": {}, "positions": {}, "leverage": "10"})",
       "[vmargin.unknown_field] /account/leverage: the field \"leverage\" is not part of this format"},
      {R"({"id": 7, "collateral": {}, "positions": {}})",
       "[vmargin.wrong_type] /account/id: \"id\" must be a string, found the number 7"},
      {R"({"id": "a", "collateral": [], "positions": {}})",
       "[vmargin.wrong_type] /account/collateral: \"collateral\" must be a JSON object, found an array"},
      {R"({"id": "a", "collateral": {"USDC": 5}, "positions": {}})",
       "[vmargin.wrong_type] /account/collateral/USDC: expected a decimal string, found the number 5 (write "
       "it as \"5\")"},
      {R"({"id": "a", "collateral": {"USDC": null}, "positions": {}})",
       "[vmargin.wrong_type] /account/collateral/USDC: expected a decimal string, found null"},
      {R"({"id": "a", "collateral": {}, "positions": {"BTC-PERP": {"quantity": "1"}}})",
       "[vmargin.missing_field] /account/positions/BTC-PERP/entry_price: the required field \"entry_price\" "
       "is missing"},
      {R"({"id": "a", "collateral": {}, "positions": {"BTC-PERP": {"quantity": "1.0000000000000000001", "entry_price": "1"}}})",
       "[vmargin.decimal_too_precise] /account/positions/BTC-PERP/quantity: \"1.0000000000000000001\" has 19 "
       "fractional digits; at most 18 are allowed"},
      {R"({"id": "a", "collateral": {}, "positions": {"a/b": "x"}})",
       "[vmargin.wrong_type] /account/positions/a~1b: a position must be a JSON object, found \"x\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.account);
    CHECK(error_of(evaluate_json(params_text, prices_text, c.account)).to_string() == c.expected);
  }
}

TEST_CASE("parameter and price errors carry their document's path") {
  CHECK(error_of(evaluate_json(R"({"version": "4"})", prices_text, account_text)).to_string() ==
        "[vmargin.wrong_type] /risk_parameters/version: \"version\" must be a non-negative integer, found "
        "\"4\"");
  CHECK(
      error_of(evaluate_json(R"({"version": -4})", prices_text, account_text)).to_string() ==
      "[vmargin.wrong_type] /risk_parameters/version: \"version\" must be a non-negative integer, found the "
      "number -4");
  const std::string bad_kind = R"({"version": 1, "settlement_asset": "USDC", "margin_call_ratio": "1.25",
    "markets": {"X": {"kind": "option", "feed": "F", "initial_rate": "0.1", "maintenance_rate": "0.05"}}})";
  CHECK(error_of(evaluate_json(bad_kind, prices_text, account_text)).to_string() ==
        "[vmargin.invalid_value] /risk_parameters/markets/X/kind: unknown market kind \"option\"; expected "
        "\"linear_perpetual\"");
  CHECK(error_of(evaluate_json(params_text, R"({"feeds": {"BTC-USD": {"mark": "-1"}}})", account_text))
            .to_string() ==
        "[vmargin.invalid_value] /prices/feeds/BTC-USD/mark: mark price -1 of BTC-USD is not positive");
  CHECK(error_of(evaluate_json(params_text, R"({"feeds": {"BTC-USD": {"mark": "1"}}})",
                               "{\"id\": \"x\", \"id\": \"y\"}"))
            .to_string() ==
        "[vmargin.duplicate_key] /account/id: the key \"id\" appears twice in one object");
  // The combined document: paths are the same.
  CHECK(error_of(evaluate_json(combined(params_text, prices_text, R"({"id": 1})"))).to_string() ==
        "[vmargin.wrong_type] /account/id: \"id\" must be a string, found the number 1");
  CHECK(error_of(evaluate_json(R"({"risk_parameters": {}, "extra": 1})")).to_string() ==
        "[vmargin.missing_field] /risk_parameters/version: the required field \"version\" is missing");
}

TEST_CASE("encode_error") {
  const Error e(ErrorCode::overflow, "x does not fit", "/account");
  CHECK(canonical_dump(encode_error(e)) ==
        R"({"error":{"code":"overflow","message":"x does not fit","path":"/account"}})");
}
