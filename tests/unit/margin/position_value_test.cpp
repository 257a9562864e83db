#include "vmargin/margin/position_value.hpp"

#include "support/fixtures.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {
Market linear() { return linear_market("BTC-PERP", "BTC-USD", {tier(nullptr, "0.1", "0.05")}); }
Market inverse() {
  return inverse_market("BTC-INV", "BTC-USD", "BTC", "100",
                        {tier("5", "0.02", "0.01"), tier(nullptr, "0.05", "0.025", "0.15", "0.075")});
}
PositionValue value(const Market& m, const Position& p, const char* mark) {
  const PositionConstants c = ok_value(position_constants(m, p, Ratio::one()));
  return ok_value(value_position(m, p, c, dec<Price>(mark)));
}
}  // namespace

TEST_CASE("linear: notional rounds up, PnL rounds down, funding adds") {
  Position p = position("BTC-PERP", "0.5", "60000");
  PositionValue v = value(linear(), p, "61000");
  CHECK(v.notional == dec<Money>("30500"));
  CHECK(v.tier_notional == dec<Money>("30500"));
  CHECK(v.unrealized_pnl.value == dec<Money>("500"));
  CHECK(v.requirement.maintenance.value == dec<Money>("1525"));
  CHECK(v.requirement.initial == dec<Money>("3050"));
  p.pending_funding = dec<Money>("-12.5");
  CHECK(value(linear(), p, "61000").unrealized_pnl.value == dec<Money>("487.5"));
  // |-0.3| x 133.333333333333333333 = 39.9999999999999999999 -> up 40;
  // -0.3 x 33.333333333333333333 = -9.9999999999999999999 -> down -10.
  v = value(linear(), position("BTC-PERP", "-0.3", "100"), "133.333333333333333333");
  CHECK(v.notional == dec<Money>("40"));
  CHECK(v.unrealized_pnl.value == dec<Money>("-10"));
  // A long's gain rounds down: 0.3 x 33.333333333333333333 -> 9.999999999999999999.
  CHECK(value(linear(), position("BTC-PERP", "0.3", "100"), "133.333333333333333333").unrealized_pnl.value ==
        dec<Money>("9.999999999999999999"));
}

TEST_CASE("inverse: face value, coin notional and PnL valued at the mark") {
  Position p = position("BTC-INV", "-500", "62000");
  PositionValue v = value(inverse(), p, "61000");
  CHECK(v.notional == dec<Money>("50000"));                               // 500 x 100
  CHECK(v.tier_notional == dec<Money>("0.819672131147540984"));           // 50000 / 61000, up
  CHECK(v.unrealized_pnl.value == dec<Money>("806.451612903225806451"));  // -50000 x -1000 / 62000, down
  CHECK(v.requirement.maintenance.value == dec<Money>("500"));
  // Funding in coins, valued at the mark: 0.001 x 61000 = 61.
  p.pending_funding = dec<Money>("0.001");
  CHECK(value(inverse(), p, "61000").unrealized_pnl.value == dec<Money>("867.451612903225806451"));
  // A long losing: 100 contracts (face 10000) from 50000 to 40000: -2000 exactly.
  CHECK(value(inverse(), position("BTC-INV", "100", "50000"), "40000").unrealized_pnl.value ==
        dec<Money>("-2000"));
}

TEST_CASE("position_health agrees with value_position") {
  const Market m = inverse();
  const Position p = position("BTC-INV", "-500", "62000");
  const PositionConstants c = ok_value(position_constants(m, p, dec<Ratio>("1.2")));
  for (const char* mark : {"61000", "9999.5", "123.5"}) {
    const PositionValue v = ok_value(value_position(m, p, c, dec<Price>(mark)));
    const PositionHealth h = ok_value(position_health(m, p, c, dec<Price>(mark)));
    CHECK(h.equity_pnl.value == v.unrealized_pnl.value);
    CHECK(h.equity_pnl.error == v.unrealized_pnl.error);
    CHECK(h.maintenance_margin.value == v.requirement.maintenance.value);
    CHECK(h.maintenance_margin.error == v.requirement.maintenance.error);
  }
}

TEST_CASE("conversions between coins and the valuation currency") {
  CHECK(ok_value(coins_to_value(dec<Money>("0.1"), dec<Price>("61000"), Round::down)) == dec<Money>("6100"));
  CHECK(ok_value(value_to_coins(dec<Money>("1"), dec<Price>("3"), Round::down)) ==
        dec<Money>("0.333333333333333333"));
  CHECK(ok_value(value_to_coins(dec<Money>("1"), dec<Price>("3"), Round::up)) ==
        dec<Money>("0.333333333333333334"));
  CHECK(error_of(value_to_coins(dec<Money>("1"), Price::zero(), Round::up)).code() ==
        ErrorCode::division_by_zero);
}

TEST_CASE("maintenance profit weight: a profit weighted and rounded down, a loss in full, one bound") {
  Market m = linear();
  m.initial_profit_weight = dec<Ratio>("0.9");
  m.maintenance_profit_weight = dec<Ratio>("0.95");
  // 0.5 x (61000 - 60000) = 500 profit -> 475 in equity; the report's PnL stays 500.
  PositionValue v = value(m, position("BTC-PERP", "0.5", "60000"), "61000");
  CHECK(v.unrealized_pnl.value == dec<Money>("500"));
  REQUIRE(v.maintenance_unrealized_pnl);
  CHECK(v.maintenance_unrealized_pnl->value == dec<Money>("475"));
  CHECK(v.equity_pnl().value == dec<Money>("475"));
  CHECK(v.initial_unrealized_pnl == dec<Money>("450"));
  // 0.3 x 33.333333333333333333 = 9.9999999999999999999 -> 9.999999999999999999,
  // x 0.95 = 9.49999999999999999905 -> 9.499999999999999999.
  v = value(m, position("BTC-PERP", "0.3", "100"), "133.333333333333333333");
  CHECK(v.maintenance_unrealized_pnl->value == dec<Money>("9.499999999999999999"));
  // A loss counts in full, with the weighted branch's bound (1 + 1).
  v = value(m, position("BTC-PERP", "0.5", "60000"), "59000");
  CHECK(v.maintenance_unrealized_pnl->value == dec<Money>("-500"));
  CHECK(v.maintenance_unrealized_pnl->error == 2);
  // The health search sees the same weighted PnL.
  const Position p = position("BTC-PERP", "-0.5", "60000");
  const PositionConstants c = ok_value(position_constants(m, p, Ratio::one()));
  CHECK(ok_value(position_health(m, p, c, dec<Price>("59000"))).equity_pnl.value == dec<Money>("475"));
  // Without the weight, nothing is added.
  CHECK_FALSE(value(linear(), position("BTC-PERP", "0.5", "60000"), "61000").maintenance_unrealized_pnl);
}
