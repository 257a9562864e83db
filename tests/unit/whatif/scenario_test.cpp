#include "vmargin/whatif/scenario.hpp"

#include "support/fixtures.hpp"
#include "vmargin/whatif/largest_order.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {

RiskParameters params() {
  Market btc = linear_market("BTC-PERP", "BTC-USD", {tier(nullptr, "0.1", "0.05")}, "0.1", "0.001");
  Market inv = inverse_market("BTC-INV", "BTC-USD", "BTC", "100", {tier(nullptr, "0.02", "0.01")});
  return parameters({btc, inv});
}

ScenarioInputs apply(const Account& a, const Scenario& s, const char* mark = "50000") {
  return ok_value(apply_scenario(params(), prices({feed_price("BTC-USD", mark)}), a, s));
}

const Position* find(const Account& a, const std::string& market) {
  for (const Position& p : a.positions) {
    if (p.market == market) return &p;
  }
  return nullptr;
}

Money balance_of(const Account& a, const std::string& asset) {
  for (const CollateralBalance& b : a.collateral) {
    if (b.asset == asset) return b.amount;
  }
  return Money::zero();
}

Order order(const char* market, const char* quantity, const char* price = nullptr) {
  Order o{market, dec<Quantity>(quantity), std::nullopt};
  if (price != nullptr) o.price = dec<Price>(price);
  return o;
}

}  // namespace

TEST_CASE("shocks move the mark and the stable price, rounded down") {
  MarketState m = prices({feed_price("BTC-USD", "61000")});
  m.feeds[0].stable = dec<Price>("60500");
  Scenario s;
  s.shocks = {PriceShock{"BTC-USD", dec<Ratio>("-0.1")}};
  const ScenarioInputs in = ok_value(apply_scenario(params(), m, account({}, {}), s));
  CHECK(in.prices.feeds[0].mark == dec<Price>("54900"));
  CHECK(in.prices.feeds[0].stable == dec<Price>("54450"));
  // 1 x (1 - 0.333333333333333333) = 0.666666666666666667 exactly; 3 x that rounds down.
  s.shocks = {PriceShock{"BTC-USD", dec<Ratio>("-0.333333333333333333")}};
  const ScenarioInputs third =
      ok_value(apply_scenario(params(), prices({feed_price("BTC-USD", "3.3")}), account({}, {}), s));
  CHECK(third.prices.feeds[0].mark == dec<Price>("2.200000000000000001"));
  s.shocks = {PriceShock{"BTC-USD", dec<Ratio>("-1")}};
  CHECK(error_of(apply_scenario(params(), m, account({}, {}), s)).to_string() ==
        "[vmargin.invalid_value] /scenario/shocks/BTC-USD: a shock of -1 would make the price of BTC-USD "
        "non-positive");
  s.shocks = {PriceShock{"ETH-USD", dec<Ratio>("0.1")}};
  CHECK(error_of(apply_scenario(params(), m, account({}, {}), s)).code() == ErrorCode::missing_price);
}

TEST_CASE("collateral changes add, create and remove balances") {
  Scenario s;
  s.collateral = {CollateralChange{"BTC", dec<Money>("0.5")}, CollateralChange{"USDC", dec<Money>("-100")}};
  const ScenarioInputs in = apply(account({balance("USDC", "100")}, {}), s);
  CHECK(balance_of(in.account, "BTC") == dec<Money>("0.5"));
  CHECK(in.account.collateral.size() == 1);  // USDC reached 0 and is gone
}

TEST_CASE("orders: open, average, reduce, close and flip") {
  const Account base = account({balance("USDC", "1000")}, {position("BTC-PERP", "1", "60000")});
  Scenario s;
  // Same side: (1 x 60000 + 2 x 60001) / 3 = 60000.666... rounded up for a long.
  s.orders = {order("BTC-PERP", "2", "60001")};
  ScenarioInputs in = apply(base, s);
  CHECK(find(in.account, "BTC-PERP")->quantity == dec<Quantity>("3"));
  CHECK(find(in.account, "BTC-PERP")->entry_price == dec<Price>("60000.666666666666666667"));
  // Reduce: sell 0.4 at 61000, realized 0.4 x 1000 = 400 into USDC, entry unchanged.
  s.orders = {order("BTC-PERP", "-0.4", "61000")};
  in = apply(base, s);
  CHECK(find(in.account, "BTC-PERP")->quantity == dec<Quantity>("0.6"));
  CHECK(find(in.account, "BTC-PERP")->entry_price == dec<Price>("60000"));
  CHECK(balance_of(in.account, "USDC") == dec<Money>("1400"));
  // Close at the mark (50000): -10000 realized, position gone.
  s.orders = {order("BTC-PERP", "-1")};
  in = apply(base, s);
  CHECK(find(in.account, "BTC-PERP") == nullptr);
  CHECK(balance_of(in.account, "USDC") == dec<Money>("-9000"));
  // Flip: sell 1.5 at 55000: close 1 (-5000), open -0.5 at 55000.
  s.orders = {order("BTC-PERP", "-1.5", "55000")};
  in = apply(base, s);
  CHECK(find(in.account, "BTC-PERP")->quantity == dec<Quantity>("-0.5"));
  CHECK(find(in.account, "BTC-PERP")->entry_price == dec<Price>("55000"));
  CHECK(balance_of(in.account, "USDC") == dec<Money>("-4000"));
  // A new position opens in the cross pool at the fill price.
  s.orders = {order("BTC-INV", "-10")};
  in = apply(base, s);
  CHECK(find(in.account, "BTC-INV")->quantity == dec<Quantity>("-10"));
  CHECK(find(in.account, "BTC-INV")->entry_price == dec<Price>("50000"));
}

