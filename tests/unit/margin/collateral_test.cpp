#include "vmargin/margin/collateral.hpp"

#include "support/fixtures.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {
CollateralAsset btc() {
  CollateralAsset a = priced_asset("BTC", "BTC-USD", "0.8", "0.9", "1.25", "1.1");
  a.size_factor = dec<Ratio>("0.0001");
  a.volatility_haircut = dec<Ratio>("0.05");
  return a;
}
CollateralAsset eth() {
  CollateralAsset a = priced_asset("ETH", "ETH-USD", "0.75", "0.85", "1.3", "1.15");
  a.size_factor = dec<Ratio>("0.0002");
  a.volatility_haircut = dec<Ratio>("0.1");
  return a;
}
}  // namespace

TEST_CASE("asset weights: size discount and volatility haircut, never below zero") {
  // 1.1 / (1 + 0.0001 x 0.5) > 0.9: no discount; haircut 0.05 x (1.2 - 1) = 0.01.
  CollateralWeights w = ok_value(collateral_weights(btc(), dec<Money>("0.25"), dec<Ratio>("1.2")));
  CHECK(w.maintenance == dec<Ratio>("0.89"));
  CHECK(w.initial == dec<Ratio>("0.79"));
  // 1e8 coins: sqrt 10000, 0.0001 x 10000 = 1, 1.1 / 2 = 0.55 < 0.9 and < 0.8.
  w = ok_value(collateral_weights(btc(), dec<Money>("100000000"), Ratio::one()));
  CHECK(w.maintenance == dec<Ratio>("0.55"));
  CHECK(w.initial == dec<Ratio>("0.55"));
  // 1e6 coins: 1.1 / 1.1 = 1 > 0.9: the weight stands.
  CHECK(ok_value(collateral_weights(btc(), dec<Money>("1000000"), Ratio::one())).maintenance ==
        dec<Ratio>("0.9"));
  // A haircut larger than the weight floors at zero: 0.05 x (20 - 1) = 0.95 > 0.9.
  CHECK(ok_value(collateral_weights(btc(), dec<Money>("1"), dec<Ratio>("20"))).maintenance == Ratio::zero());
  // Zero balance: an asset, no size effect.
  CHECK(ok_value(collateral_weights(btc(), Money::zero(), Ratio::one())).maintenance == dec<Ratio>("0.9"));
}

TEST_CASE("liability weights: Drift's size premium and the volatility add-on") {
  // max(1.15, up(0.8 x 1.15) + up(0.0002 x up(sqrt 2))) = max(1.15, 0.92 + 0.00028284271247462) = 1.15.
  CollateralWeights w = ok_value(collateral_weights(eth(), dec<Money>("-2"), Ratio::one()));
  CHECK(w.maintenance == dec<Ratio>("1.15"));
  CHECK(w.initial == dec<Ratio>("1.3"));
  // -1e8: 0.92 + 0.0002 x 10000 = 2.92; initial 1.04 + 2 = 3.04.
  w = ok_value(collateral_weights(eth(), dec<Money>("-100000000"), Ratio::one()));
  CHECK(w.maintenance == dec<Ratio>("2.92"));
  CHECK(w.initial == dec<Ratio>("3.04"));
  // Volatility adds: 0.1 x (1.5 - 1) = 0.05.
  CHECK(ok_value(collateral_weights(eth(), dec<Money>("-2"), dec<Ratio>("1.5"))).maintenance ==
        dec<Ratio>("1.2"));
}

TEST_CASE("values: assets at the lower price, liabilities at the higher, rounded down") {
  CollateralValue v = ok_value(value_collateral(dec<Money>("0.25"), dec<Price>("61000"), dec<Price>("60500"),
                                                {dec<Ratio>("0.89"), dec<Ratio>("0.79")}));
  CHECK(v.value == dec<Money>("15250"));
  CHECK(v.maintenance_value.value == dec<Money>("13572.5"));
  CHECK(v.initial_value == dec<Money>("11948.75"));  // 0.25 x 60500 x 0.79
  v = ok_value(value_collateral(dec<Money>("-2"), dec<Price>("3000"), dec<Price>("3010"),
                                {dec<Ratio>("1.15"), dec<Ratio>("1.3")}));
  CHECK(v.value == dec<Money>("-6000"));
  CHECK(v.maintenance_value.value == dec<Money>("-6900"));
  CHECK(v.initial_value == dec<Money>("-7826"));  // -2 x 3010 x 1.3
  // Rounding down makes a liability larger: -1 x 0.333333333333333333 x 1.1 = -0.3666666666666666663 ->
  // ...667.
  v = ok_value(value_collateral(dec<Money>("-1"), dec<Price>("0.333333333333333333"),
                                dec<Price>("0.333333333333333333"), {dec<Ratio>("1.1"), dec<Ratio>("1.1")}));
  CHECK(v.maintenance_value.value == dec<Money>("-0.366666666666666667"));
}

TEST_CASE("deposit_scaled_weight: Mango's deposit limit on the initial weight") {
  const Money start = dec<Money>("1000000");
  CHECK(ok_value(deposit_scaled_weight(dec<Ratio>("0.8"), start, dec<Money>("610000"))) == dec<Ratio>("0.8"));
  CHECK(ok_value(deposit_scaled_weight(dec<Ratio>("0.8"), start, start)) == dec<Ratio>("0.8"));
  // 0.8 x 1M / 6.1M = 0.13114754098360655737..., rounded down.
  CHECK(ok_value(deposit_scaled_weight(dec<Ratio>("0.8"), start, dec<Money>("6100000"))) ==
        dec<Ratio>("0.131147540983606557"));
  CHECK(ok_value(deposit_scaled_weight(Ratio::zero(), start, dec<Money>("6100000"))) == Ratio::zero());
}
