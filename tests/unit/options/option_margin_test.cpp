// Standard option margin and per-expiry netting, against hand computations
// (the worked examples of OPTIONS-ANCHORS.md §4.4) and Derive's standard
// manager cases (v2-core test-cases.json), whose expected option margins
// are exact where they do not depend on a Black-76 mark.
#include "vmargin/options/option_margin.hpp"

#include <vector>

#include "support/test_support.hpp"
#include "vmargin/options/black76.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {
OptionMarginRates rates(const char* a, const char* b, const char* c, const char* floor,
                        const char* unpaired_im, const char* unpaired_mm) {
  return OptionMarginRates{dec<Ratio>(a),           dec<Ratio>(b),          dec<Ratio>(c),
                           dec<Ratio>(c),           dec<Ratio>(c),          dec<Ratio>(floor),
                           dec<Ratio>(unpaired_im), dec<Ratio>(unpaired_mm)};
}
// Functions, not globals: dec() reports through doctest, inside a test only.
OptionMarginRates derive_mainnet() { return rates("0.15", "0.13", "0.09", "1.05", "1.2", "1.1"); }
OptionMarginRates derive_test() { return rates("0.15", "0.10", "0.075", "1.05", "1.2", "1.1"); }
OptionMarginRates deribit() { return rates("0.15", "0.10", "0.075", "1", "1.2", "1.1"); }
}  // namespace

TEST_CASE("short call and put at Derive's mainnet rates (hand-computed)") {
  // Spot 3000, short 3300 C worth 50: OTM 0.1, max(0.15 - 0.1, 0.13) = 0.13.
  const OptionRequirement call = ok_value(short_option_requirement(
      OptionType::call, dec<Price>("3300"), dec<Price>("3000"), dec<Price>("50"), derive_mainnet()));
  CHECK(call.initial == dec<Price>("440"));
  CHECK(call.maintenance == dec<Price>("320"));
  // Short 2700 P worth 40: MM max(270, 3.6) + 40 = 310; IM max(390 + 40, 1.05 x 310).
  const OptionRequirement put = ok_value(short_option_requirement(
      OptionType::put, dec<Price>("2700"), dec<Price>("3000"), dec<Price>("40"), derive_mainnet()));
  CHECK(put.maintenance == dec<Price>("310"));
  CHECK(put.initial == dec<Price>("430"));
}

TEST_CASE("Deribit's inverse example in quote terms: 0.11 and 0.085 BTC at index 60,000") {
  // Mark 0.01 BTC = 600 USD; OTM 6000 / 60000 = 0.1 -> max(0.05, 0.1).
  const OptionRequirement r = ok_value(short_option_requirement(
      OptionType::call, dec<Price>("66000"), dec<Price>("60000"), dec<Price>("600"), deribit()));
  CHECK(r.initial == dec<Price>("6600"));      // 0.11 BTC
  CHECK(r.maintenance == dec<Price>("5100"));  // 0.085 BTC
}

TEST_CASE("the put's initial floor and the mark-based maintenance branch") {
  // A deep ITM put: its mark dominates c' x mark vs c x S? c x S = 7.5 at S
  // 100; c' x mark = 0.075 x 200 = 15 -> MM 215; IM max(10 + 200, 1.05 x 215).
  const OptionRequirement r = ok_value(short_option_requirement(
      OptionType::put, dec<Price>("300"), dec<Price>("100"), dec<Price>("200"), derive_test()));
  CHECK(r.maintenance == dec<Price>("215"));
  CHECK(r.initial == dec<Price>("225.75"));
  // Rounding is against the account: 0.075 x 0.000000000000000001 rounds up.
  const OptionRequirement tiny = ok_value(short_option_requirement(
      OptionType::call, dec<Price>("1"), Price::epsilon(), Price::zero(), derive_test()));
  CHECK(tiny.maintenance == Price::epsilon());
}

