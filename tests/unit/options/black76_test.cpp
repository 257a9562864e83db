// Black-76 against Derive's published cases (lyra-utils test/math/
// Black76.t.sol @ 759e9625, OPTIONS-ANCHORS.md §4.2). Derive asserts its
// float benchmarks within 10^6 units; the same integer program gives the
// exact values listed there, which are asserted here bit for bit, and the
// float benchmarks within Derive's tolerance.
#include "vmargin/options/black76.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {
struct Case {
  std::int64_t seconds;
  const char *discount, *volatility, *forward, *strike;
  const char *call_exact, *put_exact, *delta_exact;  // raw 18-decimal digits
  const char *call_benchmark, *put_benchmark;        // Derive's float expectations
};

// The raw integer an exact vector publishes (the value x 10^18).
i128 raw_digits(const char* digits) {
  i128 v = 0;
  for (; *digits != '\0'; ++digits) v = v * 10 + (*digits - '0');
  return v;
}
Price raw_price(const char* digits) { return Price::from_raw(raw_digits(digits)); }
Ratio raw_ratio(const char* digits) { return Ratio::from_raw(raw_digits(digits)); }
i128 mul_floor(i128 a, i128 b) {
  return static_cast<i128>(
      div_wide(mul_wide(static_cast<u128>(a), static_cast<u128>(b)), fixed_scale).quotient);
}

bool within(Price a, Price b, i128 units) {
  const i128 d = a.raw() - b.raw();
  return d <= units && -d <= units;
}
}  // namespace

TEST_CASE("annualise: Derive's cases, exact") {
  CHECK(annualise(1).raw() == 31709791983);
  CHECK(annualise(60).raw() == 1902587519025);
  CHECK(annualise(3600).raw() == 114155251141552);
  CHECK(annualise(86400).raw() == 2739726027397260);
  CHECK(annualise(604800).raw() == 19178082191780821);
  CHECK(annualise(4 * 604800).raw() == 76712328767123287);
  CHECK(annualise(12 * 604800).raw() == 230136986301369863);
  CHECK(annualise(seconds_per_year) == Ratio::one());
}

TEST_CASE("Black-76 reproduces Derive's cases: exact integers, and the float benchmarks within 1e6 units") {
  const Case cases[] = {
      {604800, "1", "1", "1500", "1500", "82805080668634486500", "82805080668634486500", "527601693556211494",
       "82.805080668634559515", "82.805080668634559515"},
      {2592000, "0.9991784198737006", "0.25", "1000", "1200", "137082128426574888", "199972766103166694888",
       "6066384486524885", "0.137082128426579297", "199.972766103166719631"},
      {172800, "0.9998904169635637", "0.75", "1000", "700", "299967125089526233901", "457123901",
       "999890416908490623", "299.967125089526177817", "0.00000000045708468"},
      {31536000, "0.9801986733067553", "25", "1000", "700", "980198673306755300000", "686139071314728710000",
       "980198673306755300", "980.198673306755267731", "686.139071314728653306"},
      {31536000, "0.9801986733067553", "5", "1000", "700", "970034553583819115933", "675974951591792525933",
       "975233610201440890", "970.034553583819047162", "675.974951591792546424"},
      {31536000, "0.99", "4", "1000", "0", "990000000000000000000", "0", "990000000000000000", "990", "0"},
      {31536000, "0.99", "4", "0", "1000", "0", "990000000000000000000", "0", "0", "990"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.seconds);
    CAPTURE(c.strike);
    CAPTURE(c.volatility);
    const Black76Prices p = ok_value(black76({c.seconds, dec<Ratio>(c.discount), dec<Ratio>(c.volatility),
                                              dec<Price>(c.forward), dec<Price>(c.strike)}));
    CHECK(p.call == raw_price(c.call_exact));
    CHECK(p.put == raw_price(c.put_exact));
    CHECK(p.call_delta == raw_ratio(c.delta_exact));
    CHECK(within(p.call, dec<Price>(c.call_benchmark), 1'000'000));
    CHECK(within(p.put, dec<Price>(c.put_benchmark), 1'000'000));
  }
}

