#include "vmargin/numeric/wide.hpp"

#include <bit>

namespace vmargin {
namespace {

using u64 = std::uint64_t;
constexpr u128 limb_base = u128{1} << 64;
constexpr u128 limb_mask = limb_base - 1;

// (hi:lo) / v for hi < v. Integer division is exact, so every
// implementation gives the same bits: x86-64 has an instruction for it;
// elsewhere (aarch64, wasm32) Hacker's Delight "divlu" does it with 64-bit
// divisions on 32-bit half digits. The unit and property tests run both.
[[maybe_unused]] u64 div_128_by_64_portable(u64 hi, u64 lo, u64 v, u64* remainder) noexcept {
  constexpr u64 b = u64{1} << 32;
  const int s = std::countl_zero(v);
  v <<= s;
  const u64 vn1 = v >> 32, vn0 = v & 0xffffffffu;
  const u64 un32 = (hi << s) | (s == 0 ? 0 : lo >> (64 - s));
  const u64 un10 = lo << s;
  const u64 un1 = un10 >> 32, un0 = un10 & 0xffffffffu;

  u64 q1 = un32 / vn1;
  u64 rhat = un32 - q1 * vn1;
  while (q1 >= b || q1 * vn0 > b * rhat + un1) {
    --q1;
    rhat += vn1;
    if (rhat >= b) break;
  }
  const u64 un21 = un32 * b + un1 - q1 * v;
  u64 q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 >= b || q0 * vn0 > b * rhat + un0) {
    --q0;
    rhat += vn1;
    if (rhat >= b) break;
  }
  *remainder = (un21 * b + un0 - q0 * v) >> s;
  return q1 * b + q0;
}

inline u64 div_128_by_64(u64 hi, u64 lo, u64 v, u64* remainder) noexcept {
#if defined(__x86_64__) && !defined(VMARGIN_PORTABLE_DIVISION)
  // hi < v, so the quotient fits 64 bits and divq cannot fault.
  u64 q = 0;
  u64 r = 0;
  __asm__("divq %[v]" : "=a"(q), "=d"(r) : [v] "r"(v), "a"(lo), "d"(hi) : "cc");
  *remainder = r;
  return q;
#else
  return div_128_by_64_portable(hi, lo, v, remainder);
#endif
}

// Knuth's algorithm D with 64-bit digits for a two-digit divisor
// (d >= 2^64): 4-digit dividend, 2-digit quotient.
WideDivision div_by_two_digits(U256 n, u128 d) noexcept {
  const int s = std::countl_zero(static_cast<u64>(d >> 64));  // 0..63
  const u128 dn = d << s;
  const u64 vn[2] = {static_cast<u64>(dn), static_cast<u64>(dn >> 64)};
  u64 un[5];  // the normalized dividend n << s, five digits
  const u64 n0 = static_cast<u64>(n.lo), n1 = static_cast<u64>(n.lo >> 64);
  const u64 n2 = static_cast<u64>(n.hi), n3 = static_cast<u64>(n.hi >> 64);
  if (s == 0) {
    un[0] = n0, un[1] = n1, un[2] = n2, un[3] = n3, un[4] = 0;
  } else {
    un[4] = n3 >> (64 - s);
    un[3] = (n3 << s) | (n2 >> (64 - s));
    un[2] = (n2 << s) | (n1 >> (64 - s));
    un[1] = (n1 << s) | (n0 >> (64 - s));
    un[0] = n0 << s;
  }
  u64 q[2] = {0, 0};
  // n.hi < d makes the quotient's third digit zero (and un[4] with it), so
  // the loop starts one digit lower than the textbook version.
  for (int j = 1; j >= 0; --j) {
    const u128 num = (static_cast<u128>(un[j + 2]) << 64) | un[j + 1];
    u128 qhat = num / vn[1];
    u128 rhat = num - qhat * vn[1];
    // With a two-digit divisor this test involves every digit of it, so
    // after it qhat is exact: qhat x (v1 B + v0) <= (u2 B^2 + u1 B + u0)
    // <=> qhat x v0 <= rhat x B + u0. Knuth's add-back step (for divisors of
    // three or more digits) cannot happen here.
    while (qhat >= limb_base || qhat * vn[0] > ((rhat << 64) | un[j])) {
      --qhat;
      rhat += vn[1];
      if (rhat >= limb_base) break;
    }
    // Subtract qhat x vn from un[j..j+2]; the result is the partial
    // remainder, which is below vn and so fits un[j..j+1].
    const u128 p0 = qhat * vn[0];
    const u128 p1 = qhat * vn[1] + (p0 >> 64);
    const u128 low = (static_cast<u128>(un[j + 1]) << 64) | un[j];
    const u128 sub = (p1 << 64) | (p0 & limb_mask);
    const u128 rem = low - sub;  // exact modulo 2^128, and the true value is < 2^128
    un[j] = static_cast<u64>(rem);
    un[j + 1] = static_cast<u64>(rem >> 64);
    un[j + 2] = 0;
    q[j] = static_cast<u64>(qhat);
  }
  const u128 normalized_remainder = (static_cast<u128>(un[1]) << 64) | un[0];
  return WideDivision{(static_cast<u128>(q[1]) << 64) | q[0], normalized_remainder >> s};
}

}  // namespace

WideDivision div_wide(U256 n, u128 d) noexcept {
  if (d >> 64) return div_by_two_digits(n, d);
  // One-digit divisor: n.hi < d < 2^64, so the top digit of n is zero.
  const u64 v = static_cast<u64>(d);
  u64 r = 0;
  const u64 q1 = div_128_by_64(static_cast<u64>(n.hi), static_cast<u64>(n.lo >> 64), v, &r);
  const u64 q0 = div_128_by_64(r, static_cast<u64>(n.lo), v, &r);
  return WideDivision{(static_cast<u128>(q1) << 64) | q0, r};
}

u128 isqrt(u128 n) noexcept {
  if (n < 2) return n;
  // Start above the root; Newton's iteration then decreases monotonically
  // to floor(sqrt(n)).
  u128 x = u128{1} << ((bit_width_u128(n) + 1) / 2);
  while (true) {
    const u128 y = (x + n / x) >> 1;
    if (y >= x) return x;
    x = y;
  }
}

u128 isqrt_wide(U256 n) noexcept {
  if (n.hi == 0) return isqrt(n.lo);
  const int bits = 128 + bit_width_u128(n.hi);  // <= 254 by precondition
  u128 x = u128{1} << ((bits + 1) / 2);
  while (true) {
    const u128 y = (x + div_wide(n, x).quotient) >> 1;
    if (y >= x) return x;
    x = y;
  }
}

}  // namespace vmargin
