// Edge tables for every checked operation: at the int64 and int128 bounds,
// division by zero and minimum / -1, each gives a value or a typed error, the
// same on every target (this file also runs compiled to wasm), never a trap.
#include "vmargin/numeric/arithmetic.hpp"

#include <cstdint>

#include "support/test_support.hpp"
#include "vmargin/numeric/saturating.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

constexpr i128 i64max = INT64_MAX;
constexpr i128 i64min = INT64_MIN;

struct RawCase {
  i128 a, b;
  Fault expected;
  i128 value;  // when expected == Fault::none
};

}  // namespace

TEST_CASE("add_fault and sub_fault at the 64- and 128-bit bounds") {
  const RawCase adds[] = {
      {i64max, 1, Fault::none, i64max + 1},
      {i64min, -1, Fault::none, i64min - 1},
      {i128_max, 0, Fault::none, i128_max},
      {i128_max, 1, Fault::overflow, 0},
      {-i128_max, -1, Fault::overflow, 0},  // would be i128_min: outside the symmetric range
      {-i128_max, -2, Fault::overflow, 0},
      {i128_max, -i128_max, Fault::none, 0},
      {i128_max / 2 + 1, i128_max / 2 + 1, Fault::overflow, 0},
  };
  for (const RawCase& c : adds) {
    i128 out = 0;
    CHECK(add_fault(c.a, c.b, out) == c.expected);
    if (c.expected == Fault::none) CHECK(out == c.value);
  }
  const RawCase subs[] = {
      {i64min, 1, Fault::none, i64min - 1},   {-i128_max, 1, Fault::overflow, 0},
      {i128_max, -1, Fault::overflow, 0},     {0, -i128_max, Fault::none, i128_max},
      {-i128_max, -i128_max, Fault::none, 0},
  };
  for (const RawCase& c : subs) {
    i128 out = 0;
    CHECK(sub_fault(c.a, c.b, out) == c.expected);
    if (c.expected == Fault::none) CHECK(out == c.value);
  }
}

TEST_CASE("mul_div_fault at the bounds: zero divisors, min / -1, overflow") {
  struct Case {
    i128 a, b, d;
    Round round;
    Fault expected;
    i128 value;
  };
  const Case cases[] = {
      {1, 1, 0, Round::down, Fault::division_by_zero, 0},
      {0, 0, 0, Round::up, Fault::division_by_zero, 0},
      {i128_max, i128_max, 0, Round::toward_zero, Fault::division_by_zero, 0},
      // minimum / -1: a trap on x86-64 and wasm for native division; here a value.
      {-i128_max, 1, -1, Round::down, Fault::none, i128_max},
      {i128_min, 1, -1, Round::down, Fault::overflow, 0},  // 2^127 does not fit
      {i128_min, 1, 1, Round::down, Fault::overflow, 0},   // -2^127 is outside the symmetric range
      {i64min, 1, -1, Round::down, Fault::none, -i64min},
      {i64min, i64min, 1, Round::down, Fault::none, i64min * i64min},
      {i64max, i64max, 1, Round::up, Fault::none, i64max * i64max},
      {i128_max, i128_max, i128_max, Round::down, Fault::none, i128_max},
      {i128_max, 2, 1, Round::up, Fault::overflow, 0},
      {i128_max, 2, 2, Round::up, Fault::none, i128_max},
      {i128_max, i128_max, 1, Round::down, Fault::overflow, 0},
      {i128_max, -i128_max, i128_max, Round::down, Fault::none, -i128_max},
      // Rounding can push a quotient just over the limit.
      {i128_max, 3, 3, Round::up, Fault::none, i128_max},
  };
  for (const Case& c : cases) {
    i128 out = 0;
    const Fault f = mul_div_fault(c.a, c.b, c.d, c.round, out);
    CHECK(f == c.expected);
    if (c.expected == Fault::none && c.value != 0) CHECK(out == c.value);
  }
  // i128_max^2 / (i128_max - 1) = i128_max + i128_max / (i128_max - 1) > limit.
  i128 out = 0;
  CHECK(mul_div_fault(i128_max, i128_max, i128_max - 1, Round::down, out) == Fault::overflow);
  // (2^128 - 1) / 2 = i128_max remainder 1: the limit itself when rounding
  // toward zero or down, one past it when rounding up.
  const auto third = static_cast<i128>((~u128{0}) / 3);
  CHECK(mul_div_fault(third, 3, 2, Round::down, out) == Fault::none);
  CHECK(out == i128_max);
  CHECK(mul_div_fault(third, 3, 2, Round::up, out) == Fault::overflow);
  CHECK(mul_div_fault(-third, 3, 2, Round::up, out) == Fault::none);
  CHECK(out == -i128_max);
  CHECK(mul_div_fault(-third, 3, 2, Round::down, out) == Fault::overflow);
}

