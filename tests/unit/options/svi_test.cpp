// SVI against Derive's public cases (lyra-utils test/math/SVI.t.sol @
// 759e9625, OPTIONS-ANCHORS.md §4.3): float expectations, asserted by Derive
// within 10^4 units (10^-14), and within the same tolerance here.
#include "vmargin/options/svi.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {
SviParameters surface(const char* tau, const char* a, const char* b, const char* rho, const char* m,
                      const char* sigma, const char* forward) {
  return SviParameters{dec<Ratio>(a),     dec<Ratio>(b),       dec<Ratio>(rho), dec<Ratio>(m),
                       dec<Ratio>(sigma), dec<Price>(forward), dec<Ratio>(tau)};
}
bool within(Ratio a, Ratio b, i128 units) { return a.raw() - b.raw() <= units && b.raw() - a.raw() <= units; }
}  // namespace

TEST_CASE("SVI reproduces Derive's three fitted surfaces at four strikes") {
  struct Set {
    SviParameters svi;
    const char* vols[4];
  };
  const Set sets[] = {
      {surface("0.00821917808219178", "0.00821917808219178", "0.01232876712328767", "-0.000821917808219178",
               "-0.000410958904109589", "0.000410958904109589", "1800"),
       {"1.1283132838354804", "1.0004355395636404", "1.1097985052091757", "1.1965721054381622"}},
      {surface("0.038356164383561646", "0.027616438356164386", "0.041424657534246574", "0.003452054794520548",
               "0.001726027397260274", "0.000345205479452055", "1805"),
       {"0.9597244734120128", "0.8513856076969522", "0.939244986304054", "1.0133571334275668"}},
      {surface("0.2465753424657534", "0.17753424657534247", "0.17753424657534247", "0.05917808219178082",
               "0.02958904109589041", "0.0216986301369863", "1830"),
       {"0.9356728218442784", "0.8687530747337932", "0.8966269017413266", "0.9512721744218694"}},
  };
  const char* strikes[] = {"1500", "1800", "2100", "2400"};
  for (const Set& set : sets) {
    REQUIRE(validate(set.svi).ok());
    for (int i = 0; i < 4; ++i) {
      CAPTURE(strikes[i]);
      CHECK(
          within(ok_value(svi_volatility(set.svi, dec<Price>(strikes[i]))), dec<Ratio>(set.vols[i]), 10'000));
    }
  }
}

TEST_CASE("SVI: the moneyness limit, strike 0 and the variance cap (Derive's default cases, 6 decimals)") {
  const SviParameters d = surface("0.03287671232", "0.01", "0.01", "-0.04", "0.03", "0.05", "2000");
  REQUIRE(validate(d).ok());
  const auto six = [](Ratio v) { return v.raw() / 1'000'000'000'000; };
  CHECK(six(ok_value(svi_volatility(d, dec<Price>("2000000")))) == 645048);
  CHECK(six(ok_value(svi_volatility(d, dec<Price>("1")))) == 666465);
  CHECK(ok_value(svi_volatility(d, Price::zero())) == Ratio::zero());
  // Moneyness below 10^-18 is the lower limit, like K = 1 here.
  CHECK(ok_value(svi_volatility(d, Price::epsilon())) ==
        ok_value(svi_volatility(d, dec<Price>("0.000000001"))));
  const SviParameters big = surface("0.03835616438", "2", "0.6", "-0.02", "0.03", "0.3", "2000");
  REQUIRE(validate(big).ok());
  CHECK(six(ok_value(svi_volatility(big, dec<Price>("200000")))) == 11064985);
}

TEST_CASE("SVI validation names the offending field and refuses negative variance anywhere") {
  const SviParameters ok = surface("0.1", "0.01", "0.1", "-0.5", "0", "0.2", "2000");
  CHECK(validate(ok).ok());
  const auto path_of = [](SviParameters s) { return error_of(validate(s)).path(); };
  SviParameters s = ok;
  s.b = dec<Ratio>("-0.1");
  CHECK(path_of(s) == "/b");
  s = ok;
  s.rho = Ratio::one();
  CHECK(path_of(s) == "/rho");
  s.rho = -Ratio::one();
  CHECK(path_of(s) == "/rho");
  s = ok;
  s.sigma = Ratio::zero();
  CHECK(path_of(s) == "/sigma");
  s = ok;
  s.forward = Price::zero();
  CHECK(path_of(s) == "/forward");
  s = ok;
  s.tau = Ratio::zero();
  CHECK(path_of(s) == "/tau");
  s = ok;
  s.a = dec<Ratio>("1000.000000000000000001");
  CHECK(path_of(s) == "/a");
  // a + b sigma sqrt(1 - rho^2) = -0.01 + 0.1 x 0.2 x sqrt(0.75) = 0.00732: valid;
  // with a = -0.02 it is -0.00268: some strikes would have negative variance.
  s = ok;
  s.a = dec<Ratio>("-0.01");
  CHECK(validate(s).ok());
  s.a = dec<Ratio>("-0.02");
  CHECK(path_of(s) == "/a");
  // Exactly at the edge: b sigma sqrt(1 - rho^2) with rho = 0 is 0.02.
  s = ok;
  s.rho = Ratio::zero();
  s.a = dec<Ratio>("-0.02");
  CHECK(validate(s).ok());
  s.a = dec<Ratio>("-0.020000000000000001");
  CHECK(path_of(s) == "/a");
  // A valid surface has nonnegative variance at every strike tried.
  s.a = dec<Ratio>("-0.02");
  for (const char* k : {"1", "1000", "1999", "2000", "2001", "4000", "1000000"})
    CHECK(svi_volatility(s, dec<Price>(k)).ok());
}
