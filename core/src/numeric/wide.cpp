#include "vmargin/numeric/wide.hpp"

#include <bit>

namespace vmargin {
namespace {

using u64 = std::uint64_t;
constexpr u128 limb_base = u128{1} << 64;
constexpr u128 limb_mask = limb_base - 1;
constexpr u64 fixed_scale_divisor = 1'000'000'000'000'000'000ull;

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

// Division by an invariant divisor (Moller and Granlund, "Improved division
// by invariant integers", 2011, algorithm 4): with d normalized (top bit set)
// and v = floor((B^2 - 1) / d) - B precomputed, (u1:u0) / d for u1 < d costs
// two multiplications instead of a division. Exact, like any other method.
struct Reciprocal {
  u64 divisor;  // normalized
  int shift;    // of the original divisor
  u64 v;
};

constexpr Reciprocal reciprocal_of(u64 d) {
  const int shift = std::countl_zero(d);
  const u64 normalized = d << shift;
  const u128 all_ones = ~u128{0};
  return Reciprocal{normalized, shift, static_cast<u64>(all_ones / normalized - limb_base)};
}

// 10^18, the divisor of every fixed-point multiplication.
constexpr Reciprocal scale_reciprocal = reciprocal_of(1'000'000'000'000'000'000ull);

u64 div_2by1(u64 u1, u64 u0, const Reciprocal& rec, u64* remainder) noexcept {
  const u64 d = rec.divisor;
  u128 q = static_cast<u128>(rec.v) * u1;
  q += (static_cast<u128>(u1) << 64) | u0;  // modulo 2^128, as the algorithm wants
  u64 q1 = static_cast<u64>(q >> 64) + 1;
  const u64 q0 = static_cast<u64>(q);
  u64 r = u0 - q1 * d;  // modulo 2^64
  if (r > q0) {
    --q1;
    r += d;
  }
  if (r >= d) {
    ++q1;
    r -= d;
  }
  *remainder = r;
  return q1;
}

// n / 10^18 for n.hi < 10^18: the dividend normalized to three digits, the
// top one below the normalized divisor.
WideDivision div_by_scale(U256 n) noexcept {
  const Reciprocal& rec = scale_reciprocal;
  const int s = rec.shift;  // 4: 10^18 < 2^60
  const u64 n0 = static_cast<u64>(n.lo), n1 = static_cast<u64>(n.lo >> 64), n2 = static_cast<u64>(n.hi);
  const u64 u2 = (n2 << s) | (n1 >> (64 - s));
  const u64 u1 = (n1 << s) | (n0 >> (64 - s));
  const u64 u0 = n0 << s;
  u64 r = 0;
  const u64 q1 = div_2by1(u2, u1, rec, &r);
  const u64 q0 = div_2by1(r, u0, rec, &r);
  return WideDivision{(static_cast<u128>(q1) << 64) | q0, r >> s};
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
    // qhat = (un[j+2]:un[j+1]) / vn[1]; when un[j+2] == vn[1] the quotient
    // needs 65 bits, and Knuth starts from B - 1 (the loop below corrects it).
    u128 qhat = 0;
    u128 rhat = 0;
    if (un[j + 2] >= vn[1]) {
      qhat = limb_base - 1;
      rhat = ((static_cast<u128>(un[j + 2]) << 64) | un[j + 1]) - qhat * vn[1];
    } else {
      u64 r = 0;
      qhat = div_128_by_64(un[j + 2], un[j + 1], vn[1], &r);
      rhat = r;
    }
    // With a two-digit divisor this test involves every digit of it, so
    // after it qhat is exact: qhat x (v1 B + v0) <= (u2 B^2 + u1 B + u0)
    // <=> qhat x v0 <= rhat x B + u0. Knuth's add-back step (for divisors of
    // three or more digits) cannot happen here.
    // qhat < B here; once rhat reaches B the test can no longer hold.
    while (rhat < limb_base && qhat * vn[0] > ((rhat << 64) | un[j])) {
      --qhat;
      rhat += vn[1];
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

// floor(sqrt(n)) for a 64-bit n, by Newton's iteration from above.
u64 isqrt64(u64 n) noexcept {
  if (n < 2) return n;
  u64 x = u64{1} << ((std::bit_width(n) + 1) / 2);
  while (true) {
    const u64 y = (x + n / x) >> 1;
    if (y >= x) return x;
    x = y;
  }
}

U256 shift_right(const U256& n, int s) noexcept {
  if (s == 0) return n;
  if (s >= 128) return U256{0, n.hi >> (s - 128)};
  return U256{n.hi >> s, (n.lo >> s) | (n.hi << (128 - s))};
}

}  // namespace

WideDivision div_wide(U256 n, u128 d) noexcept {
  if (d >> 64) return div_by_two_digits(n, d);
  if (d == static_cast<u128>(fixed_scale_divisor)) return div_by_scale(n);
  // One-digit divisor: n.hi < d < 2^64, so the top digit of n is zero.
  const u64 v = static_cast<u64>(d);
  u64 r = 0;
  const u64 q1 = div_128_by_64(static_cast<u64>(n.hi), static_cast<u64>(n.lo >> 64), v, &r);
  const u64 q0 = div_128_by_64(r, static_cast<u64>(n.lo), v, &r);
  return WideDivision{(static_cast<u128>(q1) << 64) | q0, r};
}

u128 isqrt(u128 n) noexcept { return isqrt_wide(U256{0, n}); }

u128 isqrt_wide(U256 n) noexcept {
  const int bits = n.hi ? 128 + bit_width_u128(n.hi) : bit_width_u128(n.lo);  // <= 254 by precondition
  if (bits <= 62) return isqrt64(static_cast<u64>(n.lo));
  // Start from the root of the top 62 bits (an even shift, so the root
  // scales by half of it), plus one: at or above sqrt(n), within a factor
  // 1 + 2^-30, so Newton needs two or three steps instead of seven.
  const int shift = (bits - 62 + 1) & ~1;
  const U256 top = shift_right(n, shift);
  u128 x = static_cast<u128>(isqrt64(static_cast<u64>(top.lo)) + 1) << (shift / 2);
  // Newton from above decreases monotonically to floor(sqrt(n)); x >= sqrt(n)
  // keeps n / x < 2^128 (n < 2^254).
  while (true) {
    const u128 y = (x + div_wide(n, x).quotient) >> 1;
    if (y >= x) return x;
    x = y;
  }
}

U256 divide_wide(const U256& n, u128 d) noexcept {
  // Long division by 128-bit digits: the high digit first, then the low
  // digit with the remainder in front (div_wide's precondition holds).
  const u128 high = n.hi / d;
  const WideDivision low = div_wide(U256{n.hi % d, n.lo}, d);
  return U256{high, low.quotient};
}

}  // namespace vmargin