TEST_CASE("Black-76 at the edges: bounds, zero time, extreme strikes, bad inputs") {
  // At expiry (and at zero volatility) the value is intrinsic.
  const Black76Prices at_expiry =
      ok_value(black76({0, Ratio::one(), dec<Ratio>("0.8"), dec<Price>("1000"), dec<Price>("900")}));
  CHECK(at_expiry.call == dec<Price>("100"));
  CHECK(at_expiry.put == Price::zero());
  CHECK(at_expiry.call_delta == Ratio::one());
  // Strikes 10^-18 and near 1.7e20 on the other side: no overflow, bounds hold.
  const Black76Prices tiny =
      ok_value(black76({86400, Ratio::one(), dec<Ratio>("4"), Price::max(), Price::epsilon()}));
  CHECK(tiny.call <= Price::max());
  CHECK(tiny.put == Price::zero());
  const Black76Prices huge =
      ok_value(black76({86400, Ratio::one(), dec<Ratio>("4"), Price::epsilon(), Price::max()}));
  CHECK(huge.call == Price::zero());
  CHECK(huge.put <= Price::max());
  CHECK(huge.put >= Price::from_raw(Price::max().raw() - 2));
  // Volatility so large that sigma x sqrt(tau) saturates the cap.
  const Black76Prices capped = ok_value(
      black76({seconds_per_year, Ratio::one(), Ratio::max(), dec<Price>("1000"), dec<Price>("700")}));
  CHECK(capped.call == dec<Price>("1000"));
  CHECK(capped.terms.degenerate);

  CHECK(error_of(black76({-1, Ratio::one(), Ratio::one(), Price::one(), Price::one()})).code() ==
        ErrorCode::invalid_value);
  CHECK(error_of(black76({1, Ratio::zero(), Ratio::one(), Price::one(), Price::one()})).code() ==
        ErrorCode::invalid_value);
  CHECK(error_of(black76({1, dec<Ratio>("1.01"), Ratio::one(), Price::one(), Price::one()})).code() ==
        ErrorCode::invalid_value);
  CHECK(error_of(black76({1, Ratio::one(), dec<Ratio>("-0.1"), Price::one(), Price::one()})).code() ==
        ErrorCode::invalid_value);
}

TEST_CASE("Black-76: parity and bounds hold on a seeded sweep") {
  const test::CounterRng rng(20261129);
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const auto seconds = static_cast<std::int64_t>(1 + rng.draw(5 * i) % (3 * seconds_per_year));
    const Ratio sigma = Ratio::from_raw(
        static_cast<i128>(10'000'000'000'000'000 + rng.draw(5 * i + 1) % 5'000'000'000'000'000'000ull));
    const Price forward = Price::from_raw(static_cast<i128>(1 + rng.draw(5 * i + 2) % 100'000) * fixed_scale);
    const Price strike =
        Price::from_raw(forward.raw() / 4 + static_cast<i128>(rng.draw(5 * i + 3) % 4) * forward.raw() / 2);
    const Ratio discount =
        Ratio::from_raw(fixed_scale - static_cast<i128>(rng.draw(5 * i + 4) % 100'000'000'000'000'000ull));
    CAPTURE(i);
    const Black76Prices p = ok_value(black76({seconds, discount, sigma, forward, strike}));
    const i128 fd = mul_floor(forward.raw(), discount.raw()), kd = mul_floor(strike.raw(), discount.raw());
    CHECK(p.call.raw() >= 0);
    CHECK(p.call.raw() <= fd);
    CHECK(p.put.raw() >= 0);
    CHECK(p.put.raw() <= kd);
    // call - put = (F - K) x D up to the floors of the last products.
    const i128 parity = (p.call.raw() - p.put.raw()) - (fd - kd);
    CHECK(parity <= 4);
    CHECK(parity >= -4);
    CHECK(p.call_delta.raw() <= discount.raw());
  }
}
