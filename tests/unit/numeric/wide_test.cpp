#include "vmargin/numeric/wide.hpp"

#include "support/reference_wide.hpp"
#include "support/test_support.hpp"

using namespace vmargin;

namespace {
constexpr u128 u128_max = ~u128{0};
constexpr u128 two64 = u128{1} << 64;
}  // namespace

TEST_CASE("magnitude is exact at the ends of the 128-bit range") {
  CHECK(magnitude(0) == 0);
  CHECK(magnitude(-1) == 1);
  CHECK(magnitude(i128_max) == static_cast<u128>(i128_max));
  CHECK(magnitude(i128_min) == u128{1} << 127);
}

TEST_CASE("mul_wide matches the 32-bit-limb reference at the edges") {
  const u128 values[] = {
      0,       1, 2, 3, 0xffffffffu, two64 - 1, two64, two64 + 1, u128_max / 3, u128{1} << 127, u128_max - 1,
      u128_max};
  for (const u128 a : values) {
    for (const u128 b : values) {
      CAPTURE(static_cast<std::uint64_t>(a >> 64));
      CAPTURE(static_cast<std::uint64_t>(b >> 64));
      CHECK(mul_wide(a, b) == test::reference_mul(a, b));
    }
  }
  // (2^128 - 1)^2 = 2^256 - 2^129 + 1
  const U256 p = mul_wide(u128_max, u128_max);
  CHECK(p.hi == u128_max - 1);
  CHECK(p.lo == 1);
}

TEST_CASE("div_wide: one- and two-digit divisors, largest quotients and remainders") {
  const u128 divisors[] = {1,
                           2,
                           3,
                           10,
                           1'000'000'000'000'000'000,
                           two64 - 1,
                           two64,
                           two64 + 1,
                           (two64 << 1) - 1,
                           u128{1} << 127,
                           u128_max - 1,
                           u128_max};
  const u128 quotients[] = {0, 1, 2, two64 - 1, two64, u128_max / 7, u128_max - 1, u128_max};
  for (const u128 d : divisors) {
    for (const u128 q : quotients) {
      // n = q x d + r for the largest and smallest remainders.
      for (const u128 r : {u128{0}, d - 1, d / 2}) {
        U256 n = mul_wide(q, d);
        const u128 lo = n.lo + r;
        n.hi += lo < n.lo ? 1 : 0;
        n.lo = lo;
        if (n.hi >= d) continue;  // outside div_wide's precondition
        const WideDivision got = div_wide(n, d);
        CAPTURE(static_cast<std::uint64_t>(d >> 64));
        CAPTURE(static_cast<std::uint64_t>(d));
        CHECK(got.quotient == q);
        CHECK(got.remainder == r);
        const WideDivision ref = test::reference_div(n, d);
        CHECK(ref.quotient == q);
        CHECK(ref.remainder == r);
      }
    }
  }
}

TEST_CASE("isqrt is the exact floor on squares and their neighbours") {
  const u128 roots[] = {0, 1, 2, 3, 4, 1'000'000'000, two64 - 1, two64 - 2, 0xffff'ffff'ffffull};
  for (const u128 r : roots) {
    const u128 sq = r * r;
    CHECK(isqrt(sq) == r);
    if (sq != 0) CHECK(isqrt(sq - 1) == r - 1);
    CHECK(isqrt(sq + 2 * r) == r);  // (r+1)^2 - 1
  }
  CHECK(isqrt(u128_max) == two64 - 1);
}

TEST_CASE("isqrt_wide is the exact floor for 256-bit inputs") {
  // (2^126 - 1)^2 < 2^252 is inside the documented domain (n.hi < 2^126).
  const u128 roots[] = {two64, two64 + 12345, (u128{1} << 100) + 7, (u128{1} << 126) - 1};
  for (const u128 r : roots) {
    const U256 sq = mul_wide(r, r);
    CHECK(isqrt_wide(sq) == r);
    U256 below = sq;
    if (below.lo == 0) --below.hi;
    --below.lo;
    CHECK(isqrt_wide(below) == r - 1);
    U256 above = mul_wide(r + 1, r + 1);  // (r+1)^2 - 1
    if (above.lo == 0) --above.hi;
    --above.lo;
    CHECK(isqrt_wide(above) == r);
  }
}

TEST_CASE("bit_width_u128") {
  CHECK(bit_width_u128(0) == 0);
  CHECK(bit_width_u128(1) == 1);
  CHECK(bit_width_u128(two64 - 1) == 64);
  CHECK(bit_width_u128(two64) == 65);
  CHECK(bit_width_u128(u128_max) == 128);
}
