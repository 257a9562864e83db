// Values computed with roundings that carry how far they can be from the
// exact value of the same formula.
//
// The liquidation search (docs/liquidation.md) needs, for a pool's health at
// a price, a bound eps with  h_rounded <= h_exact <= h_rounded + eps. The
// valuation formulas that the search re-evaluates compute with these types,
// so every rounding adds to the bound at the line that rounds: a rounding
// added to a formula cannot be forgotten by a hand-kept count elsewhere.
//
// The bound of a product with a factor c counts max(1, ceil|c|) rather than
// |c|: every rate and weight of a validated table is at most 1, so the bound
// of a position or a balance does not depend on which tier or branch applies
// at a price — the search relies on the bound being the same at every price
// of the curve (tests/property: bounds_property_test.cpp checks both claims
// against exact rational arithmetic).
#pragma once

#include <cstdint>

#include "vmargin/error.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// A rounded value and a bound of |exact - value|, in units of 10^-18.
template <class T>
struct Bounded {
  T value;
  i128 error = 0;

  /// An exactly known value (no rounding yet).
  [[nodiscard]] static constexpr Bounded exact(T v) noexcept { return Bounded{v, 0}; }
};

namespace bound {

/// Error bounds stay far below the range: saturate instead of overflowing
/// (a saturated bound only makes the search prove less and probe more).
inline constexpr i128 saturated = i128{1} << 100;

[[nodiscard]] constexpr i128 add(i128 a, i128 b) noexcept { return a + b > saturated ? saturated : a + b; }

/// max(1, ceil(|c|)) for a fixed-point factor c.
template <class Tag>
[[nodiscard]] constexpr i128 whole_ceiling(Fixed<Tag> c) noexcept {
  const i128 m = c.abs().raw();
  if (m <= fixed_scale) return 1;  // rates and weights: no division
  const i128 w = m / fixed_scale + (m % fixed_scale != 0 ? 1 : 0);
  return w < 1 ? 1 : w;
}

/// The error of (x with error e) x c, rounded once: e x max(1, ceil|c|) + 1.
template <class Tag>
[[nodiscard]] constexpr i128 scaled(i128 e, Fixed<Tag> c) noexcept {
  const i128 w = whole_ceiling(c);
  constexpr i128 small = i128{1} << 62;  // both below: the product fits, no division needed
  if (e >= small || w >= small) return saturated;
  return add(e * w, 1);
}

}  // namespace bound

/// a x b from exact operands, rounded once: error 1.
template <class A, class B>
[[nodiscard]] Result<Bounded<Product<A, B>>> rounded_mul(A a, B b, Round round) {
  using R = Product<A, B>;
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), b.raw(), fixed_scale, round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b));
  return Bounded<R>{R::from_raw(r), 1};
}

/// a x b / c from exact operands, rounded once, in the unit R: error 1.
template <class R, class A, class B, class C>
[[nodiscard]] Result<Bounded<R>> rounded_mul_div(A a, B b, C c, Round round) {
  VMARGIN_TRY(const R v, mul_div_to<R>(a, b, c, round));
  return Bounded<R>{v, 1};
}

/// An exact coin amount at a price, rounded once: error 1.
[[nodiscard]] inline Result<Bounded<Money>> rounded_coins_to_value(Money coins, Price price, Round round) {
  VMARGIN_TRY(const Money v, coins_to_value(coins, price, round));
  return Bounded<Money>{v, 1};
}

/// x x c for an exact factor c (a rate, a weight, a multiplier), rounded once.
template <class T, class Tag>
[[nodiscard]] Result<Bounded<Product<T, Fixed<Tag>>>> scale(const Bounded<T>& x, Fixed<Tag> c, Round round) {
  using R = Product<T, Fixed<Tag>>;
  i128 r = 0;
  if (const Fault f = mul_div_fault(x.value.raw(), c.raw(), fixed_scale, round, r); f != Fault::none)
    return arithmetic_error(f, to_string(x.value) + " x " + to_string(c));
  return Bounded<R>{R::from_raw(r), bound::scaled(x.error, c)};
}

template <class T>
[[nodiscard]] Result<Bounded<T>> add(const Bounded<T>& a, const Bounded<T>& b) {
  VMARGIN_TRY(const T v, add(a.value, b.value));
  return Bounded<T>{v, bound::add(a.error, b.error)};
}

template <class T>
[[nodiscard]] Result<Bounded<T>> sub(const Bounded<T>& a, T exact) {
  VMARGIN_TRY(const T v, sub(a.value, exact));
  return Bounded<T>{v, a.error};
}

/// The larger value; the bound covers both, so it does not depend on which
/// one is larger at this price (|max(x, y) - max(x', y')| <= max of the errors).
template <class T>
[[nodiscard]] constexpr Bounded<T> max_of(const Bounded<T>& a, const Bounded<T>& b) noexcept {
  return Bounded<T>{a.value < b.value ? b.value : a.value, a.error < b.error ? b.error : a.error};
}

}  // namespace vmargin
