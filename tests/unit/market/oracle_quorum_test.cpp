// The oracle aggregation of docs/formats.md §6.1 on authenticated messages:
// each rule with a message it keeps and one it drops (boundaries included),
// the quorum, the medians and the stable price. Every expected value is
// worked out by hand in the comments. Core only: this executable links
// vmargin::core and doctest, neither libsodium nor nlohmann/json
// (market_tests_link_core_only checks it).
#include "vmargin/market/oracle_quorum.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::market;
using vmargin::test::dec;
using vmargin::test::ok_value;

namespace {

constexpr std::int64_t as_of = 10'000;

SourceKey key(std::uint8_t n) {
  SourceKey k{};
  k[0] = n;
  return k;
}

OracleRules feed_rules(std::string feed = "BTC-USD") {
  OracleRules r;
  r.feed = std::move(feed);
  r.sources = {key(1), key(2), key(3), key(4)};
  r.quorum = 1;
  r.max_age_ms = 1000;
  r.max_future_ms = 200;
  r.max_confidence_ratio = dec<Ratio>("0.01");
  r.max_deviation_ratio = dec<Ratio>("0.1");
  r.stable_price_rate = dec<Ratio>("0.05");
  return r;
}

// A message from source n ("oracle-<n>"), published at the snapshot's time.
OracleMessage message(std::uint8_t n, const char* price, std::string feed = "BTC-USD") {
  OracleMessage m;
  m.source = key(n);
  m.key_id = "oracle-" + std::to_string(n);
  m.feed = std::move(feed);
  m.price = dec<Price>(price);
  m.publish_time_ms = as_of;
  m.sequence = 1;
  return m;
}

struct Fixture {
  std::vector<OracleRules> rules{feed_rules()};
  std::vector<PreviousStable> stable;
  std::vector<SourceState> history;

  Result<Aggregation> run(std::vector<OracleMessage> messages) const {
    for (std::size_t i = 0; i < messages.size(); ++i) messages[i].index = i;
    const AggregationContext context{as_of, rules, stable, history, "/messages"};
    return aggregate_oracles(context, messages);
  }
  Aggregation ok(std::vector<OracleMessage> messages) const { return ok_value(run(std::move(messages))); }
};

// "used", or "<reason>: <detail>".
std::string fate(const Aggregation& a, std::size_t i) {
  REQUIRE(i < a.verdicts.size());
  const Verdict& v = a.verdicts[i];
  if (!v.dropped) {
    CHECK(v.detail.empty());
    return "used";
  }
  return std::string(drop_reason_name(*v.dropped)) + ": " + v.detail;
}

std::string error_of(const Result<Aggregation>& r) { return r.ok() ? "ok" : r.error().to_string(); }

}  // namespace

TEST_CASE("oracle quorum: drop reasons have their formats.md names") {
  CHECK(drop_reason_name(DropReason::unknown_feed) == "unknown_feed");
  CHECK(drop_reason_name(DropReason::not_a_source) == "not_a_source");
  CHECK(drop_reason_name(DropReason::non_positive_price) == "non_positive_price");
  CHECK(drop_reason_name(DropReason::stale) == "stale");
  CHECK(drop_reason_name(DropReason::future) == "future");
  CHECK(drop_reason_name(DropReason::confidence) == "confidence");
  CHECK(drop_reason_name(DropReason::outside_band) == "outside_band");
  CHECK(drop_reason_name(DropReason::not_fresher) == "not_fresher");
  CHECK(drop_reason_name(DropReason::duplicate_source) == "duplicate_source");
}

TEST_CASE("oracle quorum: unknown feed, not a source, non-positive price") {
  const Fixture f;
  const Aggregation a = f.ok({message(1, "50000"), message(2, "50000", "DOGE-USD"), message(9, "50000"),
                              message(3, "0"), message(4, "-1")});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "unknown_feed: the risk parameters have no oracle rules for DOGE-USD");
  CHECK(fate(a, 2) == "not_a_source: key \"oracle-9\" is not a source of BTC-USD");
  CHECK(fate(a, 3) == "non_positive_price: price 0 is not positive");
  CHECK(fate(a, 4) == "non_positive_price: price -1 is not positive");
}

