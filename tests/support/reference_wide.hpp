// Slow, obviously-correct references for the wide integer routines, written
// differently from the library on purpose (32-bit limbs, bit-serial
// division), so that the two can check each other.
#pragma once

#include <cstdint>

#include "vmargin/numeric/wide.hpp"

namespace vmargin::test {

/// Schoolbook multiplication with 32-bit limbs.
inline U256 reference_mul(u128 a, u128 b) {
  std::uint32_t x[4], y[4];
  for (int i = 0; i < 4; ++i) {
    x[i] = static_cast<std::uint32_t>(a >> (32 * i));
    y[i] = static_cast<std::uint32_t>(b >> (32 * i));
  }
  std::uint64_t r[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      const std::uint64_t t = std::uint64_t{x[i]} * y[j] + r[i + j] + carry;
      r[i + j] = t & 0xffffffffu;
      carry = t >> 32;
    }
    r[i + 4] += carry;
  }
  U256 out;
  for (int i = 0; i < 4; ++i) out.lo |= static_cast<u128>(r[i]) << (32 * i);
  for (int i = 0; i < 4; ++i) out.hi |= static_cast<u128>(r[i + 4]) << (32 * i);
  return out;
}

/// Restoring binary long division of a 256-bit n by a nonzero d; the
/// quotient is returned modulo 2^128 (callers keep it in range).
inline WideDivision reference_div(U256 n, u128 d) {
  u128 q = 0;
  u128 r = 0;
  for (int bit = 255; bit >= 0; --bit) {
    const bool top = (r >> 127) != 0;  // r << 1 would lose this bit
    const u128 in = bit >= 128 ? (n.hi >> (bit - 128)) & 1 : (n.lo >> bit) & 1;
    r = (r << 1) | in;
    q <<= 1;
    if (top || r >= d) {
      r -= d;
      q |= 1;
    }
  }
  return WideDivision{q, r};
}

}  // namespace vmargin::test
