#include "vmargin/numeric/fixed.hpp"

#include <type_traits>

#include "support/test_support.hpp"
#include "vmargin/numeric/arithmetic.hpp"

using namespace vmargin;
using vmargin::test::dec;

// Which operations exist is part of the contract: these are checked at
// compile time (tests/compile_fail/ checks the same through the compiler's
// own diagnostics).
template <class A, class B>
concept Multipliable = requires(A a, B b) {
  mul(a, b, Round::up);
};
template <class A, class B>
concept Divisible = requires(A a, B b) {
  div(a, b, Round::up);
};
template <class A, class B>
concept Addable = requires(A a, B b) {
  add(a, b);
};

static_assert(std::is_same_v<Product<Quantity, Price>, Money>);
static_assert(std::is_same_v<Product<Money, Ratio>, Money>);
static_assert(std::is_same_v<Quotient<Money, Money>, Ratio>);
static_assert(std::is_same_v<Quotient<Money, Price>, Quantity>);
static_assert(Multipliable<Quantity, Price>);
static_assert(Multipliable<Money, Ratio>);
static_assert(!Multipliable<Price, Price>, "price x price has no meaning");
static_assert(!Multipliable<Money, Money>);
static_assert(!Multipliable<Money, Price>);
static_assert(Divisible<Money, Money>);
static_assert(!Divisible<Price, Money>);
static_assert(Addable<Money, Money>);
static_assert(!Addable<Money, Quantity>, "money + quantity has no meaning");
static_assert(!std::is_constructible_v<Price, double>, "no floating point becomes a Fixed");
static_assert(!std::is_constructible_v<Price, float>);
static_assert(!std::is_convertible_v<int, Price>, "no implicit conversion from integers");
static_assert(!std::is_convertible_v<Price, Money>, "domain types do not convert");
static_assert(sizeof(Price) == 16 && std::is_trivially_copyable_v<Price>);

TEST_CASE("precision: the smallest step and the largest value of every type") {
  // As Mango's test_precision: pin the representation so a change shows.
  CHECK(Price::decimals == 18);
  CHECK(Price::scale == static_cast<i128>(1'000'000'000'000'000'000));
  CHECK(to_string(Price::epsilon()) == "0.000000000000000001");
  CHECK(to_string(Money::max()) == "170141183460469231731.687303715884105727");
  CHECK(to_string(Money::min()) == "-170141183460469231731.687303715884105727");
  CHECK(Quantity::max().raw() == i128_max);
  CHECK(Ratio::min().raw() == -i128_max);  // symmetric: negation never overflows
  CHECK(-Ratio::min() == Ratio::max());
  CHECK(to_string(Ratio::one()) == "1");
  CHECK(Money::from_units(-7) == dec<Money>("-7"));
  CHECK(Money::from_units(INT64_MAX) == dec<Money>("9223372036854775807"));
  CHECK(Money::from_units(INT64_MIN) == dec<Money>("-9223372036854775808"));
}

TEST_CASE("comparisons and helpers") {
  CHECK(dec<Price>("1.5") < dec<Price>("1.50000000000000001"));
  CHECK(dec<Price>("-2") < dec<Price>("-1.999999999999999999"));
  CHECK(dec<Money>("-3").abs() == dec<Money>("3"));
  CHECK(min_of(dec<Money>("1"), dec<Money>("-1")) == dec<Money>("-1"));
  CHECK(max_of(dec<Money>("1"), dec<Money>("-1")) == dec<Money>("1"));
  CHECK(Money::zero().is_zero());
  CHECK_FALSE(Money::zero().is_negative());
  CHECK_FALSE(Money::zero().is_positive());
  CHECK(is_fixed_raw(i128_max));
  CHECK_FALSE(is_fixed_raw(i128_min));
}