TEST_CASE("oracle quorum: stale; exactly max_age old is kept, one ms more is dropped") {
  const Fixture f;  // as_of 10000, max_age 1000
  OracleMessage at_limit = message(1, "50000");
  at_limit.publish_time_ms = 9000;
  OracleMessage older = message(2, "50000");
  older.publish_time_ms = 8999;
  const Aggregation a = f.ok({at_limit, older});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "stale: published 1001 ms before the snapshot; the maximum age is 1000 ms");
}

TEST_CASE("oracle quorum: future; exactly max_future ahead is kept, one ms more is dropped") {
  const Fixture f;  // as_of 10000, max_future 200
  OracleMessage at_limit = message(1, "50000");
  at_limit.publish_time_ms = 10'200;
  OracleMessage newer = message(2, "50000");
  newer.publish_time_ms = 10'201;
  const Aggregation a = f.ok({at_limit, newer});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "future: published 201 ms after the snapshot; the maximum skew is 200 ms");
}

TEST_CASE("oracle quorum: confidence; exactly price x ratio is kept, compared exactly") {
  const Fixture f;  // max_confidence_ratio 0.01
  OracleMessage at_limit = message(1, "50000");
  at_limit.confidence = dec<Price>("500");  // 50000 x 0.01 = 500
  OracleMessage wider = message(2, "50000");
  wider.confidence = dec<Price>("500.000000000000000001");
  OracleMessage odd = message(3, "33333");
  odd.confidence = dec<Price>("333.33");  // 33333 x 0.01 = 333.33 exactly
  OracleMessage odd_wider = message(4, "33333");
  odd_wider.confidence = dec<Price>("333.330000000000000001");
  const Aggregation a = f.ok({at_limit, wider, odd, odd_wider});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "confidence: confidence 500.000000000000000001 is more than 0.01 of the price 50000");
  CHECK(fate(a, 2) == "used");
  CHECK(fate(a, 3) == "confidence: confidence 333.330000000000000001 is more than 0.01 of the price 33333");
}

TEST_CASE("oracle quorum: outside the band around the previous stable price, both sides") {
  Fixture f;  // max_deviation_ratio 0.1: [45000, 55000] around 50000
  f.rules[0].stable_price_rate = Ratio::from_units(1);
  f.stable = {PreviousStable{"BTC-USD", dec<Price>("50000")}};
  const Aggregation a =
      f.ok({message(1, "55000"), message(2, "45000"), message(3, "55000.000000000000000001"),
            message(4, "44999.999999999999999999")});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "used");
  CHECK(fate(a, 2) ==
        "outside_band: price 55000.000000000000000001 is more than 0.1 away from the previous stable price "
        "50000");
  CHECK(fate(a, 3) ==
        "outside_band: price 44999.999999999999999999 is more than 0.1 away from the previous stable price "
        "50000");
}

TEST_CASE("oracle quorum: without a previous stable price there is no band") {
  const Fixture f;
  const Aggregation a = f.ok({message(1, "1"), message(2, "1000000")});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "used");
}

TEST_CASE("oracle quorum: not fresher; sequence and publish time must both increase") {
  Fixture f;
  f.history = {SourceState{key(1), "BTC-USD", 5, 9000}, SourceState{key(2), "ETH-USD", 100, 9999}};
  OracleMessage fresher = message(1, "50000");
  fresher.sequence = 6;
  fresher.publish_time_ms = 9001;
  OracleMessage same_sequence = message(1, "50000");
  same_sequence.sequence = 5;
  same_sequence.publish_time_ms = 9500;
  OracleMessage same_time = message(1, "50000");
  same_time.sequence = 7;
  same_time.publish_time_ms = 9000;
  OracleMessage other_feed_history = message(2, "50000");  // key 2's history is for ETH-USD
  other_feed_history.sequence = 1;
  const Aggregation a = f.ok({same_sequence, same_time, fresher, other_feed_history});
  CHECK(fate(a, 0) ==
        "not_fresher: sequence 5 at 9500 ms is not after the last accepted, sequence 5 at 9000 ms");
  CHECK(fate(a, 1) ==
        "not_fresher: sequence 7 at 9000 ms is not after the last accepted, sequence 5 at 9000 ms");
  CHECK(fate(a, 2) == "used");
  CHECK(fate(a, 3) == "used");
}

