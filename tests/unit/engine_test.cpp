// evaluate(): whole accounts through the C++ API. Expected values are
// derived by hand (closed forms in the comments; the roundings checked with
// exact rationals), never taken from the engine.
#include "vmargin/engine/engine.hpp"

#include "support/fixtures.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {

Market simple_btc(const char* fee = "0") {
  Market m = linear_market("BTC-PERP", "BTC-USD", {tier(nullptr, "0.1", "0.05")}, "0.1", "0.001");
  m.liquidation_fee_rate = dec<Ratio>(fee);
  return m;
}

AccountReport eval(const RiskParameters& p, const MarketState& m, const Account& a) {
  return ok_value(evaluate(p, m, a));
}

}  // namespace

TEST_CASE("a long's liquidation and bankruptcy prices: the closed form on the tick grid") {
  // equity = 10000 + (P - 60000) = P - 50000; maintenance = 0.05 P.
  // Liquidation: 0.95 P = 50000 at 52631.578...: 52631.5 is unsafe (health
  // -0.075), 52631.6 safe (0.02). Bankruptcy: equity <= 0 at 50000.
  const AccountReport r = eval(parameters({simple_btc()}), prices({feed_price("BTC-USD", "61000")}),
                               account({balance("USDC", "10000")}, {position("BTC-PERP", "1", "60000")}));
  const PositionReport& p = position_of(r, "BTC-PERP");
  CHECK(p.liquidation_price == dec<Price>("52631.6"));
  CHECK(p.bankruptcy_price == dec<Price>("50000.1"));
  CHECK(r.cross.status == MarginStatus::healthy);
  CHECK_FALSE(r.cross.liquidation_plan.has_value());
}

TEST_CASE("a short's prices lie above the mark") {
  // equity = 70000 - P; maintenance 0.05 P: 1.05 P = 70000 at 66666.67:
  // 66666.7 unsafe, 66666.6 safe. Bankruptcy at 70000 (equity 0, bankrupt).
  const AccountReport r = eval(parameters({simple_btc()}), prices({feed_price("BTC-USD", "61000")}),
                               account({balance("USDC", "10000")}, {position("BTC-PERP", "-1", "60000")}));
  CHECK(position_of(r, "BTC-PERP").liquidation_price == dec<Price>("66666.6"));
  CHECK(position_of(r, "BTC-PERP").bankruptcy_price == dec<Price>("69999.9"));
}

TEST_CASE("collateral priced by the same feed moves with the position") {
  // USDC 5000 + 0.1 BTC (weight 0.9) + long 1 @ 60000: health 1.04 P - 55000,
  // equity 1.09 P - 55000.
  RiskParameters params = parameters({simple_btc()});
  const AccountReport r =
      eval(params, prices({feed_price("BTC-USD", "61000")}),
           account({balance("USDC", "5000"), balance("BTC", "0.1")}, {position("BTC-PERP", "1", "60000")}));
  const PositionReport& p = position_of(r, "BTC-PERP");
  CHECK(p.liquidation_price == dec<Price>("52884.7"));  // health(52884.6) = -0.016
  CHECK(p.bankruptcy_price == dec<Price>("50458.8"));   // equity(50458.7) = -0.017
  // ADL: down(down(61000 / 60000) x 61000 / 11490), equity 5000 + 5490 + 1000.
  CHECK(r.cross.equity == dec<Money>("11490"));
  CHECK(p.adl_index == dec<Ratio>("5.397447055410501882"));
}

