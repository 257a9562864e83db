// One decimal fixed-point representation: a signed 128-bit integer holding
// value x 10^18. Strong domain types over it (Price, Quantity, Money, Ratio)
// make meaningless operations fail to compile: `price * price`,
// `money + quantity` and `Price p = 1.5` are all errors (see
// tests/compile_fail/). Arithmetic lives in numeric/arithmetic.hpp and always
// checks; nothing here can overflow.
#pragma once

#include <compare>
#include <cstdint>
#include <type_traits>

#include "vmargin/numeric/wide.hpp"

namespace vmargin {

/// Fractional digits of every fixed-point value. Written once, here.
inline constexpr int fixed_decimals = 18;
inline constexpr i128 fixed_scale = 1'000'000'000'000'000'000;

/// The representable range is symmetric, so negation never overflows:
/// raw values in [-(2^127 - 1), 2^127 - 1], i.e. about +-1.7e20.
inline constexpr i128 fixed_max_raw = i128_max;
inline constexpr i128 fixed_min_raw = -i128_max;

[[nodiscard]] constexpr bool is_fixed_raw(i128 raw) noexcept { return raw != i128_min; }

template <class Tag>
class Fixed {
 public:
  static constexpr int decimals = fixed_decimals;
  static constexpr i128 scale = fixed_scale;

  constexpr Fixed() noexcept = default;
  /// No floating-point value ever becomes a Fixed, not even explicitly.
  template <class T>
  requires std::is_floating_point_v<T> Fixed(T)
  = delete;

  /// Precondition: is_fixed_raw(raw); every producer in this library checks.
  [[nodiscard]] static constexpr Fixed from_raw(i128 raw) noexcept { return Fixed(raw); }
  /// Whole units; exact for every 64-bit integer (|n| x 10^18 < 2^127).
  [[nodiscard]] static constexpr Fixed from_units(std::int64_t units) noexcept {
    return Fixed(static_cast<i128>(units) * scale);
  }
  [[nodiscard]] static constexpr Fixed zero() noexcept { return Fixed(i128{0}); }
  [[nodiscard]] static constexpr Fixed one() noexcept { return Fixed(scale); }
  [[nodiscard]] static constexpr Fixed max() noexcept { return Fixed(fixed_max_raw); }
  [[nodiscard]] static constexpr Fixed min() noexcept { return Fixed(fixed_min_raw); }
  /// The smallest positive step, 10^-18.
  [[nodiscard]] static constexpr Fixed epsilon() noexcept { return Fixed(i128{1}); }

  [[nodiscard]] constexpr i128 raw() const noexcept { return raw_; }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return raw_ == 0; }
  [[nodiscard]] constexpr bool is_negative() const noexcept { return raw_ < 0; }
  [[nodiscard]] constexpr bool is_positive() const noexcept { return raw_ > 0; }

  /// Negation and absolute value are exact in the symmetric range.
  [[nodiscard]] constexpr Fixed operator-() const noexcept { return Fixed(-raw_); }
  [[nodiscard]] constexpr Fixed abs() const noexcept { return Fixed(raw_ < 0 ? -raw_ : raw_); }

  friend constexpr auto operator<=>(Fixed, Fixed) noexcept = default;

 private:
  constexpr explicit Fixed(i128 raw) noexcept : raw_(raw) {}
  i128 raw_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct MoneyTag {};
struct RatioTag {};
struct PriceMoveTag {};

/// Quote currency per unit of base (a mark, an entry price, a tick).
using Price = Fixed<PriceTag>;
/// A position size in base units (contracts for inverse products); signed:
/// positive is long.
using Quantity = Fixed<QuantityTag>;
/// An amount of an asset: balances, equity, requirements, PnL.
using Money = Fixed<MoneyTag>;
/// A dimensionless rate or ratio: margin rates, weights, margin ratio.
using Ratio = Fixed<RatioTag>;
/// The difference of two prices (mark - entry): signed, and not a price.
using PriceMove = Fixed<PriceMoveTag>;

template <class T>
[[nodiscard]] constexpr T min_of(T a, T b) noexcept {
  return b < a ? b : a;
}
template <class T>
[[nodiscard]] constexpr T max_of(T a, T b) noexcept {
  return a < b ? b : a;
}

/// Which products and quotients mean something. Anything not listed does not
/// compile. A Ratio scales any quantity without changing its dimension.
template <class A, class B>
struct ProductOf;
template <>
struct ProductOf<Quantity, Price> {
  using type = Money;
};
template <>
struct ProductOf<Price, Quantity> {
  using type = Money;
};
/// Size x price difference: a PnL.
template <>
struct ProductOf<Quantity, PriceMove> {
  using type = Money;
};
/// Contracts x value per contract (inverse face value).
template <>
struct ProductOf<Quantity, Money> {
  using type = Money;
};
template <class T>
struct ProductOf<T, Ratio> {
  using type = T;
};
template <>
struct ProductOf<Ratio, Price> {
  using type = Price;
};
template <>
struct ProductOf<Ratio, Quantity> {
  using type = Quantity;
};
template <>
struct ProductOf<Ratio, Money> {
  using type = Money;
};

template <class A, class B>
struct QuotientOf;
template <>
struct QuotientOf<Money, Price> {
  using type = Quantity;
};
template <>
struct QuotientOf<Money, Quantity> {
  using type = Price;
};
template <class T>
struct QuotientOf<T, T> {
  using type = Ratio;
};
template <>
struct QuotientOf<Price, Ratio> {
  using type = Price;
};
template <>
struct QuotientOf<Quantity, Ratio> {
  using type = Quantity;
};
template <>
struct QuotientOf<Money, Ratio> {
  using type = Money;
};

template <class A, class B>
using Product = typename ProductOf<A, B>::type;
template <class A, class B>
using Quotient = typename QuotientOf<A, B>::type;

}  // namespace vmargin