TEST_CASE("oracle quorum: a source counts once per feed, whatever its key id") {
  Fixture f;
  f.rules.push_back(feed_rules("ETH-USD"));
  OracleMessage stale = message(1, "49000");
  stale.publish_time_ms = 1;
  OracleMessage again = message(1, "51000");
  again.key_id = "oracle-1-alias";
  const Aggregation a = f.ok({stale, message(1, "50000"), again, message(1, "3000", "ETH-USD")});
  CHECK(fate(a, 0) == "stale: published 9999 ms before the snapshot; the maximum age is 1000 ms");
  CHECK(fate(a, 1) == "used");  // a dropped message does not count its source
  CHECK(fate(a, 2) == "duplicate_source: the key of \"oracle-1-alias\" already counted for BTC-USD");
  CHECK(fate(a, 3) == "used");  // the same key for another feed
  REQUIRE(a.feeds.size() == 2);
  CHECK(a.feeds[0].sources_used == 1);
  CHECK(a.feeds[0].mark == dec<Price>("50000"));
}

TEST_CASE("oracle quorum: the first rule that applies is the reason") {
  const Fixture f;
  OracleMessage stale_and_wide = message(2, "50000");
  stale_and_wide.publish_time_ms = 0;
  stale_and_wide.confidence = dec<Price>("10000");
  const Aggregation a = f.ok({message(1, "50000"), message(9, "0"), stale_and_wide});
  CHECK(fate(a, 1) == "not_a_source: key \"oracle-9\" is not a source of BTC-USD");
  CHECK(fate(a, 2) == "stale: published 10000 ms before the snapshot; the maximum age is 1000 ms");
}

TEST_CASE("oracle quorum: met with exactly quorum distinct sources, else quorum_not_met") {
  Fixture f;
  f.rules[0].quorum = 2;
  const Aggregation a = f.ok({message(1, "50000"), message(2, "50100")});
  REQUIRE(a.feeds.size() == 1);
  CHECK(a.feeds[0].feed == "BTC-USD");
  CHECK(a.feeds[0].quorum == 2);
  CHECK(a.feeds[0].sources_used == 2);

  // Two messages, one source: one distinct source.
  const Result<Aggregation> r = f.run({message(1, "50000"), message(1, "50100")});
  CHECK(
      error_of(r) ==
      "[vmargin.quorum_not_met] /messages: feed BTC-USD has 1 distinct trusted source(s) whose messages pass "
      "the rules; its quorum is 2");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == ErrorCode::quorum_not_met);
  CHECK(r.error().path() == "/messages");

  // Every feed with rules needs its quorum, even one no message names; the first in rules order is named.
  f.rules = {feed_rules("BTC-USD"), feed_rules("ETH-USD"), feed_rules("SOL-USD")};
  CHECK(
      error_of(f.run({message(1, "50000")})) ==
      "[vmargin.quorum_not_met] /messages: feed ETH-USD has 0 distinct trusted source(s) whose messages pass "
      "the rules; its quorum is 1");
}

TEST_CASE("oracle quorum: the mark is the median; for an even count the lower middle one") {
  const Fixture f;
  const Aggregation odd = f.ok({message(1, "100"), message(2, "300"), message(3, "200")});
  CHECK(odd.feeds[0].mark == dec<Price>("200"));  // 100 200 300
  const Aggregation even = f.ok({message(1, "100"), message(2, "400"), message(3, "300"), message(4, "200")});
  CHECK(even.feeds[0].mark == dec<Price>("200"));  // 100 [200 300] 400: the lower
  const Aggregation two = f.ok({message(1, "100.5"), message(2, "100.4")});
  CHECK(two.feeds[0].mark == dec<Price>("100.4"));  // never their mean, 100.45
  const Aggregation one = f.ok({message(1, "123.456")});
  CHECK(one.feeds[0].mark == dec<Price>("123.456"));
  CHECK(median(std::vector<Price>{dec<Price>("3"), dec<Price>("1"), dec<Price>("2")}) == dec<Price>("2"));
}

TEST_CASE("oracle quorum: the volatility is the median of the messages that carry one") {
  const Fixture f;
  OracleMessage a = message(1, "100"), b = message(2, "100"), c = message(3, "100"), d = message(4, "100");
  a.volatility = dec<Ratio>("0.9");
  b.volatility = dec<Ratio>("0.5");
  c.volatility = dec<Ratio>("0.7");
  CHECK(f.ok({a, b, c, d}).feeds[0].volatility == dec<Ratio>("0.7"));  // 0.5 0.7 0.9; d has none
  CHECK(f.ok({a, b, d}).feeds[0].volatility == dec<Ratio>("0.5"));     // 0.5 [0.9]: the lower
  CHECK_FALSE(f.ok({d}).feeds[0].volatility.has_value());
  // Only used messages count: a dropped one's volatility is ignored.
  OracleMessage stale = c;
  stale.publish_time_ms = 0;
  CHECK(f.ok({b, stale}).feeds[0].volatility == dec<Ratio>("0.5"));
}