TEST_CASE("mul_div_fault rounds in the named direction for every sign") {
  // 7 / 2 = 3.5 and its sign variants.
  struct Case {
    i128 a, b, d;
    i128 down, up, toward_zero;
  };
  const Case cases[] = {
      {7, 1, 2, 3, 4, 3},     {-7, 1, 2, -4, -3, -3}, {7, -1, 2, -4, -3, -3},   {7, 1, -2, -4, -3, -3},
      {-7, -1, 2, 3, 4, 3},   {-7, 1, -2, 3, 4, 3},   {-7, -1, -2, -4, -3, -3}, {6, 1, 2, 3, 3, 3},
      {-6, 1, 2, -3, -3, -3}, {0, -5, 3, 0, 0, 0},    {1, 1, 3, 0, 1, 0},       {-1, 1, 3, -1, 0, 0},
  };
  for (const Case& c : cases) {
    i128 out = 0;
    CHECK(mul_div_fault(c.a, c.b, c.d, Round::down, out) == Fault::none);
    CHECK(out == c.down);
    CHECK(mul_div_fault(c.a, c.b, c.d, Round::up, out) == Fault::none);
    CHECK(out == c.up);
    CHECK(mul_div_fault(c.a, c.b, c.d, Round::toward_zero, out) == Fault::none);
    CHECK(out == c.toward_zero);
  }
}

TEST_CASE("typed operations: values, directions and exact error messages") {
  CHECK(ok_value(mul(dec<Quantity>("0.5"), dec<Price>("61000.3"), Round::up)) == dec<Money>("30500.15"));
  CHECK(ok_value(mul(dec<Money>("0.000000000000000001"), dec<Ratio>("0.5"), Round::up)) ==
        dec<Money>("0.000000000000000001"));
  CHECK(ok_value(mul(dec<Money>("0.000000000000000001"), dec<Ratio>("0.5"), Round::down)) == Money::zero());
  CHECK(ok_value(mul(dec<Money>("-0.000000000000000001"), dec<Ratio>("0.5"), Round::down)) ==
        dec<Money>("-0.000000000000000001"));
  CHECK(ok_value(div(dec<Money>("10"), dec<Money>("3"), Round::down)) == dec<Ratio>("3.333333333333333333"));
  CHECK(ok_value(div(dec<Money>("10"), dec<Money>("3"), Round::up)) == dec<Ratio>("3.333333333333333334"));
  CHECK(ok_value(div(dec<Money>("-10"), dec<Money>("3"), Round::up)) == dec<Ratio>("-3.333333333333333333"));
  CHECK(ok_value(mul_div(dec<Quantity>("3"), dec<Price>("100"), dec<Money>("7"), Round::down)) ==
        dec<Ratio>("42.857142857142857142"));

  const Error overflow = error_of(mul(Quantity::max(), dec<Price>("2"), Round::up));
  CHECK(overflow.code() == ErrorCode::overflow);
  CHECK(overflow.message() ==
        "170141183460469231731.687303715884105727 x 2 does not fit the fixed-point range of "
        "+-170141183460469231731.687303715884105727");

  const Error by_zero = error_of(div(dec<Money>("5"), Money::zero(), Round::down));
  CHECK(by_zero.code() == ErrorCode::division_by_zero);
  CHECK(by_zero.message() == "division by zero in 5 / 0");
  CHECK(by_zero.to_string() == "[vmargin.division_by_zero] division by zero in 5 / 0");

  const Error sum = error_of(add(Money::max(), Money::epsilon()));
  CHECK(sum.code() == ErrorCode::overflow);
  CHECK(sum.message() ==
        "170141183460469231731.687303715884105727 + 0.000000000000000001 does not fit the "
        "fixed-point range of +-170141183460469231731.687303715884105727");
  CHECK(error_of(sub(Money::min(), Money::epsilon())).code() == ErrorCode::overflow);
  CHECK(ok_value(sub(Money::max(), Money::max())) == Money::zero());
}

