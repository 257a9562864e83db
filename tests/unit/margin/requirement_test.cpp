#include "vmargin/margin/requirement.hpp"

#include "support/fixtures.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {
Market btc() {
  return linear_market("BTC-PERP", "BTC-USD",
                       {tier("250000", "0.02", "0.01"), tier("1000000", "0.04", "0.02", "5000", "2500"),
                        tier(nullptr, "0.1", "0.05", "65000", "32500")});
}
Market inverse() {
  return inverse_market("BTC-INV", "BTC-USD", "BTC", "100",
                        {tier("5", "0.02", "0.01"), tier(nullptr, "0.05", "0.025", "0.15", "0.075")});
}
// Both requirements from an exact notional (linear) or face value (inverse).
Result<Requirement> linear_requirement(const Market& m, Money notional, const std::optional<SizePremium>& p,
                                       Ratio multiplier) {
  return requirement(m, linear_exposure(Bounded<Money>::exact(notional)), p, multiplier);
}
Result<Requirement> inverse_requirement(const Market& m, Money face, Price mark,
                                        const std::optional<SizePremium>& p, Ratio multiplier) {
  return requirement(m, inverse_exposure(face.abs(), mark), p, multiplier);
}
}  // namespace

TEST_CASE("linear: tiered requirement, continuous at the caps") {
  const Market m = btc();
  Requirement r = ok_value(linear_requirement(m, dec<Money>("91500"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 0);
  CHECK(r.initial == dec<Money>("1830"));           // 91500 x 0.02
  CHECK(r.maintenance.value == dec<Money>("915"));  // 91500 x 0.01
  r = ok_value(linear_requirement(m, dec<Money>("250000"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 0);
  CHECK(r.maintenance.value == dec<Money>("2500"));
  // One unit above the cap: tier 2, up(250000.000000000000000001 x 0.02) - 2500.
  r = ok_value(linear_requirement(m, dec<Money>("250000.000000000000000001"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 1);
  CHECK(r.maintenance.value == dec<Money>("2500.000000000000000001"));
  CHECK(r.initial == dec<Money>("5000.000000000000000001"));
  r = ok_value(linear_requirement(m, dec<Money>("2000000"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 2);
  CHECK(r.maintenance.value == dec<Money>("67500"));  // 100000 - 32500
  CHECK(r.initial == dec<Money>("135000"));           // 200000 - 65000
}

TEST_CASE("linear: volatility multiplier and size premium") {
  const Market m = btc();
  Requirement r = ok_value(linear_requirement(m, dec<Money>("91500"), std::nullopt, dec<Ratio>("1.2")));
  CHECK(r.maintenance.value == dec<Money>("1098"));  // 915 x 1.2
  CHECK(r.initial == dec<Money>("2196"));
  // Premium rates 0.021 / 0.013 (size 100, imf 0.0005): 91500 x 0.013 = 1189.5 > 915.
  const SizePremium p{dec<Ratio>("0.021"), dec<Ratio>("0.013")};
  r = ok_value(linear_requirement(m, dec<Money>("91500"), p, Ratio::one()));
  CHECK(r.maintenance.value == dec<Money>("1189.5"));
  CHECK(r.maintenance_from_premium);
  CHECK(r.initial == dec<Money>("1921.5"));  // 91500 x 0.021 > 1830
  CHECK(r.initial_from_premium);
  // In tier 3 the tier wins again: 2000000 x 0.013 = 26000 < 67500.
  r = ok_value(linear_requirement(m, dec<Money>("2000000"), p, Ratio::one()));
  CHECK(r.maintenance.value == dec<Money>("67500"));
  CHECK_FALSE(r.maintenance_from_premium);
  // The maintenance requirement alone (what liquidation searches ask for) is the same number.
  const Exposure e = linear_exposure(Bounded<Money>::exact(dec<Money>("91500")));
  CHECK(ok_value(margin_requirement(m, e, 0, p, dec<Ratio>("1.2"), MarginKind::maintenance)).amount.value ==
        ok_value(linear_requirement(m, dec<Money>("91500"), p, dec<Ratio>("1.2"))).maintenance.value);
}

TEST_CASE("inverse: tier by the exact coin notional, requirement |S| x rate - amount x P") {
  const Market m = inverse();
  const Money face = dec<Money>("-50000");  // 500 contracts short
  // 50000 / 61000 = 0.82 coins: tier 1, 50000 x 0.01 = 500.
  Requirement r = ok_value(inverse_requirement(m, face, dec<Price>("61000"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 0);
  CHECK(r.maintenance.value == dec<Money>("500"));
  CHECK(r.initial == dec<Money>("1000"));
  // At 10000 the coin notional is exactly 5, on the cap: tier 1.
  r = ok_value(inverse_requirement(m, face, dec<Price>("10000"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 0);
  CHECK(r.maintenance.value == dec<Money>("500"));
  // Just below: 5.00025 coins, tier 2: 50000 x 0.025 - 0.075 x 9999.5 = 1250 - 749.9625.
  r = ok_value(inverse_requirement(m, face, dec<Price>("9999.5"), std::nullopt, Ratio::one()));
  CHECK(r.tier == 1);
  CHECK(r.maintenance.value == dec<Money>("500.0375"));
  CHECK(r.initial == dec<Money>("1000.075"));  // 2500 - 0.15 x 9999.5
  r = ok_value(inverse_requirement(m, face, dec<Price>("1000"), std::nullopt, dec<Ratio>("2")));
  CHECK(r.maintenance.value == dec<Money>("2350"));  // (1250 - 75) x 2
  const Exposure e = inverse_exposure(face.abs(), dec<Price>("9999.5"));
  CHECK(ok_value(margin_requirement(m, e, requirement_tier(m, e), std::nullopt, Ratio::one(),
                                    MarginKind::maintenance))
            .amount.value == dec<Money>("500.0375"));
}

TEST_CASE("rounding bounds: one unit per rounding, scaled by the whole ceiling of later factors") {
  const Market m = btc();
  const SizePremium p{dec<Ratio>("0.021"), dec<Ratio>("0.013")};
  // A notional carrying one rounding: up(N x rate) adds 1 (rate <= 1 counts
  // as 1), so 2; the premium the same; x 1.2 (whole ceiling 2): 2 x 2 + 1.
  const Exposure linear = linear_exposure(Bounded<Money>{dec<Money>("91500"), 1});
  CHECK(ok_value(margin_requirement(m, linear, 0, std::nullopt, Ratio::one(), MarginKind::maintenance))
            .amount.error == 2);
  CHECK(ok_value(margin_requirement(m, linear, 0, p, Ratio::one(), MarginKind::maintenance)).amount.error ==
        2);
  CHECK(ok_value(margin_requirement(m, linear, 0, p, dec<Ratio>("1.2"), MarginKind::maintenance))
            .amount.error == 5);
  // The bound does not depend on the tier or on which branch wins.
  for (const char* n : {"1", "91500", "250000", "250001", "999999", "2000000"}) {
    const Exposure e = linear_exposure(Bounded<Money>{dec<Money>(n), 1});
    CHECK(ok_value(
              margin_requirement(m, e, requirement_tier(m, e), p, dec<Ratio>("1.2"), MarginKind::maintenance))
              .amount.error == 5);
  }
  // Inverse: the tier value and the premium each round once from exact
  // inputs (1), then x 2: 1 x 2 + 1.
  const Market inv = inverse();
  for (const char* mark : {"1000", "9999.5", "10000", "61000"}) {
    const Exposure e = inverse_exposure(dec<Money>("50000"), dec<Price>(mark));
    CHECK(ok_value(margin_requirement(inv, e, requirement_tier(inv, e), std::nullopt, dec<Ratio>("2"),
                                      MarginKind::maintenance))
              .amount.error == 3);
  }
}

TEST_CASE("open_interest_margin: dYdX's open-interest margin fraction, as an amount") {
  const OpenInterestScaling caps{dec<Money>("25000000"), dec<Money>("50000000")};
  const Money n = dec<Money>("122000");
  const Money im = dec<Money>("2440");
  // At or below the lower cap: nothing; at or above the upper: the rest of the notional.
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("25000000"), n, im)) == Money::zero());
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("50000000"), n, im)) == dec<Money>("119560"));
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("90000000"), n, im)) == dec<Money>("119560"));
  // Between: (122000 - 2440) x 11.6M / 25M = 55475.84 by hand.
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("36600000"), n, im)) == dec<Money>("55475.84"));
  // One rounding, up: 119560 x 1e-18 / 25e6 is far below one unit.
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("25000000.000000000000000001"), n, im)) ==
        Money::from_raw(1));
  // A margin at or above the notional gets nothing more.
  CHECK(ok_value(open_interest_margin(caps, dec<Money>("90000000"), n, n)) == Money::zero());
}
