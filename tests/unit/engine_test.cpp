// evaluate(): the slice end to end through the C++ API, values by hand.
#include "vmargin/engine.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

RiskParameters parameters() {
  RiskParameters p;
  p.version = 7;
  p.settlement_asset = "USDC";
  p.margin_call_ratio = dec<Ratio>("1.5");
  p.markets = {
      Market{"BTC-PERP", MarketKind::linear_perpetual, "BTC-USD", dec<Ratio>("0.1"), dec<Ratio>("0.05")},
      Market{"ETH-PERP", MarketKind::linear_perpetual, "ETH-USD", dec<Ratio>("0.2"), dec<Ratio>("0.1")},
  };
  return p;
}

MarketState prices(const char* btc, const char* eth) {
  MarketState m;
  m.feeds = {FeedPrice{"BTC-USD", dec<Price>(btc)}, FeedPrice{"ETH-USD", dec<Price>(eth)}};
  return m;
}

Account account(const char* usdc) {
  Account a;
  a.id = "acct-1";
  a.collateral = {CollateralBalance{"USDC", dec<Money>(usdc)}};
  a.positions = {Position{"BTC-PERP", dec<Quantity>("0.5"), dec<Price>("60000")},
                 Position{"ETH-PERP", dec<Quantity>("-3"), dec<Price>("3100.25")}};
  return a;
}

}  // namespace

TEST_CASE("a healthy cross account") {
  const AccountReport r = ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("10000")));
  CHECK(r.account == "acct-1");
  REQUIRE(r.positions.size() == 2);
  const PositionReport& btc = r.positions[0];
  CHECK(btc.market == "BTC-PERP");
  CHECK(btc.notional == dec<Money>("30500"));           // 0.5 x 61000
  CHECK(btc.unrealized_pnl == dec<Money>("500"));       // 0.5 x (61000 - 60000)
  CHECK(btc.initial_margin == dec<Money>("3050"));      // 30500 x 0.1
  CHECK(btc.maintenance_margin == dec<Money>("1525"));  // 30500 x 0.05
  const PositionReport& eth = r.positions[1];
  CHECK(eth.notional == dec<Money>("9001.5"));            // 3 x 3000.5
  CHECK(eth.unrealized_pnl == dec<Money>("299.25"));      // -3 x (3000.5 - 3100.25)
  CHECK(eth.initial_margin == dec<Money>("1800.3"));      // 9001.5 x 0.2
  CHECK(eth.maintenance_margin == dec<Money>("900.15"));  // 9001.5 x 0.1
  CHECK(r.cross.collateral_value == dec<Money>("10000"));
  CHECK(r.cross.unrealized_pnl == dec<Money>("799.25"));
  CHECK(r.cross.equity == dec<Money>("10799.25"));
  CHECK(r.cross.initial_margin == dec<Money>("4850.3"));
  CHECK(r.cross.maintenance_margin == dec<Money>("2425.15"));
  CHECK(r.cross.free_collateral == dec<Money>("5948.95"));  // 10799.25 - 4850.3
  CHECK(r.cross.health == dec<Money>("8374.1"));            // 10799.25 - 2425.15
  // 10799.25 / 2425.15 = 30855 / 6929 = 4.4530235243180834175... (rounded down)
  CHECK(r.cross.margin_ratio == dec<Ratio>("4.453023524318083417"));
  CHECK(r.cross.status == MarginStatus::healthy);
}

TEST_CASE("status follows equity through call, liquidation and bankruptcy") {
  // Requirements at these marks: MM = 2425.15; equity = USDC + 799.25.
  // 1.5 x 2425.15 = 3637.725 = equity at 2838.475 USDC: exactly at the call level is healthy.
  CHECK(ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("2838.475"))).cross.status ==
        MarginStatus::healthy);
  CHECK(ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("2838.474999999999999999")))
            .cross.status == MarginStatus::margin_call);
  CHECK(ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("1625.9"))).cross.status ==
        MarginStatus::margin_call);  // equity 2425.15 == maintenance: not liquidatable
  CHECK(ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("1625.899999999999999999")))
            .cross.status == MarginStatus::liquidatable);
  CHECK(ok_value(evaluate(parameters(), prices("61000", "3000.5"), account("-799.25"))).cross.status ==
        MarginStatus::bankrupt);  // equity 0 with a requirement
}

TEST_CASE("an account with no positions") {
  Account a = account("250");
  a.positions.clear();
  const AccountReport r = ok_value(evaluate(parameters(), prices("61000", "3000.5"), a));
  CHECK(r.positions.empty());
  CHECK(r.cross.equity == dec<Money>("250"));
  CHECK(r.cross.maintenance_margin == Money::zero());
  CHECK_FALSE(r.cross.margin_ratio.has_value());
  CHECK(r.cross.status == MarginStatus::healthy);
  CHECK(r.cross.free_collateral == dec<Money>("250"));
}

TEST_CASE("references that do not resolve are typed errors with paths") {
  Account a = account("10000");
  a.positions.push_back(Position{"SOL-PERP", dec<Quantity>("1"), dec<Price>("1")});
  CHECK(
      error_of(evaluate(parameters(), prices("61000", "3000.5"), a)).to_string() ==
      "[vmargin.unknown_market] /account/positions/SOL-PERP: market \"SOL-PERP\" is not defined in the risk "
      "parameters");

  MarketState only_btc;
  only_btc.feeds = {FeedPrice{"BTC-USD", dec<Price>("61000")}};
  CHECK(error_of(evaluate(parameters(), only_btc, account("10000"))).to_string() ==
        "[vmargin.missing_price] /prices/feeds/ETH-USD: no mark price for feed \"ETH-USD\", which marks "
        "ETH-PERP");

  Account b = account("10000");
  b.collateral = {CollateralBalance{"DAI", dec<Money>("1")}};
  CHECK(error_of(evaluate(parameters(), prices("61000", "3000.5"), b)).to_string() ==
        "[vmargin.unknown_asset] /account/collateral/DAI: collateral asset \"DAI\" is not accepted; the risk "
        "parameters accept \"USDC\"");
}

TEST_CASE("overflow anywhere is an error naming the position, never a wrapped number") {
  Account a = account("10000");
  a.positions[0].quantity = dec<Quantity>("100000000000000000");  // 1e17 x 61000 > 1.7e20
  const Error e = error_of(evaluate(parameters(), prices("61000", "3000.5"), a));
  CHECK(e.code() == ErrorCode::overflow);
  CHECK(e.path() == "/account/positions/BTC-PERP");
  CHECK(e.message() ==
        "notional (|quantity| x mark) of BTC-PERP: 100000000000000000 x 61000 does not fit the fixed-point "
        "range of +-170141183460469231731.687303715884105727");

  Account b = account("170141183460469231731");
  const Error sum = error_of(evaluate(parameters(), prices("61000", "3000.5"), b));
  CHECK(sum.code() == ErrorCode::overflow);
  CHECK(sum.path() == "/account");
  CHECK(sum.message().rfind("equity: ", 0) == 0);
}