TEST_CASE("an isolated inverse short: coins as margin, prices above") {
  // 500 contracts of 100 short at 62000, 0.1 BTC isolated margin:
  // health = down(0.1 P) + down(-50000 (P - 62000) / 62000) - 500;
  // health(70068) = 0.348..., health(70068.5) = -0.0048...: liquidation 70068;
  // equity(70776) = 0.18..., equity(70776.5) = -0.17...: bankruptcy 70776.
  RiskParameters params = parameters(
      {inverse_market("BTC-INV", "BTC-USD", "BTC", "100",
                      {tier("5", "0.02", "0.01"), tier(nullptr, "0.05", "0.025", "0.15", "0.075")})});
  Position p = position("BTC-INV", "-500", "62000");
  p.isolated_margin = dec<Money>("0.1");
  const AccountReport r =
      eval(params, prices({feed_price("BTC-USD", "61000")}), account({balance("USDC", "100")}, {p}));
  REQUIRE(r.isolated.size() == 1);
  const PoolReport& pool = r.isolated[0].pool;
  CHECK(pool.collateral_value == dec<Money>("6100"));
  CHECK(pool.equity == dec<Money>("6906.451612903225806451"));
  CHECK(pool.maintenance_margin == dec<Money>("500"));
  CHECK(position_of(r, "BTC-INV").liquidation_price == dec<Price>("70068"));
  CHECK(position_of(r, "BTC-INV").bankruptcy_price == dec<Price>("70776"));
  // The cross pool holds only the USDC and nothing moves it.
  CHECK(r.cross.equity == dec<Money>("100"));
  CHECK(r.cross.maintenance_margin == Money::zero());
}

TEST_CASE("a partial-liquidation plan: the smallest number of lots") {
  // Long 2 at 60000, mark 50000, USDC 24000: equity 4000, maintenance 5000.
  // Reducing by D costs 500 D and leaves 5000 - 2500 D; with a 10% buffer:
  // 4000 - 500 D >= 1.1 (5000 - 2500 D) <=> D >= 2/3: 667 lots of 0.001.
  RiskParameters params = parameters({simple_btc("0.01")});
  params.liquidation_buffer_ratio = dec<Ratio>("0.1");
  const AccountReport r = eval(params, prices({feed_price("BTC-USD", "50000")}),
                               account({balance("USDC", "24000")}, {position("BTC-PERP", "2", "60000")}));
  CHECK(r.cross.status == MarginStatus::liquidatable);
  CHECK_FALSE(position_of(r, "BTC-PERP").liquidation_price.has_value());        // already liquidatable
  CHECK(position_of(r, "BTC-PERP").bankruptcy_price == dec<Price>("48000.1"));  // equity 2P - 96000
  REQUIRE(r.cross.liquidation_plan.has_value());
  const LiquidationPlan& plan = *r.cross.liquidation_plan;
  CHECK(plan.restores);
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].reduce_by == dec<Quantity>("0.667"));
  CHECK(plan.steps[0].remaining == dec<Quantity>("1.333"));
  CHECK(plan.steps[0].fee == dec<Money>("333.5"));
  CHECK(plan.equity_after == dec<Money>("3666.5"));
  CHECK(plan.maintenance_margin_after == dec<Money>("3332.5"));
  CHECK(plan.target == dec<Money>("3665.75"));
  CHECK(r.cross.insurance_fund_shortfall == Money::zero());
}

TEST_CASE("a bankrupt pool: the plan closes everything and does not restore") {
  const AccountReport r = eval(parameters({simple_btc("0.01")}), prices({feed_price("BTC-USD", "40000")}),
                               account({balance("USDC", "10000")}, {position("BTC-PERP", "1", "60000")}));
  CHECK(r.cross.status == MarginStatus::bankrupt);
  CHECK(r.cross.equity == dec<Money>("-10000"));
  CHECK(r.cross.insurance_fund_shortfall == dec<Money>("10000"));
  REQUIRE(r.cross.liquidation_plan.has_value());
  CHECK_FALSE(r.cross.liquidation_plan->restores);
  REQUIRE(r.cross.liquidation_plan->steps.size() == 1);
  CHECK(r.cross.liquidation_plan->steps[0].reduce_by == dec<Quantity>("1"));
  CHECK(r.cross.liquidation_plan->steps[0].fee == dec<Money>("400"));
  CHECK(r.cross.liquidation_plan->equity_after == dec<Money>("-10400"));
  CHECK_FALSE(position_of(r, "BTC-PERP").bankruptcy_price.has_value());
  CHECK_FALSE(position_of(r, "BTC-PERP").adl_index.has_value());
}

