#include "support/test_support.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"

using namespace vmargin;
using vmargin::test::dec;

namespace {

RiskParameters sample_parameters() {
  RiskParameters p;
  p.version = 3;
  p.settlement_asset = "USDC";
  p.margin_call_ratio = dec<Ratio>("1.5");
  p.markets = {
      Market{"BTC-PERP", MarketKind::linear_perpetual, "BTC-USD", dec<Ratio>("0.1"), dec<Ratio>("0.05")},
      Market{"ETH-PERP", MarketKind::linear_perpetual, "ETH-USD", dec<Ratio>("0.1"), dec<Ratio>("0.05")},
  };
  return p;
}

}  // namespace

TEST_CASE("JSON pointers escape ~ and /") {
  CHECK(input_path::escape("a/b~c") == "a~1b~0c");
  CHECK(input_path::market("BTC/USD") == "/risk_parameters/markets/BTC~1USD");
  CHECK(input_path::position("X") == "/account/positions/X");
  CHECK(input_path::collateral("USDC") == "/account/collateral/USDC");
  CHECK(input_path::feed_price("BTC-USD") == "/prices/feeds/BTC-USD");
}

TEST_CASE("risk parameters: lookups and every validation rule") {
  RiskParameters p = sample_parameters();
  CHECK(validate(p).ok());
  REQUIRE(p.find_market("ETH-PERP") != nullptr);
  CHECK(p.find_market("ETH-PERP")->feed == "ETH-USD");
  CHECK(p.find_market("SOL-PERP") == nullptr);
  CHECK(p.find_market("") == nullptr);

  SUBCASE("initial below maintenance") {
    p.markets[1].initial_rate = dec<Ratio>("0.04");
    const Status s = validate(p);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().to_string() ==
          "[vmargin.invalid_value] /risk_parameters/markets/ETH-PERP/initial_rate: initial rate 0.04 of "
          "ETH-PERP is below its maintenance rate 0.05");
  }
  SUBCASE("negative maintenance rate") {
    p.markets[0].maintenance_rate = dec<Ratio>("-0.01");
    CHECK(validate(p).error().to_string() ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/maintenance_rate: maintenance rate "
          "-0.01 of BTC-PERP is outside [0, 1]");
  }
  SUBCASE("initial rate above 1") {
    p.markets[0].initial_rate = dec<Ratio>("1.01");
    CHECK(validate(p).error().code() == ErrorCode::invalid_value);
  }
  SUBCASE("margin call ratio below 1") {
    p.margin_call_ratio = dec<Ratio>("0.99");
    CHECK(validate(p).error().to_string() ==
          "[vmargin.invalid_value] /risk_parameters/margin_call_ratio: margin call ratio 0.99 is below 1; a "
          "margin call must come before liquidation");
  }
  SUBCASE("duplicate market") {
    p.markets[1].id = "BTC-PERP";
    CHECK(validate(p).error().to_string() ==
          "[vmargin.duplicate_key] /risk_parameters/markets/BTC-PERP: market \"BTC-PERP\" appears twice");
  }
  SUBCASE("unsorted markets (C++ callers)") {
    std::swap(p.markets[0], p.markets[1]);
    CHECK(validate(p).error().to_string() ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP: market must be sorted by id: "
          "\"BTC-PERP\" follows \"ETH-PERP\"");
  }
  SUBCASE("empty ids and feeds") {
    p.markets[0].feed.clear();
    CHECK(validate(p).error().path() == "/risk_parameters/markets/BTC-PERP/feed");
    p.settlement_asset.clear();
    CHECK(validate(p).error().path() == "/risk_parameters/settlement_asset");
  }
}

TEST_CASE("market state: marks must be positive") {
  MarketState m;
  m.feeds = {FeedPrice{"BTC-USD", dec<Price>("60000")}, FeedPrice{"ETH-USD", dec<Price>("0")}};
  CHECK(validate(m).error().to_string() ==
        "[vmargin.invalid_value] /prices/feeds/ETH-USD/mark: mark price 0 of ETH-USD is not positive");
  m.feeds[1].mark = dec<Price>("3000");
  CHECK(validate(m).ok());
  REQUIRE(m.find("ETH-USD") != nullptr);
  CHECK(m.find("ETH-USD")->mark == dec<Price>("3000"));
  CHECK(m.find("SOL-USD") == nullptr);
}

TEST_CASE("account: quantities nonzero, entry prices positive, keys unique") {
  Account a;
  a.id = "a";
  a.collateral = {CollateralBalance{"USDC", dec<Money>("-5")}};  // debts are allowed
  a.positions = {Position{"BTC-PERP", dec<Quantity>("0"), dec<Price>("1")}};
  CHECK(validate(a).error().to_string() ==
        "[vmargin.invalid_value] /account/positions/BTC-PERP/quantity: position in BTC-PERP has a zero "
        "quantity");
  a.positions[0].quantity = dec<Quantity>("-1");
  a.positions[0].entry_price = dec<Price>("-1");
  CHECK(validate(a).error().path() == "/account/positions/BTC-PERP/entry_price");
  a.positions[0].entry_price = dec<Price>("1");
  CHECK(validate(a).ok());
  a.collateral.push_back(a.collateral[0]);
  CHECK(validate(a).error().code() == ErrorCode::duplicate_key);
}
