#include "vmargin/numeric/arithmetic.hpp"

#include "vmargin/numeric/compare.hpp"

namespace vmargin {

Fault add_fault(i128 a, i128 b, i128& out) noexcept {
  if (__builtin_add_overflow(a, b, &out) || !is_fixed_raw(out)) return Fault::overflow;
  return Fault::none;
}

Fault sub_fault(i128 a, i128 b, i128& out) noexcept {
  if (__builtin_sub_overflow(a, b, &out) || !is_fixed_raw(out)) return Fault::overflow;
  return Fault::none;
}

namespace {

// The signed quotient of a magnitude n by a nonzero divisor, rounded once in
// the direction asked (the sign decides which way is up), within the
// fixed-point range.
Fault divide_rounded(U256 n, u128 divisor, bool negative, Round round, i128& out) noexcept {
  constexpr auto limit = static_cast<u128>(fixed_max_raw);
  if (n.hi >= divisor) return Fault::overflow;  // quotient >= 2^128
  const WideDivision q = div_wide(n, divisor);
  u128 m = q.quotient;
  if (m > limit) return Fault::overflow;
  if (q.remainder != 0) {
    const bool away_from_zero = (round == Round::up && !negative) || (round == Round::down && negative);
    if (away_from_zero && ++m > limit) return Fault::overflow;
  }
  const auto v = static_cast<i128>(m);
  out = negative ? -v : v;
  return Fault::none;
}

}  // namespace

Fault mul_div_fault(i128 a, i128 b, i128 d, Round round, i128& out) noexcept {
  if (d == 0) return Fault::division_by_zero;
  // The sign only matters when the product is nonzero, and then it is the
  // parity of the negative operands.
  const bool negative = ((a < 0) != (b < 0)) != (d < 0);
  return divide_rounded(mul_wide(magnitude(a), magnitude(b)), magnitude(d), negative, round, out);
}

Fault sum_of_products_fault(i128 a, i128 b, i128 c, i128 d, i128 e, Round round, i128& out) noexcept {
  if (e == 0) return Fault::division_by_zero;
  // Each product as sign and 256-bit magnitude; then their exact sum.
  const bool left_negative = (a < 0) != (b < 0) && a != 0 && b != 0;
  const bool right_negative = (c < 0) != (d < 0) && c != 0 && d != 0;
  const U256 left = mul_wide(magnitude(a), magnitude(b));
  const U256 right = mul_wide(magnitude(c), magnitude(d));
  U256 sum;
  bool negative = false;
  if (left_negative == right_negative) {
    // Each magnitude is below 2^254, so the sum cannot leave 256 bits.
    sum.lo = left.lo + right.lo;
    sum.hi = left.hi + right.hi + (sum.lo < left.lo ? 1 : 0);
    negative = left_negative;
  } else if (compare_wide(left, right) >= 0) {
    sum = sub_wide(left, right);
    negative = left_negative;
  } else {
    sum = sub_wide(right, left);
    negative = right_negative;
  }
  if (e < 0) negative = !negative;
  return divide_rounded(sum, magnitude(e), negative, round, out);
}

Fault sqrt_fault(i128 x, Round round, i128& out) noexcept {
  if (x < 0) return Fault::domain;
  // x x 10^18 < 2^127 x 2^60 = 2^187, well inside isqrt_wide's domain.
  const U256 n = mul_wide(static_cast<u128>(x), static_cast<u128>(fixed_scale));
  u128 r = isqrt_wide(n);
  if (round == Round::up && mul_wide(r, r) != n) ++r;
  out = static_cast<i128>(r);  // < 2^94
  return Fault::none;
}

Error arithmetic_error(Fault fault, const std::string& expression) {
  switch (fault) {
    case Fault::division_by_zero:
      return Error(ErrorCode::division_by_zero, "division by zero in " + expression);
    case Fault::domain:
      return Error(ErrorCode::domain_error, expression + " is undefined for a negative value");
    case Fault::overflow:
    case Fault::none:
      break;
  }
  return Error(ErrorCode::overflow,
               expression + " does not fit the fixed-point range of +-" + format_decimal_raw(fixed_max_raw));
}

bool face_within_coins_at(Money face, Money cap, Price price) noexcept {
  return compare_products(face.raw(), fixed_scale, cap.raw(), price.raw()) <= 0;
}

}  // namespace vmargin
