// A signed 256-bit integer for the intermediates of the transcendental
// kernels (numeric/kernels.hpp): their rational approximations multiply two
// 2^96-scaled values (up to 2^211) and scale by constants of up to 250 bits.
//
// Two's complement in two 128-bit halves; + - x wrap modulo 2^256 exactly as
// the specification's integer programs do (docs/spec.md §K), and every use
// states why its values fit. Division truncates toward zero, the shift right
// is arithmetic (floors), the same on every target.
#pragma once

#include "vmargin/numeric/wide.hpp"

namespace vmargin {

struct I256 {
  u128 hi = 0;  ///< the top 128 bits; bit 127 is the sign
  u128 lo = 0;
  friend constexpr bool operator==(const I256&, const I256&) = default;
};

[[nodiscard]] constexpr I256 to_i256(i128 x) noexcept {
  return I256{x < 0 ? ~u128{0} : u128{0}, static_cast<u128>(x)};
}

[[nodiscard]] constexpr bool is_negative(const I256& x) noexcept { return (x.hi >> 127) != 0; }

[[nodiscard]] constexpr I256 operator+(const I256& a, const I256& b) noexcept {
  const u128 lo = a.lo + b.lo;
  return I256{a.hi + b.hi + (lo < a.lo ? 1 : 0), lo};
}

[[nodiscard]] constexpr I256 operator-(const I256& x) noexcept {
  const u128 lo = ~x.lo + 1;
  return I256{~x.hi + (lo == 0 ? 1 : 0), lo};
}

[[nodiscard]] constexpr I256 operator-(const I256& a, const I256& b) noexcept { return a + (-b); }

/// a < b (signed).
[[nodiscard]] constexpr bool operator<(const I256& a, const I256& b) noexcept {
  const bool an = is_negative(a), bn = is_negative(b);
  if (an != bn) return an;
  return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
}

/// a x b modulo 2^256 (the exact product whenever it fits).
[[nodiscard]] constexpr I256 operator*(const I256& a, const I256& b) noexcept {
  const U256 low = mul_wide(a.lo, b.lo);
  return I256{low.hi + a.hi * b.lo + a.lo * b.hi, low.lo};
}

/// x x 2^s modulo 2^256, 0 <= s < 256.
[[nodiscard]] constexpr I256 shift_left(const I256& x, int s) noexcept {
  if (s == 0) return x;
  if (s >= 128) return I256{x.lo << (s - 128), 0};
  return I256{(x.hi << s) | (x.lo >> (128 - s)), x.lo << s};
}

/// floor(x / 2^s), 0 <= s < 256 (an arithmetic shift).
[[nodiscard]] constexpr I256 shift_right(const I256& x, int s) noexcept {
  if (s == 0) return x;
  const u128 fill = is_negative(x) ? ~u128{0} : u128{0};
  if (s >= 128) {
    const int t = s - 128;
    const u128 lo = t == 0 ? x.hi : (x.hi >> t) | (fill << (128 - t));
    return I256{fill, lo};
  }
  return I256{(x.hi >> s) | (fill << (128 - s)), (x.lo >> s) | (x.hi << (128 - s))};
}

[[nodiscard]] constexpr bool fits_i128(const I256& x) noexcept {
  const u128 sign_fill = (x.lo >> 127) != 0 ? ~u128{0} : u128{0};
  return x.hi == sign_fill;
}

/// The value of x; precondition fits_i128(x).
[[nodiscard]] constexpr i128 narrow_i128(const I256& x) noexcept { return static_cast<i128>(x.lo); }

/// floor(x / 2^s) narrowed to 128 bits; precondition: the result fits.
[[nodiscard]] constexpr i128 shift_right_i128(const I256& x, int s) noexcept {
  return narrow_i128(shift_right(x, s));
}

/// n / d truncated toward zero. Preconditions (the callers' ranges): d != 0
/// and |n| / |d| < 2^127 with |n| / 2^128 < |d| (div_wide's).
[[nodiscard]] i128 divide_truncating(const I256& n, i128 d) noexcept;

/// A signed decimal literal of up to 77 digits, evaluated at compile time;
/// the kernels' constants are written in the spec's decimal form.
[[nodiscard]] consteval I256 i256_literal(const char* text) {
  bool negative = false;
  if (*text == '-') {
    negative = true;
    ++text;
  }
  I256 value{};
  for (; *text != '\0'; ++text) {
    if (*text < '0' || *text > '9') throw "i256_literal: not a decimal digit";
    value = value * to_i256(10) + to_i256(*text - '0');
  }
  return negative ? -value : value;
}

}  // namespace vmargin
