// Checked arithmetic on fixed-point values. Every operation that can lose
// precision takes a Round argument with no default, so the direction of every
// rounding is visible at the call site (docs/spec.md lists each one). Every
// operation that can leave the range returns an Error instead of wrapping.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "vmargin/error.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/numeric/round.hpp"

namespace vmargin {

// --- raw level: integers, usually value x 10^18 ---------------------------

/// What went wrong in a raw operation; the typed functions below turn it into
/// an Error whose message shows the operands in decimal.
enum class Fault : std::uint8_t { none, overflow, division_by_zero, domain };

/// a + b (and a - b) within the symmetric fixed-point range.
[[nodiscard]] Fault add_fault(i128 a, i128 b, i128& out) noexcept;
[[nodiscard]] Fault sub_fault(i128 a, i128 b, i128& out) noexcept;
/// a x b / d through an exact 256-bit intermediate, rounded once.
[[nodiscard]] Fault mul_div_fault(i128 a, i128 b, i128 d, Round round, i128& out) noexcept;
/// sqrt(x / 10^18) x 10^18 = sqrt(x x 10^18) for a raw fixed-point x >= 0.
[[nodiscard]] Fault sqrt_fault(i128 x, Round round, i128& out) noexcept;

/// The Error for a fault, given the expression in the user's terms
/// ("60000 x 2"). Out of line: only error paths build strings.
[[nodiscard]] Error arithmetic_error(Fault fault, const std::string& expression);

/// a x b / d on raw integers, for the few formulas whose units the domain
/// types do not express (dimensionless factors such as 0.8 x rate). Errors
/// name `describe`: a string, or a callable returning one, called only on
/// the error path (hot paths must not build strings).
template <class Describe>
[[nodiscard]] Result<i128> mul_div_raw(i128 a, i128 b, i128 d, Round round, Describe&& describe) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a, b, d, round, r); f != Fault::none) {
    if constexpr (std::is_invocable_v<Describe>) {
      return arithmetic_error(f, describe());
    } else {
      return arithmetic_error(f, std::string(describe));
    }
  }
  return r;
}

/// (a x b + c x d) / e for any signs, the sum taken exactly (in 256 bits)
/// before the single rounding: an inverse tier's |face| x rate - amount x
/// price, and averaged entry prices, need it.
[[nodiscard]] Fault sum_of_products_fault(i128 a, i128 b, i128 c, i128 d, i128 e, Round round,
                                          i128& out) noexcept;

// --- typed level -------------------------------------------------------------

/// a x b + c x d for products of one unit, the sum exact before the single
/// rounding (an inverse tier's |face| x rate - amount x price).
template <class A, class B, class C, class D>
requires std::is_same_v<Product<A, B>, Product<C, D>>
[[nodiscard]] Result<Product<A, B>> sum_of_products(A a, B b, C c, D d, Round round) {
  i128 r = 0;
  if (const Fault f = sum_of_products_fault(a.raw(), b.raw(), c.raw(), d.raw(), fixed_scale, round, r);
      f != Fault::none)
    return arithmetic_error(
        f, to_string(a) + " x " + to_string(b) + " + " + to_string(c) + " x " + to_string(d));
  return Product<A, B>::from_raw(r);
}

template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> add(Fixed<Tag> a, Fixed<Tag> b) {
  i128 r = 0;
  if (const Fault f = add_fault(a.raw(), b.raw(), r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " + " + to_string(b));
  return Fixed<Tag>::from_raw(r);
}

/// total += term when the sum is in range (false, total unchanged,
/// otherwise): for hot loops that report one error for the whole sum.
template <class Tag>
[[nodiscard]] bool add_in_place(Fixed<Tag>& total, Fixed<Tag> term) noexcept {
  i128 r = 0;
  if (add_fault(total.raw(), term.raw(), r) != Fault::none) return false;
  total = Fixed<Tag>::from_raw(r);
  return true;
}

template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> sub(Fixed<Tag> a, Fixed<Tag> b) {
  i128 r = 0;
  if (const Fault f = sub_fault(a.raw(), b.raw(), r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " - " + to_string(b));
  return Fixed<Tag>::from_raw(r);
}

/// a x b for the pairs that have a meaning (see ProductOf), rounded once.
template <class A, class B>
[[nodiscard]] Result<Product<A, B>> mul(A a, B b, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), b.raw(), fixed_scale, round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b));
  return Product<A, B>::from_raw(r);
}

/// a / b for the pairs that have a meaning (see QuotientOf), rounded once.
template <class A, class B>
[[nodiscard]] Result<Quotient<A, B>> div(A a, B b, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), fixed_scale, b.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " / " + to_string(b));
  return Quotient<A, B>::from_raw(r);
}

