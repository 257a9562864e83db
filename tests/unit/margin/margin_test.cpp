// position_value, requirement and health: values derived by hand in the
// comments, each rounding direction checked on a case where it matters.
#include "support/test_support.hpp"
#include "vmargin/margin/health.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/margin/requirement.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

TEST_CASE("linear_notional = |quantity| x mark, rounded up") {
  // 0.5 x 61000.3 = 30500.15 (exact)
  CHECK(ok_value(linear_notional(dec<Quantity>("0.5"), dec<Price>("61000.3"))) == dec<Money>("30500.15"));
  // |-0.3| x 33.333333333333333333 = 9.9999999999999999999 -> up -> 10
  CHECK(ok_value(linear_notional(dec<Quantity>("-0.3"), dec<Price>("33.333333333333333333"))) ==
        dec<Money>("10"));
  CHECK(error_of(linear_notional(Quantity::max(), dec<Price>("1.000000000000000001"))).code() ==
        ErrorCode::overflow);
}

TEST_CASE("linear_unrealized_pnl = quantity x (mark - entry), rounded down") {
  // 0.5 x (61000 - 60000) = 500
  CHECK(ok_value(linear_unrealized_pnl(dec<Quantity>("0.5"), dec<Price>("60000"), dec<Price>("61000"))) ==
        dec<Money>("500"));
  // -0.3 x (133.333333333333333333 - 100) = -9.9999999999999999999 -> down -> -10
  CHECK(ok_value(linear_unrealized_pnl(dec<Quantity>("-0.3"), dec<Price>("100"),
                                       dec<Price>("133.333333333333333333"))) == dec<Money>("-10"));
  // 0.3 x 33.333333333333333333 = 9.9999999999999999999 -> down -> 9.999999999999999999
  CHECK(ok_value(linear_unrealized_pnl(dec<Quantity>("0.3"), dec<Price>("100"),
                                       dec<Price>("133.333333333333333333"))) ==
        dec<Money>("9.999999999999999999"));
  // mark - entry itself can overflow
  CHECK(error_of(linear_unrealized_pnl(dec<Quantity>("1"), Price::min(), Price::max())).code() ==
        ErrorCode::overflow);
}

TEST_CASE("margin_requirement = notional x rate, rounded up") {
  // 30500.15 x 0.05 = 1525.0075 (exact)
  CHECK(ok_value(margin_requirement(dec<Money>("30500.15"), dec<Ratio>("0.05"))) == dec<Money>("1525.0075"));
  // 0.000000000000000001 x 0.5 = 5e-19 -> up -> 1e-18
  CHECK(ok_value(margin_requirement(Money::epsilon(), dec<Ratio>("0.5"))) == Money::epsilon());
  CHECK(ok_value(margin_requirement(dec<Money>("100"), Ratio::zero())) == Money::zero());
}

TEST_CASE("classify: every status and every boundary") {
  const Ratio call = dec<Ratio>("1.5");
  struct Case {
    const char* equity;
    const char* maintenance;
    MarginStatus status;
  };
  const Case cases[] = {
      {"-1", "0", MarginStatus::bankrupt},
      {"-1", "100", MarginStatus::bankrupt},
      {"0", "100", MarginStatus::bankrupt},
      {"0", "0", MarginStatus::healthy},  // an empty account
      {"0.000000000000000001", "100", MarginStatus::liquidatable},
      {"99.999999999999999999", "100", MarginStatus::liquidatable},
      {"100", "100", MarginStatus::margin_call},  // equality is not liquidatable
      {"149.999999999999999999", "100", MarginStatus::margin_call},
      {"150", "100", MarginStatus::healthy},  // ratio == call level is not a call
      {"100", "0", MarginStatus::healthy},
  };
  for (const Case& c : cases) {
    CAPTURE(c.equity);
    CAPTURE(c.maintenance);
    CHECK(classify(dec<Money>(c.equity), dec<Money>(c.maintenance), call) == c.status);
  }
  CHECK(status_name(MarginStatus::margin_call) == "margin_call");
  CHECK(status_name(MarginStatus::bankrupt) == "bankrupt");
}

TEST_CASE("margin_ratio = equity / maintenance, rounded down; none without a requirement") {
  CHECK(margin_ratio(dec<Money>("150"), dec<Money>("100")) == dec<Ratio>("1.5"));
  CHECK(margin_ratio(dec<Money>("10"), dec<Money>("3")) == dec<Ratio>("3.333333333333333333"));
  CHECK(margin_ratio(dec<Money>("-10"), dec<Money>("3")) == dec<Ratio>("-3.333333333333333334"));
  CHECK_FALSE(margin_ratio(dec<Money>("10"), Money::zero()).has_value());
  // Dust requirements saturate rather than fail.
  CHECK(margin_ratio(dec<Money>("1000"), Money::epsilon()) == Ratio::max());
  CHECK(margin_ratio(dec<Money>("-1000"), Money::epsilon()) == Ratio::min());
}