TEST_CASE("Derive standard manager cases whose option margin is the max loss (exact)") {
  const Price forward = dec<Price>("1500.8332793109938176");
  SUBCASE("test 5: call spread, short 1100 C, long 1300 C") {
    const std::vector<ExpiryLeg> legs{{OptionType::call, dec<Price>("1100"), dec<Quantity>("-1")},
                                      {OptionType::call, dec<Price>("1300"), dec<Quantity>("1")}};
    const NettedRequirement r = ok_value(max_loss_requirement(legs, forward, derive_test()));
    CHECK(r.maintenance == dec<Money>("200"));
    CHECK(r.initial == dec<Money>("200"));
  }
  SUBCASE("test 7: the same spread plus 0.1 unpaired short 2500 C") {
    const std::vector<ExpiryLeg> legs{{OptionType::call, dec<Price>("1000"), dec<Quantity>("-1")},
                                      {OptionType::call, dec<Price>("1200"), dec<Quantity>("1")},
                                      {OptionType::call, dec<Price>("2500"), dec<Quantity>("-0.1")}};
    const NettedRequirement r = ok_value(max_loss_requirement(legs, forward, derive_test()));
    // 200 + 0.1 x 1.1 x F and 200 + 0.1 x 1.2 x F, rounded up: Derive
    // publishes -365.091661 and -380.099994 (6 decimals).
    CHECK(r.maintenance == dec<Money>("365.091660724209319936"));
    CHECK(r.initial == dec<Money>("380.099993517319258112"));
  }
  SUBCASE("test 22: a box is worth its width at every settlement price") {
    const std::vector<ExpiryLeg> legs{{OptionType::call, dec<Price>("1500"), dec<Quantity>("-1")},
                                      {OptionType::put, dec<Price>("1500"), dec<Quantity>("1")},
                                      {OptionType::call, dec<Price>("2500"), dec<Quantity>("1")},
                                      {OptionType::put, dec<Price>("2500"), dec<Quantity>("-1")}};
    const NettedRequirement r = ok_value(max_loss_requirement(legs, forward, derive_test()));
    CHECK(r.maintenance == dec<Money>("1000"));
    CHECK(r.initial == dec<Money>("1000"));
  }
  SUBCASE("longs only lose nothing") {
    const std::vector<ExpiryLeg> legs{{OptionType::put, dec<Price>("1500"), dec<Quantity>("3")}};
    const NettedRequirement r = ok_value(max_loss_requirement(legs, forward, derive_test()));
    CHECK(r.maintenance == Money::zero());
  }
}

TEST_CASE("Derive standard manager tests 1 and 4: Black-76 mark plus the standard formula") {
  // F 1500.833279310993817600, T 500,400 s, D 1, the vols of test-cases.json;
  // Derive's expectations come from float Python (asserted within 0.1 %),
  // so they are checked within 10^-9 here.
  const Price forward = dec<Price>("1500.8332793109938176");
  const Price spot = dec<Price>("1500");
  const Black76Prices c = ok_value(
      black76({500400, Ratio::one(), dec<Ratio>("1.04788449408498624"), forward, dec<Price>("1500")}));
  const OptionRequirement call =
      ok_value(short_option_requirement(OptionType::call, dec<Price>("1500"), spot, c.call, derive_test()));
  const auto near = [](Price a, const char* b, i128 units) {
    const i128 d = a.raw() - dec<Price>(b).raw();
    return d <= units && -d <= units;
  };
  CHECK(near(call.maintenance, "191.87158518905995264", 1'000'000'000));  // 1e-9
  CHECK(near(call.initial, "304.37158518905995264", 1'000'000'000));
  const Black76Prices p = ok_value(
      black76({500400, Ratio::one(), dec<Ratio>("1.08318941550987648"), forward, dec<Price>("1300")}));
  const OptionRequirement put =
      ok_value(short_option_requirement(OptionType::put, dec<Price>("1300"), spot, p.put, derive_test()));
  CHECK(near(put.maintenance, "126.822794294374039552", 1'000'000'000));
  CHECK(near(put.initial, "164.322794294374039552", 1'000'000'000));
  // Test 3: short 1900 C (OTM 400 / 1500 > 0.05: the 0.10 floor applies).
  const Black76Prices c3 = ok_value(
      black76({500400, Ratio::one(), dec<Ratio>("1.179993832279113216"), forward, dec<Price>("1900")}));
  const OptionRequirement otm_call =
      ok_value(short_option_requirement(OptionType::call, dec<Price>("1900"), spot, c3.call, derive_test()));
  CHECK(near(otm_call.maintenance, "118.508261835426660352", 1'000'000'000));
  CHECK(near(otm_call.initial, "156.008261835426660352", 1'000'000'000));
}

TEST_CASE("netting refuses sums beyond 256 bits instead of wrapping") {
  const std::vector<ExpiryLeg> legs{{OptionType::put, Price::max(), Quantity::min()},
                                    {OptionType::put, Price::max(), Quantity::min()}};
  CHECK(error_of(max_loss_requirement(legs, Price::one(), derive_test())).code() == ErrorCode::overflow);
}
