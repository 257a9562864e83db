// The option market data rules of docs/formats.md §6.2 on authenticated
// messages: each drop reason at its edge, the agreement of k distinct
// sources on one surface, disagreement, ties, replay. Core only (links
// neither libsodium nor nlohmann/json).
#include "vmargin/market/option_data.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::market;
using vmargin::test::dec;
using vmargin::test::ok_value;

namespace {

constexpr std::int64_t as_of = 10'000;
constexpr std::int64_t expiry = 1'000'000;

SourceKey key(std::uint8_t n) {
  SourceKey k{};
  k[0] = n;
  return k;
}

OptionDataRules feed_rules(std::string feed = "BTC-USD") {
  OptionDataRules r;
  r.feed = std::move(feed);
  r.sources = {key(1), key(2), key(3), key(4)};
  r.quorum = 2;
  r.max_age_ms = 1000;
  r.max_future_ms = 200;
  r.max_confidence = dec<Ratio>("0.02");
  return r;
}

OptionMessage message(std::uint8_t n, const char* forward = "61180", std::int64_t at = expiry) {
  OptionMessage m;
  m.source = key(n);
  m.key_id = "oracle-" + std::to_string(n);
  m.surface.feed = "BTC-USD";
  m.surface.expiry_ms = at;
  m.surface.forward = dec<Price>(forward);
  m.surface.rate = dec<Ratio>("0.04");
  m.surface.svi = {dec<Ratio>("0.0318"), dec<Ratio>("0.0457"), dec<Ratio>("-0.22"), dec<Ratio>("0.01"),
                   dec<Ratio>("0.12"),   dec<Price>("61150"),  dec<Ratio>("0.0835")};
  m.publish_time_ms = as_of;
  m.sequence = 7;
  return m;
}

struct Fixture {
  std::vector<OptionDataRules> rules{feed_rules()};
  std::vector<ExpiryKey> required{{"BTC-USD", expiry}};
  std::vector<OptionSourceState> history;

  Result<OptionAggregation> run(std::vector<OptionMessage> messages) const {
    for (std::size_t i = 0; i < messages.size(); ++i) messages[i].index = i;
    const OptionAggregationContext context{as_of, rules, required, history, "/option_messages"};
    return aggregate_option_expiries(context, messages);
  }
  OptionAggregation ok(std::vector<OptionMessage> messages) const {
    return ok_value(run(std::move(messages)));
  }
};

std::string fate(const OptionAggregation& a, std::size_t i) {
  REQUIRE(i < a.verdicts.size());
  const OptionVerdict& v = a.verdicts[i];
  if (!v.dropped) return "used";
  return std::string(option_drop_reason_name(*v.dropped)) + ": " + v.detail;
}

std::string error_of(const Result<OptionAggregation>& r) { return r.ok() ? "ok" : r.error().to_string(); }

}  // namespace

TEST_CASE("option data rules: quorum, confidence, sources") {
  OptionDataRules r = feed_rules();
  CHECK(validate(r).ok());
  r.quorum = 5;
  CHECK(validate(r).error().to_string() ==
        "[vmargin.invalid_value] /quorum: quorum 5 of the option data of BTC-USD must be between 1 and its 4 "
        "sources");
  r.quorum = 0;
  CHECK_FALSE(check_quorum(r).ok());
  r = feed_rules();
  r.max_confidence = dec<Ratio>("-0.000000000000000001");
  CHECK(validate(r).error().path() == "/max_confidence");
  r = feed_rules();
  r.sources = {key(2), key(1)};
  CHECK(validate(r).error().path() == "/sources");
  CHECK(feed_rules().has_source(key(3)));
  CHECK_FALSE(feed_rules().has_source(key(9)));
}

TEST_CASE("option data: k sources agreeing on one surface make it the expiry's data") {
  const Fixture f;
  const OptionAggregation a = f.ok({message(1), message(2)});
  CHECK(fate(a, 0) == "used");
  CHECK(fate(a, 1) == "used");
  REQUIRE(a.expiries.size() == 1);
  CHECK(a.expiries[0].surface.forward == dec<Price>("61180"));
  CHECK(a.expiries[0].sources_used == 2);
  CHECK(a.expiries[0].quorum == 2);
  REQUIRE(a.accepted.size() == 2);
  CHECK(a.accepted[0].expiry_ms == expiry);
  CHECK(a.accepted[1].key == key(2));
}

TEST_CASE("option data: the largest agreeing group wins; the others disagree") {
  const Fixture f;
  const OptionAggregation a = f.ok({message(1, "61000"), message(2), message(3), message(4)});
  CHECK(fate(a, 0) == "disagrees: its surface differs from the one 3 source(s) agree on");
  CHECK(fate(a, 1) == "used");
  CHECK(a.expiries[0].surface.forward == dec<Price>("61180"));
  CHECK(a.expiries[0].sources_used == 3);
  CHECK(a.accepted.size() == 3);  // the disagreeing source's state does not advance
}

TEST_CASE("option data: equal values agree whatever the source; publish time and sequence do not count") {
  const Fixture f;
  OptionMessage b = message(2);
  b.publish_time_ms = as_of - 5;
  b.sequence = 99;
  CHECK(same_surface(message(1), b));
  OptionMessage c = message(3);
  c.confidence = dec<Ratio>("0.01");
  CHECK_FALSE(same_surface(message(1), c));  // absent differs from present
  OptionMessage d = message(4);
  d.surface.svi.rho = dec<Ratio>("-0.220000000000000001");
  CHECK_FALSE(same_surface(message(1), d));
  OptionMessage e = message(4);
  e.surface.settlement_price = dec<Price>("61000");
  CHECK_FALSE(same_surface(message(1), e));
}

