// Property tests for the numbers, with a fixed-seed counter-based generator:
// every case is a pure function of (seed, index), printed on failure, so any
// failure replays exactly on any target.
#include <cstdint>
#include <cstdio>

#include "support/reference_wide.hpp"
#include "support/test_support.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/numeric/decimal.hpp"

using namespace vmargin;
using vmargin::test::CounterRng;

namespace {

constexpr std::uint64_t cases = 100'000;

// A value with a random bit length (so small, medium and huge magnitudes are
// all common), a random sign, within the symmetric range.
i128 draw_raw(const CounterRng& rng, std::uint64_t counter) {
  const std::uint64_t a = rng.draw(2 * counter);
  const std::uint64_t b = rng.draw(2 * counter + 1);
  const int bits = static_cast<int>(a % 128);  // 0..127
  u128 v = (static_cast<u128>(b) << 64) | rng.draw(~counter);
  v = bits == 0 ? 0 : v >> (128 - bits);
  const auto s = static_cast<i128>(v);
  return (a >> 63) ? -s : s;
}

std::string hex(i128 v) {
  const u128 m = magnitude(v);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s0x%016llx%016llx", v < 0 ? "-" : "",
                static_cast<unsigned long long>(m >> 64), static_cast<unsigned long long>(m));
  return buf;
}

}  // namespace

TEST_CASE("mul_div: up - down is 0 or 1, and 1 exactly when the product is not divisible") {
  const CounterRng rng(0x5EED'0001);
  std::uint64_t checked = 0, inexact = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const i128 a = draw_raw(rng, 3 * i), b = draw_raw(rng, 3 * i + 1), d = draw_raw(rng, 3 * i + 2);
    i128 down = 0, up = 0, zero = 0;
    const Fault fd = mul_div_fault(a, b, d, Round::down, down);
    const Fault fu = mul_div_fault(a, b, d, Round::up, up);
    const Fault fz = mul_div_fault(a, b, d, Round::toward_zero, zero);
    if (d == 0) {
      CHECK(fd == Fault::division_by_zero);
      CHECK(fu == Fault::division_by_zero);
      continue;
    }
    // Independent reference: 32-bit-limb product, bit-serial division.
    const U256 product = test::reference_mul(magnitude(a), magnitude(b));
    const bool fits_128 = product.hi < magnitude(d);
    const WideDivision ref = fits_128 ? test::reference_div(product, magnitude(d)) : WideDivision{};
    const bool divisible = fits_128 && ref.remainder == 0;
    if (fd != Fault::none || fu != Fault::none) {
      // Overflow only when the exact quotient's magnitude is beyond the range
      // (or rounding pushes it there).
      const bool beyond = !fits_128 || ref.quotient >= static_cast<u128>(fixed_max_raw);
      if (!beyond) {
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": unexpected fault for " << hex(a) << " x "
                           << hex(b) << " / " << hex(d));
      }
      continue;
    }
    ++checked;
    const i128 diff = up - down;
    if (!((diff == 0 && divisible) || (diff == 1 && !divisible))) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": up - down = " << hex(diff) << " for " << hex(a)
                         << " x " << hex(b) << " / " << hex(d));
    }
    inexact += divisible ? 0 : 1;
    // toward zero is the truncated reference quotient with the sign applied.
    REQUIRE(fz == Fault::none);
    const i128 truncated = static_cast<i128>(ref.quotient);
    const bool neg = ((a < 0) != (b < 0)) != (d < 0);
    if (zero != (neg ? -truncated : truncated)) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": truncated quotient differs from the reference");
    }
  }
  MESSAGE("mul_div property: " << checked << " in-range cases (" << inexact << " inexact) of " << cases);
  CHECK(checked > cases / 4);  // the generator must exercise the in-range path
  CHECK(inexact > checked / 2);
}

TEST_CASE("div_wide agrees with the bit-serial reference") {
  const CounterRng rng(0x5EED'0002);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const u128 d = magnitude(draw_raw(rng, 3 * i)) | 1;
    const u128 q = magnitude(draw_raw(rng, 3 * i + 1)) << (rng.draw(i) % 2);
    const u128 r = magnitude(draw_raw(rng, 3 * i + 2)) % d;
    U256 n = mul_wide(q, d);
    const u128 lo = n.lo + r;
    n.hi += lo < n.lo ? 1 : 0;
    n.lo = lo;
    const WideDivision got = div_wide(n, d);
    if (got.quotient != q || got.remainder != r) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i
                         << ": div_wide differs for d=" << hex(static_cast<i128>(d)));
    }
  }
}

TEST_CASE("parse(format(x)) == x, and the text is canonical") {
  const CounterRng rng(0x5EED'0003);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const i128 x = draw_raw(rng, i);
    const std::string text = format_decimal_raw(x);
    const Result<i128> back = parse_decimal_raw(text);
    const bool canonical = !text.empty() && text.back() != '.' &&
                           (text.find('.') == std::string::npos || text.back() != '0') && text != "-0";
    if (!back.ok() || back.value() != x || !canonical) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": round trip failed for " << text);
    }
  }
}

TEST_CASE("sqrt rounds down to the exact floor and up to the exact ceiling") {
  const CounterRng rng(0x5EED'0004);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const auto x = static_cast<i128>(magnitude(draw_raw(rng, i)) >> 1);  // non-negative
    i128 lo = 0, hi = 0;
    REQUIRE(sqrt_fault(x, Round::down, lo) == Fault::none);
    REQUIRE(sqrt_fault(x, Round::up, hi) == Fault::none);
    // lo^2 <= x * 10^18 < (lo+1)^2, and hi is lo or lo + 1.
    const U256 n = mul_wide(static_cast<u128>(x), static_cast<u128>(fixed_scale));
    const U256 lo2 = mul_wide(static_cast<u128>(lo), static_cast<u128>(lo));
    const U256 next2 = mul_wide(static_cast<u128>(lo + 1), static_cast<u128>(lo + 1));
    const auto le = [](const U256& p, const U256& q) {
      return p.hi < q.hi || (p.hi == q.hi && p.lo <= q.lo);
    };
    const bool floor_ok = le(lo2, n) && !le(next2, n);
    const bool ceil_ok = (lo2 == n) ? hi == lo : hi == lo + 1;
    if (!floor_ok || !ceil_ok) FAIL_CHECK("seed " << rng.seed() << " case " << i << ": sqrt of " << hex(x));
  }
}

TEST_CASE("compare_products agrees with the reference product") {
  const CounterRng rng(0x5EED'0005);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const i128 a = draw_raw(rng, 4 * i), b = draw_raw(rng, 4 * i + 1);
    // Half the time compare with a permutation of the same product.
    const bool same = rng.draw(i) % 2 == 0;
    const i128 c = same ? b : draw_raw(rng, 4 * i + 2), d = same ? a : draw_raw(rng, 4 * i + 3);
    const auto sign = [](i128 x, i128 y) { return ((x > 0) - (x < 0)) * ((y > 0) - (y < 0)); };
    const U256 p = test::reference_mul(magnitude(a), magnitude(b));
    const U256 q = test::reference_mul(magnitude(c), magnitude(d));
    const int mag = p == q ? 0 : (p.hi < q.hi || (p.hi == q.hi && p.lo < q.lo)) ? -1 : 1;
    const int sa = sign(a, b), sc = sign(c, d);
    const int expected = sa != sc ? (sa > sc ? 1 : -1) : sa * mag;
    if (compare_products(a, b, c, d) != expected) FAIL_CHECK("seed " << rng.seed() << " case " << i);
  }
}
