// The oracle rules' field checks (docs/formats.md §4, oracle rules table),
// each with its exact message; core only (no codec, no libsodium).
#include "vmargin/market/oracle_rules.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::market;
using vmargin::test::dec;

namespace {

SourceKey key(std::uint8_t n) {
  SourceKey k{};
  k[0] = n;
  return k;
}

OracleRules rules() {
  OracleRules r;
  r.feed = "BTC-USD";
  r.sources = {key(1), key(2), key(3)};
  r.quorum = 2;
  r.max_age_ms = 1000;
  r.max_future_ms = 200;
  r.max_confidence_ratio = dec<Ratio>("0.01");
  r.max_deviation_ratio = dec<Ratio>("0.1");
  r.stable_price_rate = dec<Ratio>("0.05");
  return r;
}

std::string error_of(const Status& s) { return s.ok() ? "ok" : s.error().to_string(); }

}  // namespace

TEST_CASE("oracle rules: sources are looked up by key") {
  const OracleRules r = rules();
  CHECK(r.has_source(key(1)));
  CHECK(r.has_source(key(3)));
  CHECK_FALSE(r.has_source(key(4)));
}

TEST_CASE("oracle rules: the quorum is between 1 and the number of sources") {
  OracleRules r = rules();
  r.quorum = 1;
  CHECK(error_of(check_quorum(r)) == "ok");
  r.quorum = 3;
  CHECK(error_of(check_quorum(r)) == "ok");
  r.quorum = 0;
  CHECK(error_of(check_quorum(r)) ==
        "[vmargin.invalid_value] quorum 0 of BTC-USD must be between 1 and its 3 sources");
  r.quorum = 4;
  CHECK(error_of(check_quorum(r)) ==
        "[vmargin.invalid_value] quorum 4 of BTC-USD must be between 1 and its 3 sources");
}

TEST_CASE("oracle rules: the ratios are not negative, the stable price rate is in [0, 1]") {
  OracleRules r = rules();
  r.max_confidence_ratio = Ratio::zero();
  r.max_deviation_ratio = Ratio::zero();
  r.stable_price_rate = Ratio::zero();
  CHECK(error_of(check_max_confidence_ratio(r)) == "ok");
  CHECK(error_of(check_max_deviation_ratio(r)) == "ok");
  CHECK(error_of(check_stable_price_rate(r)) == "ok");
  r.stable_price_rate = Ratio::from_units(1);
  CHECK(error_of(check_stable_price_rate(r)) == "ok");

  r.max_confidence_ratio = dec<Ratio>("-0.000000000000000001");
  CHECK(error_of(check_max_confidence_ratio(r)) ==
        "[vmargin.invalid_value] maximum confidence ratio of BTC-USD is negative");
  r.max_deviation_ratio = dec<Ratio>("-0.000000000000000001");
  CHECK(error_of(check_max_deviation_ratio(r)) ==
        "[vmargin.invalid_value] maximum deviation ratio of BTC-USD is negative");
  r.stable_price_rate = dec<Ratio>("1.000000000000000001");
  CHECK(error_of(check_stable_price_rate(r)) ==
        "[vmargin.invalid_value] stable price rate 1.000000000000000001 of BTC-USD is outside [0, 1]");
  r.stable_price_rate = dec<Ratio>("-0.000000000000000001");
  CHECK(error_of(check_stable_price_rate(r)) ==
        "[vmargin.invalid_value] stable price rate -0.000000000000000001 of BTC-USD is outside [0, 1]");
}

TEST_CASE("oracle rules: validate locates each rule at its field, in field order") {
  CHECK(error_of(validate(rules())) == "ok");
  OracleRules r = rules();
  r.sources = {};
  CHECK(error_of(validate(r)) == "[vmargin.invalid_value] /sources: the sources of BTC-USD are empty");
  r.sources = {key(2), key(1)};
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /sources: the sources of BTC-USD are not sorted and distinct");
  r.sources = {key(1), key(1)};
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /sources: the sources of BTC-USD are not sorted and distinct");
  r = rules();
  r.quorum = 0;
  r.stable_price_rate = dec<Ratio>("2");
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /quorum: quorum 0 of BTC-USD must be between 1 and its 3 sources");
  r.quorum = 1;
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /stable_price_rate: stable price rate 2 of BTC-USD is outside [0, 1]");
  r = rules();
  r.max_deviation_ratio = dec<Ratio>("-1");
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /max_deviation_ratio: maximum deviation ratio of BTC-USD is negative");
  r.max_confidence_ratio = dec<Ratio>("-1");
  CHECK(error_of(validate(r)) ==
        "[vmargin.invalid_value] /max_confidence_ratio: maximum confidence ratio of BTC-USD is negative");
}