TEST_CASE("options switch the liquidation figures off") {
  EvaluationOptions o;
  o.liquidation_prices = false;
  o.liquidation_plans = false;
  const AccountReport r =
      ok_value(evaluate(parameters({simple_btc()}), prices({feed_price("BTC-USD", "50000")}),
                        account({balance("USDC", "24000")}, {position("BTC-PERP", "2", "60000")}), o));
  CHECK_FALSE(position_of(r, "BTC-PERP").bankruptcy_price.has_value());
  CHECK_FALSE(r.cross.liquidation_plan.has_value());
}

TEST_CASE("references, expiry and overflow are typed errors with paths") {
  const RiskParameters params = parameters({simple_btc()});
  CHECK(error_of(evaluate(params, prices({feed_price("BTC-USD", "1")}),
                          account({}, {position("SOL-PERP", "1", "1")})))
            .to_string() ==
        "[vmargin.unknown_market] /account/positions/SOL-PERP: market \"SOL-PERP\" is not defined in the "
        "risk parameters");
  CHECK(error_of(evaluate(params, prices({feed_price("ETH-USD", "1")}),
                          account({}, {position("BTC-PERP", "1", "1")})))
            .to_string() ==
        "[vmargin.missing_price] /prices/feeds/BTC-USD: no mark price for feed \"BTC-USD\", which marks "
        "BTC-PERP");
  CHECK(error_of(evaluate(params, prices({feed_price("ETH-USD", "1")}), account({balance("BTC", "1")}, {})))
            .to_string() ==
        "[vmargin.missing_price] /prices/feeds/BTC-USD: no mark price for feed \"BTC-USD\", which prices "
        "collateral BTC");
  CHECK(error_of(evaluate(params, prices({feed_price("BTC-USD", "1")}), account({balance("DAI", "1")}, {})))
            .to_string() ==
        "[vmargin.unknown_asset] /account/collateral/DAI: collateral asset \"DAI\" is not defined in the "
        "risk parameters");

  Market future = simple_btc();
  future.id = "BTC-1225";
  future.kind = MarketKind::linear_future;
  future.expiry_ms = 1'700'000'000'000;
  const RiskParameters with_future = parameters({future});
  const Account holder = account({balance("USDC", "1")}, {position("BTC-1225", "1", "1")});
  CHECK(evaluate(with_future, prices({feed_price("BTC-USD", "1")}, 1'699'999'999'999), holder).ok());
  CHECK(error_of(evaluate(with_future, prices({feed_price("BTC-USD", "1")}, 1'700'000'000'000), holder))
            .to_string() ==
        "[vmargin.contract_expired] /account/positions/BTC-1225: BTC-1225 expired at 1700000000000 ms; the "
        "evaluation "
        "time is 1700000000000 ms, so it can only be settled, not margined");

  const Error overflow =
      error_of(evaluate(params, prices({feed_price("BTC-USD", "61000")}),
                        account({}, {position("BTC-PERP", "100000000000000000", "60000")})));
  CHECK(overflow.code() == ErrorCode::overflow);
  CHECK(overflow.path() == "/account/positions/BTC-PERP");
  CHECK(overflow.message() ==
        "position in BTC-PERP: notional (|quantity| x mark): 100000000000000000 x 61000 does not fit the "
        "fixed-point "
        "range of +-170141183460469231731.687303715884105727");
}

TEST_CASE("positions of one pool on one feed share their liquidation price") {
  Market future = simple_btc();
  future.id = "BTC-1225";
  future.kind = MarketKind::linear_future;
  future.expiry_ms = 1'800'000'000'000;
  const AccountReport r = eval(parameters({simple_btc(), future}), prices({feed_price("BTC-USD", "61000")}),
                               account({balance("USDC", "20000")}, {position("BTC-PERP", "1", "60000"),
                                                                    position("BTC-1225", "0.5", "60000")}));
  CHECK(position_of(r, "BTC-PERP").liquidation_price == position_of(r, "BTC-1225").liquidation_price);
  // equity 20000 + 1.5 (P - 60000) = 1.5 P - 70000, maintenance 0.075 P: 1.425 P = 70000 at 49122.807...
  CHECK(position_of(r, "BTC-PERP").liquidation_price == dec<Price>("49122.9"));
}
