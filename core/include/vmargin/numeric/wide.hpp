// Exact integer building blocks: 128-bit types, a 256-bit product and its
// division by a 128-bit divisor, and an exact floor square root.
//
// Everything here is plain integer arithmetic with fixed widths, so it gives
// the same bits on x86-64, aarch64 and wasm32. No division is ever executed
// with a zero divisor or with INT_MIN / -1 (those trap on some targets).
#pragma once

#include <bit>
#include <cstdint>

namespace vmargin {

__extension__ typedef __int128 i128;           // NOLINT: the one place the width is named
__extension__ typedef unsigned __int128 u128;  // NOLINT

static_assert(sizeof(i128) == 16 && sizeof(u128) == 16, "128-bit integers are required");
static_assert(sizeof(std::uint64_t) == 8 && sizeof(std::uint32_t) == 4);

inline constexpr i128 i128_max = static_cast<i128>((~u128{0}) >> 1);
inline constexpr i128 i128_min = -i128_max - 1;

/// |x| as an unsigned value; exact for every i128 including i128_min.
[[nodiscard]] constexpr u128 magnitude(i128 x) noexcept {
  return x < 0 ? u128{0} - static_cast<u128>(x) : static_cast<u128>(x);
}

/// An unsigned 256-bit integer, as two 128-bit halves.
struct U256 {
  u128 hi = 0;
  u128 lo = 0;
  friend constexpr bool operator==(const U256&, const U256&) = default;
};

/// The exact product a x b.
[[nodiscard]] constexpr U256 mul_wide(u128 a, u128 b) noexcept {
  const u128 mask = ~std::uint64_t{0};
  // Rates, weights and most quantities fit 64 bits: two partial products
  // instead of four.
  if ((a >> 64) == 0 || (b >> 64) == 0) {
    const u128 small = (a >> 64) == 0 ? a : b;  // < 2^64
    const u128 other = (a >> 64) == 0 ? b : a;
    const u128 low = small * (other & mask);
    const u128 high = small * (other >> 64) + (low >> 64);
    return U256{high >> 64, (high << 64) | (low & mask)};
  }
  const u128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);  // < 3 x 2^64: no overflow
  return U256{p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64), (mid << 64) | (p00 & mask)};
}

/// -1, 0 or 1 as a <, ==, > b.
[[nodiscard]] constexpr int compare_wide(const U256& a, const U256& b) noexcept {
  if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
  return 0;
}

/// a - b for a >= b.
[[nodiscard]] constexpr U256 sub_wide(const U256& a, const U256& b) noexcept {
  return U256{a.hi - b.hi - (a.lo < b.lo ? 1 : 0), a.lo - b.lo};
}

/// a + b modulo 2^256.
[[nodiscard]] constexpr U256 add_wide(const U256& a, const U256& b) noexcept {
  const u128 lo = a.lo + b.lo;
  return U256{a.hi + b.hi + (lo < a.lo ? 1 : 0), lo};
}

/// a x b modulo 2^256 (exact whenever the product fits).
[[nodiscard]] constexpr U256 mul_wide(const U256& a, u128 b) noexcept {
  const U256 low = mul_wide(a.lo, b);
  return U256{low.hi + a.hi * b, low.lo};
}

struct WideDivision {
  u128 quotient = 0;
  u128 remainder = 0;
};

/// n / d for a 256-bit n and a nonzero 128-bit d whose quotient fits 128 bits.
/// Preconditions (checked by callers): d != 0 and n.hi < d.
[[nodiscard]] WideDivision div_wide(U256 n, u128 d) noexcept;

/// floor(n / d) for any 256-bit n and a nonzero 128-bit d (precondition).
[[nodiscard]] U256 divide_wide(const U256& n, u128 d) noexcept;

/// floor(sqrt(n)) for any 128-bit n.
[[nodiscard]] u128 isqrt(u128 n) noexcept;

/// floor(sqrt(n)) for a 256-bit n with n.hi < 2^126 (the result then fits 127
/// bits). Precondition checked by callers.
[[nodiscard]] u128 isqrt_wide(U256 n) noexcept;

/// Number of significant bits (0 for 0).
[[nodiscard]] constexpr int bit_width_u128(u128 x) noexcept {
  const auto hi = static_cast<std::uint64_t>(x >> 64);
  return hi ? 64 + static_cast<int>(std::bit_width(hi))
            : static_cast<int>(std::bit_width(static_cast<std::uint64_t>(x)));
}

}  // namespace vmargin