/// a x b / c with a single rounding: the type is that of (a x b) / c.
template <class A, class B, class C>
[[nodiscard]] Result<Quotient<Product<A, B>, C>> mul_div(A a, B b, C c, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), b.raw(), c.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b) + " / " + to_string(c));
  return Quotient<Product<A, B>, C>::from_raw(r);
}

/// a x b rounded once, as a dimensionless ratio: for the few factors whose
/// units the types do not express (an "imf" per square root of a size).
template <class A, class B>
[[nodiscard]] Result<Ratio> mul_to_ratio(A a, B b, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), b.raw(), fixed_scale, round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b));
  return Ratio::from_raw(r);
}

/// a x b / c with a single rounding, where the caller names the unit of the
/// result because the intermediate a x b has none of the domain's (a face
/// value times a price move, divided by a price, is money).
template <class R, class A, class B, class C>
[[nodiscard]] Result<R> mul_div_to(A a, B b, C c, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(a.raw(), b.raw(), c.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b) + " / " + to_string(c));
  return R::from_raw(r);
}

/// An amount of a priced asset (coins, or units of a collateral asset) is
/// Money like a value is; their product with the asset's price is a value.
/// Named, so that Money x Price never compiles by accident.
[[nodiscard]] inline Result<Money> coins_to_value(Money coins, Price price, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(coins.raw(), price.raw(), fixed_scale, round, r); f != Fault::none)
    return arithmetic_error(f, to_string(coins) + " x " + to_string(price));
  return Money::from_raw(r);
}
/// value / price: a value in coins of that price.
[[nodiscard]] inline Result<Money> value_to_coins(Money value, Price price, Round round) {
  i128 r = 0;
  if (const Fault f = mul_div_fault(value.raw(), fixed_scale, price.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, to_string(value) + " / " + to_string(price));
  return Money::from_raw(r);
}
/// |S| x rate - coins x price (an inverse tier's requirement in value:
/// face value times rate, less the tier's amount in coins at the price),
/// the difference exact before the single rounding.
[[nodiscard]] inline Result<Money> face_rate_less_coins_value(Money face, Ratio rate, Money coins,
                                                              Price price, Round round) {
  i128 r = 0;
  if (const Fault f =
          sum_of_products_fault(face.raw(), rate.raw(), -coins.raw(), price.raw(), fixed_scale, round, r);
      f != Fault::none)
    return arithmetic_error(
        f, to_string(face) + " x " + to_string(rate) + " - " + to_string(coins) + " x " + to_string(price));
  return Money::from_raw(r);
}
/// Whether face <= cap x price (an inverse position's coin notional
/// face / price within a tier cap in coins), exactly.
[[nodiscard]] bool face_within_coins_at(Money face, Money cap, Price price) noexcept;

/// to - from: how far a price moved (e.g. mark - entry), a signed difference.
[[nodiscard]] inline Result<PriceMove> price_move(Price to, Price from) {
  i128 r = 0;
  if (const Fault f = sub_fault(to.raw(), from.raw(), r); f != Fault::none)
    return arithmetic_error(f, to_string(to) + " - " + to_string(from));
  return PriceMove::from_raw(r);
}

template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> sqrt(Fixed<Tag> x, Round round) {
  i128 r = 0;
  if (const Fault f = sqrt_fault(x.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, "sqrt(" + to_string(x) + ")");
  return Fixed<Tag>::from_raw(r);
}

/// up(0.8 x r) for a non-negative ratio: the floor of Drift-style size
/// premiums. Rates and weights are small, so this stays in 64-bit integers
/// when it can (a plain division by a constant) instead of the 256-bit path.
[[nodiscard]] inline Ratio four_fifths_up(Ratio r) noexcept {
  const i128 raw = r.raw();
  if (raw >= 0 && raw < (i128{1} << 61)) {
    const auto v = static_cast<std::uint64_t>(raw);
    return Ratio::from_raw(static_cast<i128>((v * 4 + 4) / 5));
  }
  i128 out = 0;
  // |r| x 4 / 5 always fits: the result is smaller than r.
  (void)mul_div_fault(raw, 4, 5, Round::up, out);
  return Ratio::from_raw(out);
}

/// x rounded to a whole multiple of a positive step (a tick or a lot).
template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> round_to_step(Fixed<Tag> x, Fixed<Tag> step, Round round) {
  // The number of steps, rounded as asked, then back to a value.
  i128 steps = 0;
  i128 r = 0;
  Fault f = mul_div_fault(x.raw(), 1, step.raw(), round, steps);
  if (f == Fault::none) f = mul_div_fault(steps, step.raw(), 1, Round::toward_zero, r);
  if (f != Fault::none)
    return arithmetic_error(f, to_string(x) + " rounded to a multiple of " + to_string(step));
  return Fixed<Tag>::from_raw(r);
}

}  // namespace vmargin
