// Validation of the model: every rule of docs/spec.md §3, each with the
// exact message and path.
#include "support/fixtures.hpp"
#include "vmargin/model/input_path.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {

RiskParameters sample() {
  Market btc = linear_market("BTC-PERP", "BTC-USD", {tier(nullptr, "0.1", "0.05")});
  btc.liquidation_fee_rate = dec<Ratio>("0.01");
  Market inv = inverse_market("BTC-INV", "BTC-USD", "BTC", "100", {tier(nullptr, "0.02", "0.01")});
  RiskParameters p = parameters({btc, inv});
  p.feeds = {FeedRisk{"BTC-USD", dec<Ratio>("0.6"), dec<Ratio>("2")}};
  return p;
}

std::string first_error(const RiskParameters& p) {
  const Status s = validate(p);
  return s.ok() ? "ok" : s.error().to_string();
}

}  // namespace

TEST_CASE("JSON pointers escape ~ and /") {
  CHECK(input_path::escape("a/b~c") == "a~1b~0c");
  CHECK(input_path::market("BTC/USD") == "/risk_parameters/markets/BTC~1USD");
  CHECK(input_path::asset("USDC") == "/risk_parameters/assets/USDC");
  CHECK(input_path::feed_risk("BTC-USD") == "/risk_parameters/feeds/BTC-USD");
  CHECK(input_path::position("X") == "/account/positions/X");
  CHECK(input_path::collateral("USDC") == "/account/collateral/USDC");
  CHECK(input_path::feed_price("BTC-USD") == "/prices/feeds/BTC-USD");
}

TEST_CASE("risk parameters: lookups") {
  const RiskParameters p = sample();
  CHECK(first_error(p) == "ok");
  REQUIRE(p.find_market("BTC-INV") != nullptr);
  CHECK(p.find_market("BTC-INV")->kind == MarketKind::inverse_perpetual);
  CHECK(p.find_market("SOL-PERP") == nullptr);
  CHECK(p.find_asset("USDC") != nullptr);
  CHECK(p.find_feed("BTC-USD") != nullptr);
  CHECK(p.find_feed("ETH-USD") == nullptr);
  CHECK(market_kind_name(MarketKind::inverse_future) == "inverse_future");
}