TEST_CASE("inverse and isolated settlement") {
  // Short 100 contracts (face 10000) at 62000, closed 40 at 50000: USD PnL
  // 4000 x 12000 / 62000 = 774.19..., in coins / 50000, both rounded down.
  Position p = position("BTC-INV", "-100", "62000");
  p.isolated_margin = dec<Money>("0.1");
  Scenario s;
  s.orders = {order("BTC-INV", "40")};
  ScenarioInputs in = apply(account({}, {p}), s);
  CHECK(find(in.account, "BTC-INV")->quantity == dec<Quantity>("-60"));
  CHECK(*find(in.account, "BTC-INV")->isolated_margin == dec<Money>("0.115483870967741935"));
  // Closing it all returns the isolated margin to the BTC balance.
  s.orders = {order("BTC-INV", "100")};
  in = apply(account({}, {p}), s);
  CHECK(find(in.account, "BTC-INV") == nullptr);
  CHECK(balance_of(in.account, "BTC") == dec<Money>("0.138709677419354838"));  // 0.1 + 0.038709677419354838
}

TEST_CASE("orders are checked against the market") {
  Scenario s;
  s.orders = {order("DOGE-PERP", "1")};
  CHECK(error_of(apply_scenario(params(), prices({feed_price("BTC-USD", "1")}), account({}, {}), s))
            .to_string() ==
        "[vmargin.unknown_market] /scenario/orders/0/market: market \"DOGE-PERP\" is not defined in the risk "
        "parameters");
  s.orders = {order("BTC-PERP", "0.0015")};
  CHECK(error_of(apply_scenario(params(), prices({feed_price("BTC-USD", "1")}), account({}, {}), s))
            .to_string() ==
        "[vmargin.invalid_value] /scenario/orders/0/quantity: order quantity 0.0015 is not a multiple of the "
        "lot size "
        "0.001 of BTC-PERP");
}

TEST_CASE("largest_order: the initial requirement bounds new exposure; reductions always pass") {
  // USDC 10000 at 50000 with a 10% initial rate: n lots of 0.001 need 5 n: 2000 lots.
  const Account flat = account({balance("USDC", "10000")}, {});
  LargestOrder o = ok_value(largest_order(params(), prices({feed_price("BTC-USD", "50000")}), flat, {},
                                          OrderQuery{"BTC-PERP", OrderSide::buy, std::nullopt}));
  CHECK(o.quantity == dec<Quantity>("2"));
  CHECK(o.pool_after.initial_margin == dec<Money>("10000"));
  CHECK(o.pool_after.free_collateral == Money::zero());
  o = ok_value(largest_order(params(), prices({feed_price("BTC-USD", "50000")}), flat, {},
                             OrderQuery{"BTC-PERP", OrderSide::sell, std::nullopt}));
  CHECK(o.quantity == dec<Quantity>("-2"));
  // Buying above the mark costs the difference at once: n lots at 51000
  // lose n, and need 5 n: 10000 - n >= 5 n: 1666 lots.
  o = ok_value(largest_order(params(), prices({feed_price("BTC-USD", "50000")}), flat, {},
                             OrderQuery{"BTC-PERP", OrderSide::buy, dec<Price>("51000")}));
  CHECK(o.quantity == dec<Quantity>("1.666"));
  // Holding a short of 1 at the mark: selling grows it (1 more is 10000 of
  // requirement with 10000 of equity: 1000 lots), buying first closes 1000
  // lots, then opens up to 2 more.
  const Account shorted = account({balance("USDC", "10000")}, {position("BTC-PERP", "-1", "50000")});
  o = ok_value(largest_order(params(), prices({feed_price("BTC-USD", "50000")}), shorted, {},
                             OrderQuery{"BTC-PERP", OrderSide::sell, std::nullopt}));
  CHECK(o.quantity == dec<Quantity>("-1"));
  o = ok_value(largest_order(params(), prices({feed_price("BTC-USD", "50000")}), shorted, {},
                             OrderQuery{"BTC-PERP", OrderSide::buy, std::nullopt}));
  CHECK(o.quantity == dec<Quantity>("3"));
}