TEST_CASE("oracle quorum: the stable price follows the mark by at most previous x rate") {
  Fixture f;  // previous 50000, rate 0.05: step 2500, stable in [47500, 52500]
  f.stable = {PreviousStable{"BTC-USD", dec<Price>("50000")}};
  const Aggregation up = f.ok({message(1, "53000")});
  CHECK(up.feeds[0].mark == dec<Price>("53000"));
  CHECK(up.feeds[0].stable == dec<Price>("52500"));
  CHECK(up.feeds[0].previous_stable == dec<Price>("50000"));
  CHECK(f.ok({message(1, "47000")}).feeds[0].stable == dec<Price>("47500"));
  CHECK(f.ok({message(1, "51000")}).feeds[0].stable == dec<Price>("51000"));
  CHECK(f.ok({message(1, "52500")}).feeds[0].stable == dec<Price>("52500"));

  f.rules[0].stable_price_rate = Ratio::zero();  // never moves
  CHECK(f.ok({message(1, "53000")}).feeds[0].stable == dec<Price>("50000"));
  f.rules[0].stable_price_rate = Ratio::from_units(1);  // [0, 100000]: follows the mark
  CHECK(f.ok({message(1, "54999")}).feeds[0].stable == dec<Price>("54999"));
  CHECK(f.ok({message(1, "45001")}).feeds[0].stable == dec<Price>("45001"));
}

TEST_CASE("oracle quorum: the stable step rounds down") {
  // 3e-18 x 0.5 = 1.5e-18, down to 1e-18: stable in [2e-18, 4e-18].
  CHECK(ok_value(next_stable_price(dec<Price>("0.000000000000000003"), dec<Price>("1"), dec<Ratio>("0.5"))) ==
        dec<Price>("0.000000000000000004"));
  CHECK(ok_value(next_stable_price(dec<Price>("0.000000000000000003"), dec<Price>("0.000000000000000001"),
                                   dec<Ratio>("0.5"))) == dec<Price>("0.000000000000000002"));
  // 1e-18 x 0.5 = 0.5e-18, down to 0: the stable price cannot move.
  CHECK(ok_value(next_stable_price(dec<Price>("0.000000000000000001"), dec<Price>("7"), dec<Ratio>("0.5"))) ==
        dec<Price>("0.000000000000000001"));
}

TEST_CASE("oracle quorum: without a previous stable price the stable price is the mark") {
  const Fixture f;
  const Aggregation a = f.ok({message(1, "53000")});
  CHECK(a.feeds[0].stable == dec<Price>("53000"));
  CHECK_FALSE(a.feeds[0].previous_stable.has_value());
}

TEST_CASE("oracle quorum: accepted holds each used message's sequence and time, feed by feed") {
  Fixture f;
  f.rules = {feed_rules("BTC-USD"), feed_rules("ETH-USD")};
  OracleMessage eth = message(2, "3000", "ETH-USD");
  eth.sequence = 8;
  OracleMessage btc = message(1, "50000");
  btc.sequence = 3;
  btc.publish_time_ms = 9990;
  OracleMessage stale = message(3, "50000");
  stale.publish_time_ms = 0;
  const Aggregation a = f.ok({eth, stale, btc});
  REQUIRE(a.accepted.size() == 2);  // BTC-USD first (rules order), the stale message not at all
  CHECK(a.accepted[0].key == key(1));
  CHECK(a.accepted[0].feed == "BTC-USD");
  CHECK(a.accepted[0].sequence == 3);
  CHECK(a.accepted[0].publish_time_ms == 9990);
  CHECK(a.accepted[1].key == key(2));
  CHECK(a.accepted[1].feed == "ETH-USD");
  CHECK(a.accepted[1].sequence == 8);
  CHECK(a.accepted[1].publish_time_ms == as_of);
  REQUIRE(a.verdicts.size() == 3);
  CHECK(find_source(a.accepted, key(2), "ETH-USD") == &a.accepted[1]);
  CHECK(find_source(a.accepted, key(2), "BTC-USD") == nullptr);
}