TEST_CASE("risk parameters: every rule, with its message") {
  RiskParameters p = sample();
  SUBCASE("margin call ratio") {
    p.margin_call_ratio = dec<Ratio>("0.99");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/margin_call_ratio: margin call ratio 0.99 is below 1; a "
          "margin call "
          "must come before liquidation");
  }
  SUBCASE("buffer") {
    p.liquidation_buffer_ratio = dec<Ratio>("-0.1");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/liquidation_buffer_ratio: liquidation buffer ratio -0.1 "
          "is negative");
  }
  SUBCASE("asset weights") {
    p.assets[0].maintenance_weight = dec<Ratio>("1.1");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/maintenance_weight: maintenance weight 1.1 of "
          "BTC is outside [0, 1]");
    p.assets[0].maintenance_weight = dec<Ratio>("0.7");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/initial_weight: initial weight 0.8 of BTC is "
          "outside [0, maintenance weight 0.7]");
    p.assets[0].maintenance_weight = dec<Ratio>("0.9");
    p.assets[0].maintenance_liability_weight = dec<Ratio>("0.9");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/maintenance_liability_weight: maintenance "
          "liability weight 0.9 of BTC is below 1");
    p.assets[0].maintenance_liability_weight = dec<Ratio>("1.3");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/initial_liability_weight: initial liability "
          "weight 1.25 of BTC is below its maintenance liability weight 1.3");
    p.assets[0].maintenance_liability_weight = dec<Ratio>("1.1");
    p.assets[0].size_factor = dec<Ratio>("-1");
    CHECK(
        first_error(p) ==
        "[vmargin.invalid_value] /risk_parameters/assets/BTC/size_factor: size factor -1 of BTC is negative");
    p.assets[0].size_factor = Ratio::zero();
    p.assets[0].volatility_haircut = dec<Ratio>("-1");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/volatility_haircut: volatility haircut -1 of "
          "BTC is negative");
  }
  SUBCASE("feed risk") {
    p.feeds[0].volatility_reference = Ratio::zero();
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/feeds/BTC-USD/volatility_reference: volatility reference "
          "0 of BTC-USD is not positive");
    p.feeds[0].volatility_reference = Ratio::one();
    p.feeds[0].max_volatility_multiplier = dec<Ratio>("0.5");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/feeds/BTC-USD/max_volatility_multiplier: maximum "
          "volatility multiplier 0.5 of BTC-USD is below 1");
  }
  SUBCASE("settlement assets") {
    p.markets[1].settlement_asset = "DAI";  // BTC-PERP (markets are sorted: BTC-INV, BTC-PERP)
    CHECK(first_error(p) ==
          "[vmargin.unknown_asset] /risk_parameters/markets/BTC-PERP/settlement_asset: settlement asset "
          "\"DAI\" of BTC-PERP is not a collateral asset");
    p.markets[1].settlement_asset = "BTC";
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/settlement_asset: linear market "
          "BTC-PERP must settle in an asset pegged to the valuation currency, not in BTC");
    p.markets[1].settlement_asset = "USDC";
    p.markets[0].settlement_asset = "USDC";
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-INV/settlement_asset: inverse market BTC-INV "
          "must settle in the asset its feed BTC-USD prices, not in USDC");
  }
  SUBCASE("inverse contract size is a positive whole number") {
    p.markets[0].contract_size = dec<Money>("10.5");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-INV/contract_size: contract size 10.5 of "
          "BTC-INV is not a positive whole number");
  }
  SUBCASE("tick and lot") {
    p.markets[1].tick_size = Price::zero();
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/tick_size: tick size 0 of BTC-PERP is "
          "not positive");
    p.markets[1].tick_size = dec<Price>("0.1");
    p.markets[1].lot_size = dec<Quantity>("-1");
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/lot_size: lot size -1 of BTC-PERP is "
          "not positive");
  }
  SUBCASE("the liquidation fee must stay below 0.8 x the first maintenance rate") {
    p.markets[1].liquidation_fee_rate = dec<Ratio>("0.04");  // 0.8 x 0.05 = 0.04: not below
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/liquidation_fee_rate: liquidation fee "
          "rate 0.04 of BTC-PERP is not below 0.8 x its first maintenance rate 0.05");
    p.markets[1].liquidation_fee_rate = dec<Ratio>("0.039999999999999999");
    CHECK(first_error(p) == "ok");
  }
  SUBCASE("open interest caps: lower >= 0, upper above it") {
    p.markets[1].open_interest_scaling = OpenInterestScaling{dec<Money>("-1"), dec<Money>("5")};
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/open_interest_scaling/lower_cap: open "
          "interest lower cap -1 of BTC-PERP is negative");
    p.markets[1].open_interest_scaling = OpenInterestScaling{dec<Money>("5"), dec<Money>("5")};
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/BTC-PERP/open_interest_scaling/upper_cap: open "
          "interest upper cap 5 of BTC-PERP is not above its lower cap 5");
    p.markets[1].open_interest_scaling =
        OpenInterestScaling{Money::zero(), dec<Money>("0.000000000000000001")};
    CHECK(first_error(p) == "ok");
  }
  SUBCASE("a deposit limit is positive") {
    p.assets[0].deposit_weight_scale_start = Money::zero();
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/assets/BTC/deposit_weight_scale_start: deposit weight "
          "scale start 0 of BTC is not positive");
    p.assets[0].deposit_weight_scale_start = dec<Money>("1");
    CHECK(first_error(p) == "ok");
  }
  SUBCASE("duplicates and order (C++ callers)") {
    p.markets[1].id = "BTC-INV";
    CHECK(first_error(p) ==
          "[vmargin.duplicate_key] /risk_parameters/markets/BTC-INV: market \"BTC-INV\" appears twice");
    p.markets[1].id = "A";
    CHECK(first_error(p) ==
          "[vmargin.invalid_value] /risk_parameters/markets/A: market must be sorted by id: \"A\" follows "
          "\"BTC-INV\"");
  }
}

TEST_CASE("prices: positive marks and stable prices, non-negative volatility, a time") {
  MarketState m = prices({feed_price("BTC-USD", "60000"), feed_price("ETH-USD", "0")});
  CHECK(validate(m).error().to_string() ==
        "[vmargin.invalid_value] /prices/feeds/ETH-USD/mark: mark price 0 of ETH-USD is not positive");
  m.feeds[1].mark = dec<Price>("3000");
  m.feeds[1].stable = dec<Price>("-1");
  CHECK(validate(m).error().path() == "/prices/feeds/ETH-USD/stable");
  m.feeds[1].stable.reset();
  m.feeds[1].volatility = dec<Ratio>("-0.1");
  CHECK(validate(m).error().path() == "/prices/feeds/ETH-USD/volatility");
  m.feeds[1].volatility = Ratio::zero();
  CHECK(validate(m).ok());
  m.as_of_ms = -1;
  CHECK(validate(m).error().to_string() ==
        "[vmargin.invalid_value] /prices/as_of: evaluation time -1 is before 1970");
}