TEST_CASE("option data: quorum not met, disagreement and ties are errors") {
  const Fixture f;
  CHECK(
      error_of(f.run({message(1)})) ==
      "[vmargin.quorum_not_met] /option_messages: option expiry BTC-USD at 1000000 ms has 1 distinct trusted "
      "source(s) whose messages pass the rules, at most 1 of them on one surface; its quorum is 2");
  CHECK(
      error_of(f.run({})) ==
      "[vmargin.quorum_not_met] /option_messages: option expiry BTC-USD at 1000000 ms has 0 distinct trusted "
      "source(s) whose messages pass the rules, at most 0 of them on one surface; its quorum is 2");
  CHECK(
      error_of(f.run({message(1), message(2, "61181"), message(3, "61182")})) ==
      "[vmargin.quorum_not_met] /option_messages: option expiry BTC-USD at 1000000 ms has 3 distinct trusted "
      "source(s) whose messages pass the rules, at most 1 of them on one surface; its quorum is 2");
  CHECK(
      error_of(f.run({message(1), message(2), message(3, "61000"), message(4, "61000")})) ==
      "[vmargin.quorum_not_met] /option_messages: option expiry BTC-USD at 1000000 ms: 2 different surfaces "
      "are each published by 2 sources; the quorum of 2 needs one surface with more sources than any other");
}

TEST_CASE("option data: every required expiry needs its quorum, in ascending order") {
  Fixture f;
  f.required = {{"BTC-USD", expiry}, {"BTC-USD", expiry + 1}};
  const Result<OptionAggregation> r = f.run({message(1), message(2)});
  CHECK(error_of(r).find("option expiry BTC-USD at 1000001 ms has 0") != std::string::npos);
  const OptionAggregation a =
      f.ok({message(1), message(2, "62000", expiry + 1), message(2), message(3, "62000", expiry + 1)});
  REQUIRE(a.expiries.size() == 2);
  CHECK(a.expiries[1].surface.forward == dec<Price>("62000"));
}

TEST_CASE("option data: each drop reason, in order") {
  Fixture f;
  f.rules.push_back(feed_rules("ETH-USD"));  // rules, but no option market on ETH-USD
  OptionMessage unknown_feed = message(3);
  unknown_feed.surface.feed = "SOL-USD";
  OptionMessage unknown_expiry = message(3);
  unknown_expiry.surface.feed = "ETH-USD";
  OptionMessage zero_forward = message(3, "0");
  OptionMessage bad_rho = message(3);
  bad_rho.surface.svi.rho = dec<Ratio>("1");
  OptionMessage negative_rate = message(3);
  negative_rate.surface.rate = dec<Ratio>("-0.01");
  OptionMessage zero_settlement = message(3);
  zero_settlement.surface.settlement_price = dec<Price>("0");
  OptionMessage stale = message(3);
  stale.publish_time_ms = as_of - 1001;
  OptionMessage at_age = message(4);
  at_age.publish_time_ms = as_of - 1000;
  OptionMessage future = message(3);
  future.publish_time_ms = as_of + 201;
  OptionMessage wide = message(3);
  wide.confidence = dec<Ratio>("0.020000000000000001");
  const OptionAggregation a =
      f.ok({message(1), message(2), message(9), unknown_feed, unknown_expiry, zero_forward, bad_rho,
            negative_rate, zero_settlement, stale, future, wide, message(1), at_age});
  CHECK(fate(a, 2) == "not_a_source: key \"oracle-9\" is not an option data source of BTC-USD");
  CHECK(fate(a, 3) == "unknown_feed: the risk parameters have no option data rules for SOL-USD");
  CHECK(fate(a, 4) == "unknown_expiry: the risk parameters have no option market on ETH-USD at 1000000 ms");
  CHECK(fate(a, 5) == "invalid_surface: /forward: forward 0 is not positive");
  CHECK(fate(a, 6) == "invalid_surface: /svi/rho: SVI rho must be in (-1, 1)");
  CHECK(fate(a, 7) == "invalid_surface: /rate: rate -0.01 is negative");
  CHECK(fate(a, 8) == "invalid_surface: /settlement_price: settlement price 0 is not positive");
  CHECK(fate(a, 9) == "stale: published 1001 ms before the snapshot; the maximum age is 1000 ms");
  CHECK(fate(a, 10) == "future: published 201 ms after the snapshot; the maximum skew is 200 ms");
  CHECK(fate(a, 11) == "confidence: confidence 0.020000000000000001 is above the maximum 0.02");
  CHECK(fate(a, 12) == "duplicate_source: the key of \"oracle-1\" already counted for BTC-USD at 1000000 ms");
  CHECK(fate(a, 13) == "used");
  CHECK(a.expiries[0].sources_used == 3);
}

TEST_CASE("option data: a replayed or reordered message is not fresher; its stream is (key, feed, expiry)") {
  Fixture f;
  f.history = {{key(1), "BTC-USD", expiry, 7, as_of - 1}, {key(2), "BTC-USD", expiry + 1, 50, as_of + 50}};
  OptionMessage newer = message(1);
  newer.sequence = 8;
  const OptionAggregation a = f.ok({message(1), message(2), message(3), newer});
  CHECK(fate(a, 0) ==
        "not_fresher: sequence 7 at 10000 ms is not after the last accepted, sequence 7 at 9999 ms");
  CHECK(fate(a, 1) == "used");  // key 2's state is for another expiry
  CHECK(fate(a, 3) == "used");
  OptionMessage older_time = message(4);
  older_time.sequence = 100;
  f.history.push_back({key(4), "BTC-USD", expiry, 1, as_of});
  CHECK(fate(f.ok({message(2), message(3), older_time}), 2).rfind("not_fresher", 0) == 0);
}