TEST_CASE("mul_div_saturating: exact in range, the range's end beyond it, by the quotient's sign") {
  // In range: the same value and rounding as mul_div.
  CHECK(ok_value(mul_div_saturating(dec<Ratio>("1.1"), dec<Money>("61000"), dec<Money>("7"), Round::down)) ==
        ok_value(mul_div(dec<Ratio>("1.1"), dec<Money>("61000"), dec<Money>("7"), Round::down)));
  // The ADL case (spec §7.5): 1.109 x 61000 / 10^-18 = 6.8 x 10^22 is beyond the range.
  const Money dust = Money::epsilon();
  CHECK(ok_value(mul_div_saturating(dec<Ratio>("1.109"), dec<Money>("61000"), dust, Round::down)) ==
        Ratio::max());
  CHECK(ok_value(mul_div_saturating(dec<Ratio>("-1.109"), dec<Money>("61000"), dust, Round::down)) ==
        Ratio::min());
  CHECK(ok_value(mul_div_saturating(dec<Ratio>("-1.109"), dec<Money>("-61000"), dust, Round::down)) ==
        Ratio::max());
  CHECK(ok_value(mul_div_saturating(dec<Ratio>("1.109"), dec<Money>("61000"), -dust, Round::down)) ==
        Ratio::min());
  // Exactly the largest value is not clamped; one unit more is.
  CHECK(ok_value(mul_div_saturating(Ratio::max(), Money::one(), Money::one(), Round::down)) == Ratio::max());
  // Other faults stay errors.
  CHECK(error_of(mul_div_saturating(Ratio::one(), Money::one(), Money::zero(), Round::down)).code() ==
        ErrorCode::division_by_zero);
}

TEST_CASE("sqrt: exact floor and ceiling, domain errors") {
  CHECK(ok_value(sqrt(dec<Quantity>("4"), Round::down)) == dec<Quantity>("2"));
  CHECK(ok_value(sqrt(dec<Quantity>("4"), Round::up)) == dec<Quantity>("2"));
  CHECK(ok_value(sqrt(dec<Quantity>("2"), Round::down)) == dec<Quantity>("1.414213562373095048"));
  CHECK(ok_value(sqrt(dec<Quantity>("2"), Round::up)) == dec<Quantity>("1.414213562373095049"));
  CHECK(ok_value(sqrt(dec<Quantity>("0.000000000000000001"), Round::down)) == dec<Quantity>("0.000000001"));
  CHECK(ok_value(sqrt(Quantity::zero(), Round::up)) == Quantity::zero());
  CHECK(ok_value(sqrt(Quantity::max(), Round::down)) == dec<Quantity>("13043817825.332782212349571806"));
  const Error e = error_of(sqrt(dec<Quantity>("-1"), Round::down));
  CHECK(e.code() == ErrorCode::domain_error);
  CHECK(e.message() == "sqrt(-1) is undefined for a negative value");
}

TEST_CASE("round_to_step") {
  const Price tick = dec<Price>("0.5");
  CHECK(ok_value(round_to_step(dec<Price>("100.3"), tick, Round::down)) == dec<Price>("100"));
  CHECK(ok_value(round_to_step(dec<Price>("100.3"), tick, Round::up)) == dec<Price>("100.5"));
  CHECK(ok_value(round_to_step(dec<Price>("100.5"), tick, Round::up)) == dec<Price>("100.5"));
  CHECK(ok_value(round_to_step(dec<Price>("-100.3"), tick, Round::down)) == dec<Price>("-100.5"));
  CHECK(ok_value(round_to_step(dec<Price>("-100.3"), tick, Round::toward_zero)) == dec<Price>("-100"));
  CHECK(error_of(round_to_step(dec<Price>("1"), Price::zero(), Round::up)).code() ==
        ErrorCode::division_by_zero);
  CHECK(error_of(round_to_step(Price::max(), dec<Price>("2"), Round::up)).code() == ErrorCode::overflow);
}
