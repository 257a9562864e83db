// Checked arithmetic on fixed-point values. Every operation that can lose
// precision takes a Round argument with no default, so the direction of every
// rounding is visible at the call site (docs/spec.md lists each one). Every
// operation that can leave the range returns an Error instead of wrapping.
#pragma once

#include <string>

#include "vmargin/error.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// Rounding direction. The rule for choosing one: against the account, in
/// favour of the system's solvency (requirements up, credits down).
enum class Round : std::uint8_t {
  down,         ///< toward minus infinity (floor)
  up,           ///< toward plus infinity (ceiling)
  toward_zero,  ///< truncation
};

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

// --- typed level -------------------------------------------------------------

template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> add(Fixed<Tag> a, Fixed<Tag> b) {
  i128 r = 0;
  if (const Fault f = add_fault(a.raw(), b.raw(), r); f != Fault::none)
    return arithmetic_error(f, to_string(a) + " + " + to_string(b));
  return Fixed<Tag>::from_raw(r);
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

template <class Tag>
[[nodiscard]] Result<Fixed<Tag>> sqrt(Fixed<Tag> x, Round round) {
  i128 r = 0;
  if (const Fault f = sqrt_fault(x.raw(), round, r); f != Fault::none)
    return arithmetic_error(f, "sqrt(" + to_string(x) + ")");
  return Fixed<Tag>::from_raw(r);
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
