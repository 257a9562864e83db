#include "vmargin/margin/health.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::dec;

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
  CHECK(is_bankrupt(Money::zero(), dec<Money>("1")));
  CHECK_FALSE(is_bankrupt(Money::zero(), Money::zero()));
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