TEST_CASE("prices: exchange totals sorted, unique, non-negative, also under a snapshot's root") {
  MarketState m = prices({feed_price("BTC-USD", "60000")});
  m.open_interest = {OpenInterest{"BTC-PERP", dec<Quantity>("10")},
                     OpenInterest{"ETH-PERP", Quantity::zero()}};
  m.total_deposits = {TotalDeposits{"BTC", dec<Money>("5")}};
  CHECK(validate(m).ok());
  CHECK(m.find_open_interest("ETH-PERP") == &m.open_interest[1]);
  CHECK(m.find_open_interest("SOL-PERP") == nullptr);
  CHECK(m.find_total_deposits("BTC")->amount == dec<Money>("5"));
  m.open_interest[0].size = dec<Quantity>("-1");
  CHECK(validate(m).error().to_string() ==
        "[vmargin.invalid_value] /prices/open_interest/BTC-PERP: open interest -1 of BTC-PERP is negative");
  CHECK(validate_market_totals(m, "/snapshot/payload").error().path() ==
        "/snapshot/payload/open_interest/BTC-PERP");
  m.open_interest[0].size = Quantity::zero();
  std::swap(m.open_interest[0], m.open_interest[1]);
  CHECK(validate(m).error().code() == ErrorCode::invalid_value);  // not sorted
  m.open_interest[0] = m.open_interest[1];
  CHECK(validate(m).error().code() == ErrorCode::duplicate_key);
  m.open_interest.clear();
  m.total_deposits[0].amount = dec<Money>("-0.5");
  CHECK(validate(m).error().to_string() ==
        "[vmargin.invalid_value] /prices/total_deposits/BTC: total deposits -0.5 of BTC are negative");
}

TEST_CASE("account: quantities nonzero, entry prices positive, isolated margins non-negative, keys unique") {
  Account a = account({balance("USDC", "-5")}, {position("BTC-PERP", "0", "1")});
  CHECK(validate(a).error().to_string() ==
        "[vmargin.invalid_value] /account/positions/BTC-PERP/quantity: position in BTC-PERP has a zero "
        "quantity");
  a.positions[0].quantity = dec<Quantity>("-1");
  a.positions[0].entry_price = dec<Price>("-1");
  CHECK(validate(a).error().path() == "/account/positions/BTC-PERP/entry_price");
  a.positions[0].entry_price = dec<Price>("1");
  a.positions[0].isolated_margin = dec<Money>("-0.1");
  CHECK(validate(a).error().to_string() ==
        "[vmargin.invalid_value] /account/positions/BTC-PERP/isolated_margin: isolated margin -0.1 of "
        "BTC-PERP is negative");
  a.positions[0].isolated_margin = Money::zero();
  CHECK(validate(a).ok());
  a.collateral.push_back(a.collateral[0]);
  CHECK(validate(a).error().code() == ErrorCode::duplicate_key);
}

TEST_CASE("hedge legs: keys, suffixes, signs, no isolation, unique by key") {
  CHECK_FALSE(leg_of_key("BTC-PERP"));
  CHECK_FALSE(leg_of_key(":long"));  // a suffix alone names no market
  REQUIRE(leg_of_key("BTC-PERP:long"));
  CHECK(leg_of_key("BTC-PERP:long")->market == "BTC-PERP");
  CHECK(leg_of_key("BTC-PERP:short")->leg == PositionLeg::short_leg);
  CHECK(leg_of_key("A:B:short")->market == "A:B");

  Position long_leg = position("BTC-PERP", "2", "60000");
  long_leg.leg = PositionLeg::long_leg;
  Position short_leg = position("BTC-PERP", "-1", "61000");
  short_leg.leg = PositionLeg::short_leg;
  CHECK(long_leg.key() == "BTC-PERP:long");
  CHECK(short_leg.key() == "BTC-PERP:short");
  CHECK(position("BTC-PERP", "1", "1").key() == "BTC-PERP");

  Account a = account({balance("USDC", "1000")}, {long_leg, short_leg});
  a.position_mode = PositionMode::hedge;
  CHECK(validate(a).ok());
  a.positions[1].quantity = dec<Quantity>("1");
  CHECK(
      validate(a).error().to_string() ==
      "[vmargin.invalid_value] /account/positions/BTC-PERP:short/quantity: the short leg BTC-PERP:short has "
      "quantity 1; a short leg's must be negative");
  a.positions[1].quantity = dec<Quantity>("-1");
  a.positions[0].isolated_margin = dec<Money>("10");
  CHECK(validate(a).error().path() == "/account/positions/BTC-PERP:long/isolated_margin");
  a.positions[0].isolated_margin.reset();
  a.positions.push_back(a.positions[1]);  // the same leg twice
  CHECK(validate(a).error().code() == ErrorCode::duplicate_key);
}
