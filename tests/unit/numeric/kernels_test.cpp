// The kernels against the exact published vectors of Derive's lyra-utils
// FixedPointMathLib tests (test/math/FixedPointMathLib.t.sol @ 759e9625, as
// collected in OPTIONS-ANCHORS.md §4.1): the same algorithms, so the same
// bits. Error bounds against exact values are tests/independent/
// kernel_bounds.py (mpmath); bit equality with an independent Python
// implementation of docs/spec.md §K is tests/independent/check_kernels.py.
#include "vmargin/numeric/kernels.hpp"

#include "support/test_support.hpp"
#include "vmargin/numeric/int256.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {
// A raw 18-decimal value written as the digits the vectors publish.
consteval Ratio raw(const char* digits) { return Ratio::from_raw(narrow_i128(i256_literal(digits))); }
}  // namespace

TEST_CASE("I256: wrapping products, arithmetic shifts and truncating division") {
  const I256 minus_one = to_i256(-1);
  CHECK(minus_one * minus_one == to_i256(1));
  CHECK(shift_right(to_i256(-5), 1) == to_i256(-3));  // floors
  CHECK(shift_right(to_i256(5), 1) == to_i256(2));
  CHECK(shift_right(shift_left(to_i256(-7), 200), 200) == to_i256(-7));
  CHECK(divide_truncating(to_i256(-7), 2) == -3);  // truncates
  CHECK(divide_truncating(to_i256(7), -2) == -3);
  CHECK(divide_truncating(to_i256(-7), -2) == 3);
  CHECK(i256_literal("-340282366920938463463374607431768211456") == shift_left(to_i256(-1), 128));
  CHECK(fits_i128(to_i256(i128_min)));
  CHECK_FALSE(fits_i128(shift_left(to_i256(1), 127)));
}

TEST_CASE("ln reproduces Derive's exact vectors") {
  CHECK(ok_value(kernel::ln(dec<Ratio>("1000"))) == raw("6907755278982137052"));
  CHECK(ok_value(kernel::ln(dec<Ratio>("0.5"))) == raw("-693147180559945310"));
  CHECK(ok_value(kernel::ln(Ratio::one())) == Ratio::zero());
  CHECK(error_of(kernel::ln(Ratio::zero())).code() == ErrorCode::domain_error);
  CHECK(error_of(kernel::ln(dec<Ratio>("-1"))).code() == ErrorCode::domain_error);
}

TEST_CASE("exp reproduces Derive's exact vectors, including its biased exp(0)") {
  CHECK(ok_value(kernel::exp(dec<Ratio>("10"))) == raw("22026465794806716516861"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("0.5"))) == raw("1648721270700128146"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("1"))) == raw("2718281828459045235"));
  CHECK(ok_value(kernel::exp(Ratio::zero())) == raw("999999999999999999"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("-1"))) == raw("367879441171442321"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("-35"))) == raw("630"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("-41"))) == raw("1"));
  CHECK(ok_value(kernel::exp(dec<Ratio>("-43"))) == Ratio::zero());
  // The wide form reaches 2^255 / 10^18; the fixed-point one stops at ~46.58.
  const U256 wide = ok_value(kernel::exp_wide(dec<Ratio>("135")));
  const I256 expected =
      i256_literal("42633899483147210448604700672351880453901444390330694182932524274901948249590");
  CHECK(wide.hi == expected.hi);
  CHECK(wide.lo == expected.lo);
  CHECK(error_of(kernel::exp_wide(dec<Ratio>("136"))).code() == ErrorCode::overflow);
  CHECK(error_of(kernel::exp(dec<Ratio>("46.6"))).code() == ErrorCode::overflow);
  CHECK(ok_value(kernel::exp(dec<Ratio>("46.5"))) > dec<Ratio>("150000000000000000000"));
}

TEST_CASE("sqrt is the exact floor") {
  CHECK(ok_value(kernel::sqrt(dec<Ratio>("100000000000000000000"))) == dec<Ratio>("10000000000"));
  CHECK(ok_value(kernel::sqrt(dec<Ratio>("0.5"))) == raw("707106781186547524"));
  CHECK(ok_value(kernel::sqrt(Ratio::one())) == Ratio::one());
  CHECK(ok_value(kernel::sqrt(Ratio::zero())) == Ratio::zero());
  CHECK(ok_value(kernel::sqrt(Ratio::max())) ==
        raw("13043817825332782212349571806"));  // floor(sqrt((2^127-1) x 1e18))
  CHECK(error_of(kernel::sqrt(dec<Ratio>("-0.000000000000000001"))).code() == ErrorCode::domain_error);
}