TEST_CASE("largest_order: an answer whose pool cannot be valued is the error, never invented figures") {
  // Issue 18, defect 1: an isolated long of 1.5 at 70000 with 1000 of margin,
  // mark 61000. The 1500 reducing lots pass by rule, but selling more than
  // 111 of them realizes a loss beyond the margin: the order of 1500 lots
  // cannot be applied. It used to be reported as -1.5 with an all-zero,
  // "healthy" pool_after; eval of the same order is rejected.
  Position iso = position("BTC-PERP", "1.5", "70000");
  iso.isolated_margin = dec<Money>("1000");
  const Account a = account({balance("USDC", "10000")}, {iso});
  const MarketState m = prices({feed_price("BTC-USD", "61000")});
  const Error e = error_of(largest_order(params(), m, a, {}, OrderQuery{"BTC-PERP", OrderSide::sell, {}}));
  CHECK(
      e.to_string() ==
      "[vmargin.invalid_value] /query: the largest order, a sell of 1.5 BTC-PERP (reducing the position: it "
      "passes by rule), cannot be valued: the order's realized loss exceeds the isolated margin of "
      "BTC-PERP");
  Scenario s;
  s.orders = {order("BTC-PERP", "-1.5")};
  CHECK(error_of(apply_scenario(params(), m, a, s)).code() == ErrorCode::invalid_value);
  // Buying lands in the same pool, which can be valued: nothing passes (it
  // is bankrupt), and its real figures are reported.
  const LargestOrder buy =
      ok_value(largest_order(params(), m, a, {}, OrderQuery{"BTC-PERP", OrderSide::buy, {}}));
  CHECK(buy.quantity == Quantity::zero());
  CHECK(buy.pool_after.equity == dec<Money>("-12500"));
  CHECK(buy.pool_after.status == MarginStatus::bankrupt);
}

TEST_CASE("largest_order: an account that cannot be valued is the evaluation's error") {
  // A notional of 10^13 x 10^8 does not fit the fixed-point range: eval
  // fails with overflow, and so must max-order, on both sides (selling
  // reduces the position: its lots pass by rule, but the account itself
  // still cannot be valued). It used to report 0 with an all-zero pool.
  const Account a =
      account({balance("USDC", "10000")}, {position("BTC-PERP", "10000000000000", "100000000")});
  const MarketState m = prices({feed_price("BTC-USD", "100000000")});
  const Error eval_error = error_of(evaluate(params(), m, a));
  CHECK(eval_error.code() == ErrorCode::overflow);
  for (const OrderSide side : {OrderSide::buy, OrderSide::sell}) {
    CAPTURE(static_cast<int>(side));
    CHECK(error_of(largest_order(params(), m, a, {}, OrderQuery{"BTC-PERP", side, {}})) == eval_error);
  }
}

TEST_CASE("largest_order: the search runs up to the largest representable quantity") {
  // A lot of 10^-18 at a mark of 10^-18 (on the finest tick, 10^-12): even
  // the largest quantity the fixed-point range holds (2^127 - 1 lots) is a
  // notional of about 170, which 10000 USDC covers. The search used to stop
  // at 2^102 - 1 lots.
  Market tiny = linear_market("TINY-PERP", "TINY-USD", {tier(nullptr, "0.1", "0.05")}, "0.000000000001",
                              "0.000000000000000001");
  const RiskParameters p = parameters({tiny});
  const MarketState m = prices({feed_price("TINY-USD", "0.000000000000000001")});
  const Account flat = account({balance("USDC", "10000")}, {});
  LargestOrder o = ok_value(largest_order(p, m, flat, {}, OrderQuery{"TINY-PERP", OrderSide::buy, {}}));
  CHECK(o.quantity == Quantity::max());
  CHECK(o.pool_after.initial_equity >= o.pool_after.initial_margin);
  o = ok_value(largest_order(p, m, flat, {}, OrderQuery{"TINY-PERP", OrderSide::sell, {}}));
  CHECK(o.quantity == -Quantity::max());
  // Below the cap the answer is where the requirement binds: at a mark of 10^-6
  // n lots need n x 10^-25 of 10000: 10^29 lots = 10^11.
  const MarketState dear = prices({feed_price("TINY-USD", "0.000001")});
  o = ok_value(largest_order(p, dear, flat, {}, OrderQuery{"TINY-PERP", OrderSide::buy, {}}));
  CHECK(o.quantity == dec<Quantity>("100000000000"));
}
