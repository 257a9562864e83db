#include "vmargin/margin/tiers.hpp"

#include "support/fixtures.hpp"
#include "vmargin/model/tier_table.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {
// The example exchange's BTC-PERP table (Binance-style maintenance amounts).
std::vector<Tier> btc_tiers() {
  return {tier("250000", "0.02", "0.01"), tier("1000000", "0.04", "0.02", "5000", "2500"),
          tier(nullptr, "0.1", "0.05", "65000", "32500")};
}
Status check(const std::vector<Tier>& tiers) { return validate_tiers(tiers, "X", "/t"); }
}  // namespace

TEST_CASE("tier_index: a notional exactly on a cap belongs to the lower tier") {
  const auto t = btc_tiers();
  CHECK(tier_index(t, dec<Money>("0")) == 0);
  CHECK(tier_index(t, dec<Money>("250000")) == 0);
  CHECK(tier_index(t, dec<Money>("250000.000000000000000001")) == 1);
  CHECK(tier_index(t, dec<Money>("1000000")) == 1);
  CHECK(tier_index(t, dec<Money>("1000000.000000000000000001")) == 2);
  CHECK(tier_index(t, Money::max()) == 2);
}

TEST_CASE("validate_tiers accepts a continuous table") {
  CHECK(check(btc_tiers()).ok());
  CHECK(check({tier(nullptr, "1", "0")}).ok());  // one uncapped tier
}

TEST_CASE("continuous_amount: the amount continuity requires, exact or none") {
  // 2500 + 1000000 x (0.05 - 0.02): BTC-PERP's third maintenance amount.
  CHECK(continuous_amount(dec<Money>("2500"), dec<Money>("1000000"), dec<Ratio>("0.02"),
                          dec<Ratio>("0.05")) == dec<Money>("32500"));
  // A falling rate gives a smaller amount (validation rejects the rates later).
  CHECK(continuous_amount(dec<Money>("0"), dec<Money>("100"), dec<Ratio>("0.5"), dec<Ratio>("0.25")) ==
        dec<Money>("-25"));
  // 3e-18 x 0.1 and 1.7e20 x 1.95 have no 18-decimal value.
  CHECK_FALSE(continuous_amount(Money::zero(), dec<Money>("0.000000000000000003"), dec<Ratio>("0.05"),
                                dec<Ratio>("0.15")));
  CHECK_FALSE(continuous_amount(Money::zero(), dec<Money>("170000000000000000000"), dec<Ratio>("0.05"),
                                dec<Ratio>("2")));
}

TEST_CASE("validate_tiers rejects every broken rule with the field and the reason") {
  struct Case {
    std::vector<Tier> tiers;
    std::string expected;
  };
  const Case cases[] = {
      {{}, "[vmargin.invalid_value] /t: market X has no tiers"},
      {{tier("100", "0.1", "0.05")},
       "[vmargin.invalid_value] /t/0/max_notional: tier 1 of X is the last tier and must be uncapped "
       "(max_notional "
       "null), not 100"},
      {{tier(nullptr, "0.1", "0.05"), tier(nullptr, "0.1", "0.05")},
       "[vmargin.invalid_value] /t/0/max_notional: tier 1 of X needs a max_notional"},
      {{tier("0", "0.1", "0.05"), tier(nullptr, "0.1", "0.05")},
       "[vmargin.invalid_value] /t/0/max_notional: tier 1 of X has a cap of 0, not positive"},
      {{tier("100", "0.1", "0.05"), tier("100", "0.1", "0.05"), tier(nullptr, "0.1", "0.05")},
       "[vmargin.invalid_value] /t/1/max_notional: tier 2 of X has a cap of 100, not above the previous cap "
       "100"},
      {{tier(nullptr, "0.1", "-0.05")},
       "[vmargin.invalid_value] /t/0/maintenance_rate: tier 1 of X has a maintenance rate of -0.05, outside "
       "[0, 1]"},
      {{tier(nullptr, "1.5", "0.05")},
       "[vmargin.invalid_value] /t/0/initial_rate: tier 1 of X has an initial rate of 1.5, above 1"},
      {{tier(nullptr, "0.04", "0.05")},
       "[vmargin.invalid_value] /t/0/initial_rate: tier 1 of X has an initial rate of 0.04, below its "
       "maintenance rate 0.05"},
      {{tier(nullptr, "0.1", "0.05", "0", "1")},
       "[vmargin.invalid_value] /t/0/maintenance_amount: tier 1 of X must have a maintenance amount of 0"},
      {{tier(nullptr, "0.1", "0.05", "1", "0")},
       "[vmargin.invalid_value] /t/0/initial_amount: tier 1 of X must have an initial amount of 0"},
      {{tier("100", "0.1", "0.05"), tier(nullptr, "0.1", "0.04", "0", "-1")},
       "[vmargin.invalid_value] /t/1/maintenance_rate: tier 2 of X has a maintenance rate of 0.04, below the "
       "previous "
       "tier's 0.05"},
      {{tier("100", "0.1", "0.05"), tier(nullptr, "0.09", "0.05")},
       "[vmargin.invalid_value] /t/1/initial_rate: tier 2 of X has an initial rate of 0.09, below the "
       "previous tier's 0.1"},
      // 250000 x (0.02 - 0.01) = 2500, not 2400.
      {{tier("250000", "0.02", "0.01"), tier(nullptr, "0.04", "0.02", "5000", "2400")},
       "[vmargin.invalid_value] /t/1/maintenance_amount: tier 2 of X has a maintenance amount of 2400; "
       "continuity at "
       "the cap 250000 requires 0 + 250000 x (0.02 - 0.01) = 2500"},
      {{tier("250000", "0.02", "0.01"), tier(nullptr, "0.04", "0.02", "5001", "2500")},
       "[vmargin.invalid_value] /t/1/initial_amount: tier 2 of X has an initial amount of 5001; continuity "
       "at the cap "
       "250000 requires 0 + 250000 x (0.04 - 0.02) = 5000"},
      // 0.000000000000000001 x 0.5 has 19 decimals: no amount makes it continuous.
      {{tier("0.000000000000000001", "0.5", "0"), tier(nullptr, "1", "0.5", "0", "0")},
       "[vmargin.invalid_value] /t/1/maintenance_amount: tier 2 of X has a maintenance amount of 0; "
       "continuity at the "
       "cap 0.000000000000000001 requires 0 + 0.000000000000000001 x (0.5 - 0) = not representable with 18 "
       "decimals"},
  };
  for (const Case& c : cases) {
    const Status s = check(c.tiers);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().to_string() == c.expected);
  }
}