TEST_CASE("normal_cdf reproduces Derive's exact vectors, both branches and the tails") {
  CHECK(kernel::normal_cdf(dec<Ratio>("1")) == raw("841344746068542957"));
  CHECK(kernel::normal_cdf(dec<Ratio>("-1")) == raw("158655253931457043"));
  CHECK(kernel::normal_cdf(dec<Ratio>("2")) == raw("977249868051820775"));
  CHECK(kernel::normal_cdf(dec<Ratio>("-2")) == raw("22750131948179225"));
  CHECK(kernel::normal_cdf(dec<Ratio>("10")) == Ratio::one());
  CHECK(kernel::normal_cdf(dec<Ratio>("-10")) == Ratio::zero());
  CHECK(kernel::normal_cdf(dec<Ratio>("38")) == Ratio::one());
  CHECK(kernel::normal_cdf(dec<Ratio>("-38")) == Ratio::zero());
  CHECK(kernel::normal_cdf(Ratio::zero()) == raw("499999999999999999"));
  CHECK(kernel::normal_cdf(Ratio::max()) == Ratio::one());
  CHECK(kernel::normal_cdf(Ratio::min()) == Ratio::zero());
}

TEST_CASE("normal_pdf reproduces Derive's exact vectors") {
  CHECK(kernel::normal_pdf(dec<Ratio>("1")) == raw("241970724519143349"));
  CHECK(kernel::normal_pdf(dec<Ratio>("-1")) == raw("241970724519143349"));
  CHECK(kernel::normal_pdf(dec<Ratio>("2")) == raw("53990966513188051"));
  CHECK(kernel::normal_pdf(dec<Ratio>("0.5")) == raw("352065326764299477"));
  CHECK(kernel::normal_pdf(Ratio::max()) == Ratio::zero());
  CHECK(kernel::normal_pdf(Ratio::min()) == Ratio::zero());
}

TEST_CASE("pow is exp(ln(a) x b), Derive's decPow") {
  // Derive asserts 10.237692095615253166 within 1e6 units; the exact output
  // of the shared algorithm is ...119 (OPTIONS-ANCHORS.md §4.1).
  CHECK(ok_value(kernel::pow(dec<Ratio>("1.461123"), dec<Ratio>("6.1340812"))) ==
        raw("10237692095615253119"));
  CHECK(ok_value(kernel::pow(dec<Ratio>("2"), dec<Ratio>("-1000000"))) == Ratio::zero());
  CHECK(error_of(kernel::pow(dec<Ratio>("2"), dec<Ratio>("1000000"))).code() == ErrorCode::overflow);
  CHECK(error_of(kernel::pow(Ratio::zero(), Ratio::one())).code() == ErrorCode::domain_error);
  CHECK(error_of(kernel::pow(Ratio::max(), Ratio::max())).code() == ErrorCode::overflow);
  CHECK(ok_value(kernel::pow(Ratio::epsilon(), Ratio::max())) == Ratio::zero());
}

TEST_CASE("ln_wide agrees with ln in range and reaches 2^256 - 1") {
  for (const char* x :
       {"0.000000000000000001", "0.5", "1", "1000", "170141183460469231731.687303715884105727"}) {
    const Ratio r = dec<Ratio>(x);
    CHECK(ok_value(kernel::ln_wide(U256{0, static_cast<u128>(r.raw())})) == ok_value(kernel::ln(r)));
  }
  // ln((2^256 - 1) x 10^-18) = 256 ln 2 - 18 ln 10 = 135.9...
  const Ratio top = ok_value(kernel::ln_wide(U256{~u128{0}, ~u128{0}}));
  CHECK(top > dec<Ratio>("135.9"));
  CHECK(top < dec<Ratio>("136"));
  CHECK(error_of(kernel::ln_wide(U256{})).code() == ErrorCode::domain_error);
}
