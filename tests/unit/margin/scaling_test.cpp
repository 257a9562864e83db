#include "vmargin/margin/scaling.hpp"

#include "support/fixtures.hpp"

using namespace vmargin;
using namespace vmargin::test;

TEST_CASE("volatility_multiplier = clamp(up(sigma / reference), 1, max)") {
  const FeedRisk risk{"BTC-USD", dec<Ratio>("0.6"), dec<Ratio>("2")};
  CHECK(ok_value(volatility_multiplier(nullptr, dec<Ratio>("5"))) ==
        Ratio::one());                                                          // no scaling for the feed
  CHECK(ok_value(volatility_multiplier(&risk, std::nullopt)) == Ratio::one());  // no index in the prices
  CHECK(ok_value(volatility_multiplier(&risk, dec<Ratio>("0.72"))) == dec<Ratio>("1.2"));
  CHECK(ok_value(volatility_multiplier(&risk, dec<Ratio>("0.3"))) == Ratio::one());   // below reference: 1
  CHECK(ok_value(volatility_multiplier(&risk, dec<Ratio>("3"))) == dec<Ratio>("2"));  // capped
  // 0.7 / 0.6 = 1.1666... rounds up.
  CHECK(ok_value(volatility_multiplier(&risk, dec<Ratio>("0.7"))) == dec<Ratio>("1.166666666666666667"));
}

TEST_CASE("size_premium = up(0.8 x first rate) + up(imf x up(sqrt(size)))") {
  Market m = linear_market("BTC-PERP", "BTC-USD",
                           {tier("250000", "0.02", "0.01"), tier(nullptr, "0.04", "0.02", "5000", "2500")});
  CHECK_FALSE(ok_value(size_premium(m, dec<Quantity>("1.5"))).has_value());  // imf 0: off
  m.size_premium_factor = dec<Ratio>("0.0005");
  // sqrt(1.5) = 1.2247448713915890490986... -> up 1.22474487139158905;
  // 0.0005 x that = 0.000612372435695794525 -> up 0.000612372435695795.
  const auto p = ok_value(size_premium(m, dec<Quantity>("1.5")));
  REQUIRE(p.has_value());
  CHECK(p->maintenance_rate == dec<Ratio>("0.008612372435695795"));
  CHECK(p->initial_rate == dec<Ratio>("0.016612372435695795"));
  // size 100: sqrt exactly 10, 0.0005 x 10 = 0.005.
  const auto q = ok_value(size_premium(m, dec<Quantity>("100")));
  CHECK(q->maintenance_rate == dec<Ratio>("0.013"));
  CHECK(q->initial_rate == dec<Ratio>("0.021"));
  // 0.8 x r rounds up: 0.8 x 0.000000000000000001 = 8e-19 -> 1e-18.
  Market tiny = linear_market("T", "F", {tier(nullptr, "0.000000000000000001", "0.000000000000000001")});
  tiny.size_premium_factor = dec<Ratio>("0.000000000000000001");
  const auto t = ok_value(size_premium(tiny, dec<Quantity>("0")));
  CHECK(t->maintenance_rate == dec<Ratio>("0.000000000000000001"));
}
