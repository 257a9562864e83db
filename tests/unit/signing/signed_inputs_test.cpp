// Every rule of docs/formats.md, each with a passing and a failing case:
// rollback, equivocation, freeze, stale, future, not fresher (and replay),
// unknown key, wrong role, a key counted twice, quorum k-1, non-positive
// price, confidence, band, bad signatures, not a source, statement dates.
#include "vmargin/signing/signed_inputs.hpp"

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/signed_codec.hpp"

using namespace vmargin;
using namespace vmargin::signing;
using codec::Json;

namespace {

KeyPair key(std::uint8_t n) { return keypair_from_seed(Seed{n, 0x5e, 0xed}); }
std::string hex(const PublicKey& k) { return encode_hex(as_bytes(k)); }

constexpr std::int64_t valid_from = 1'000'000, valid_until = 2'000'000, as_of = 1'500'000;

// A small exchange: one market on BTC-USD, three oracle sources (quorum 2),
// previous stable price 60000, and every document signed correctly.
struct World {
  KeyPair governance = key(1), exchange = key(2), a = key(3), b = key(4), c = key(5), d = key(6);
  std::int64_t snapshot_as_of = as_of;
  std::int64_t statement_as_of = as_of;
  Json previous_stable = {{"BTC-USD", "60000"}};
  std::vector<Json> messages;
  AcceptanceState state;
  std::string params_signer = "governance";
  const KeyPair* params_key = &governance;

  World() {
    messages = {message("oracle-a", a, "60000"), message("oracle-b", b, "60100"),
                message("oracle-c", c, "59900")};
  }

  TrustStore trust() const {
    return TrustStore({TrustedKey{"governance", governance.public_key, {Role::parameters}},
                       TrustedKey{"exchange", exchange.public_key, {Role::snapshot, Role::statement}},
                       TrustedKey{"oracle-a", a.public_key, {Role::oracle}},
                       TrustedKey{"oracle-a-backup", a.public_key, {Role::oracle}},  // the same key again
                       TrustedKey{"oracle-b", b.public_key, {Role::oracle}},
                       TrustedKey{"oracle-c", c.public_key, {Role::oracle}},
                       TrustedKey{"oracle-d", d.public_key, {Role::oracle}}});  // trusted, not a BTC source
  }

  static Json message(const std::string& key_id, const KeyPair& k, const std::string& price,
                      std::int64_t publish_time = as_of - 1000, std::uint64_t sequence = 7,
                      std::optional<std::string> confidence = std::nullopt) {
    Json body{{"feed", "BTC-USD"}, {"price", price}, {"publish_time", publish_time}, {"sequence", sequence}};
    if (confidence) body["confidence"] = *confidence;
    return envelope_json(sign_envelope(DocumentType::oracle_price, key_id, body.dump(), k.secret_key));
  }

  std::string params_payload() const {
    const Json risk =
        Json::parse(R"({"version":12,"margin_call_ratio":"1.25","liquidation_buffer_ratio":"0.02",
      "assets":{"USDC":{"feed":null,"initial_weight":"1","maintenance_weight":"1","initial_liability_weight":"1",
        "maintenance_liability_weight":"1","size_factor":"0","volatility_haircut":"0"}},
      "feeds":{},
      "markets":{"BTC-PERP":{"kind":"linear_perpetual","feed":"BTC-USD","settlement_asset":"USDC",
        "tick_size":"0.1","lot_size":"0.001","tiers":[{"max_notional":null,"initial_rate":"0.1",
        "maintenance_rate":"0.05","initial_amount":"0","maintenance_amount":"0"}],
        "size_premium_factor":"0","liquidation_fee_rate":"0.01"}}})");
    const Json oracles = {{"BTC-USD",
                           {{"sources", {hex(a.public_key), hex(b.public_key), hex(c.public_key)}},
                            {"quorum", 2},
                            {"max_age_ms", 10000},
                            {"max_future_ms", 2000},
                            {"max_confidence_ratio", "0.01"},
                            {"max_deviation_ratio", "0.1"},
                            {"stable_price_rate", "0.01"}}}};
    return codec::canonical_dump(Json{{"risk_parameters", risk},
                                      {"valid_from", valid_from},
                                      {"valid_until", valid_until},
                                      {"oracles", oracles}});
  }
  std::string params() const {
    return encode_envelope(sign_envelope(DocumentType::risk_parameters, params_signer, params_payload(),
                                         params_key->secret_key));
  }
  std::string snapshot() const {
    Json m = Json::array();
    for (const Json& x : messages) m.push_back(x);
    const Json body{
        {"id", "snap-1"}, {"as_of", snapshot_as_of}, {"messages", m}, {"previous_stable", previous_stable}};
    return encode_envelope(
        sign_envelope(DocumentType::snapshot, "exchange", body.dump(), exchange.secret_key));
  }
  std::string statement() const {
    const Json body{{"id", "stmt-1"},
                    {"as_of", statement_as_of},
                    {"account",
                     {{"id", "acct-1"},
                      {"collateral", {{"USDC", "10000"}}},
                      {"positions", {{"BTC-PERP", {{"quantity", "1"}, {"entry_price", "59000"}}}}}}}};
    return encode_envelope(
        sign_envelope(DocumentType::statement, "exchange", body.dump(), exchange.secret_key));
  }
  [[nodiscard]] Result<VerifiedInputs> run() const {
    return verify_inputs(trust(), state, params(), snapshot(), statement());
  }
};

const MessageOutcome& outcome(const VerifiedInputs& v, std::size_t i) { return v.summary().messages.at(i); }

void expect_error(const Result<VerifiedInputs>& r, ErrorCode code, const std::string& text) {
  REQUIRE_FALSE(r.ok());
  CHECK(error_code_name(r.error().code()) == error_code_name(code));
  CHECK(r.error().to_string() == text);
}

}  // namespace

TEST_CASE("the signed example verifies: median mark, stable price moved by at most its rate") {
  const World w;
  const Result<VerifiedInputs> r = w.run();
  REQUIRE_MESSAGE(r.ok(), r.error().to_string());
  REQUIRE(r->summary().feeds.size() == 1);
  const FeedOutcome& f = r->summary().feeds[0];
  CHECK(to_string(f.mark) == "60000");  // median of 59900, 60000, 60100
  CHECK(to_string(f.stable) == "60000");
  CHECK(f.sources_used == 3);
  CHECK(r->prices().as_of_ms == as_of);
  CHECK(r->summary().parameters_version == 12);
  const Result<AccountReport> report = evaluate(*r);
  REQUIRE(report.ok());
  CHECK(to_string(report->cross.equity) == "11000");  // 10000 + 1 x (60000 - 59000)
}

TEST_CASE("median: an even count takes the lower middle; the stable price moves at most rate x previous") {
  World w;
  w.messages = {World::message("oracle-a", w.a, "61000"), World::message("oracle-b", w.b, "62000")};
  const Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  CHECK(to_string(r->summary().feeds[0].mark) == "61000");
  CHECK(to_string(r->summary().feeds[0].stable) == "60600");  // 60000 + 0.01 x 60000
}

TEST_CASE("rollback: an older version than the last accepted is refused") {
  World w;
  w.state.parameters = AcceptanceState::Parameters{11, {}};
  CHECK(w.run().ok());  // newer than 11
  w.state.parameters = AcceptanceState::Parameters{13, {}};
  expect_error(
      w.run(), ErrorCode::rollback,
      "[vmargin.rollback] /params/payload/risk_parameters/version: risk parameters version 12 is older than "
      "version 13, the last accepted");
}

TEST_CASE("equivocation: the accepted version again with other bytes is refused") {
  World w;
  const Digest accepted = digest(w.params_payload());
  w.state.parameters = AcceptanceState::Parameters{12, accepted};
  CHECK(w.run().ok());  // the same bytes again
  Digest other = accepted;
  other[0] ^= 1;
  w.state.parameters = AcceptanceState::Parameters{12, other};
  const Result<VerifiedInputs> r = w.run();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == ErrorCode::equivocation);
  CHECK(r.error().path() == "/params/payload/risk_parameters/version");
}

TEST_CASE("freeze: the snapshot's time must lie in [valid_from, valid_until)") {
  World w;
  for (const std::int64_t t : {valid_from, valid_until - 1}) {
    w.snapshot_as_of = w.statement_as_of = t;
    w.messages = {World::message("oracle-a", w.a, "60000", t), World::message("oracle-b", w.b, "60000", t)};
    CHECK_MESSAGE(w.run().ok(), t);
  }
  for (const std::int64_t t : {valid_from - 1, valid_until}) {
    w.snapshot_as_of = w.statement_as_of = t;
    w.messages = {World::message("oracle-a", w.a, "60000", t), World::message("oracle-b", w.b, "60000", t)};
    const Result<VerifiedInputs> r = w.run();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::parameters_not_valid);
    CHECK(r.error().path() == "/snapshot/payload/as_of");
  }
}

TEST_CASE("stale and future messages are dropped at one millisecond past the limit") {
  World w;
  w.messages = {World::message("oracle-a", w.a, "60000", as_of - 10000),  // exactly max age: used
                World::message("oracle-b", w.b, "60000", as_of - 10001),  // stale
                World::message("oracle-c", w.c, "60000", as_of + 2000)};  // exactly max skew: used
  Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  CHECK_FALSE(outcome(*r, 0).dropped);
  CHECK(outcome(*r, 1).dropped == DropReason::stale);
  CHECK(outcome(*r, 1).detail == "published 10001 ms before the snapshot; the maximum age is 10000 ms");
  CHECK_FALSE(outcome(*r, 2).dropped);
  w.messages[2] = World::message("oracle-c", w.c, "60000", as_of + 2001);
  r = w.run();
  REQUIRE_FALSE(r.ok());  // only oracle-a left: quorum 2 not met
  CHECK(r.error().code() == ErrorCode::quorum_not_met);
}

TEST_CASE(
    "freshness: a source's sequence and publish time must both exceed the last accepted; replays fail") {
  World w;
  const Result<VerifiedInputs> first = w.run();
  REQUIRE(first.ok());
  // The very same bundle again, with the state after the first: every
  // message is a replay.
  w.state = first->next_state();
  expect_error(
      w.run(), ErrorCode::quorum_not_met,
      "[vmargin.quorum_not_met] /snapshot/payload/messages: feed BTC-USD has 0 distinct trusted source(s) "
      "whose messages pass the rules; its quorum is 2");
  // Fresher messages pass; an equal publish time does not.
  w.messages = {World::message("oracle-a", w.a, "60000", as_of - 999, 8),
                World::message("oracle-b", w.b, "60000", as_of - 999, 8),
                World::message("oracle-c", w.c, "60000", as_of - 1000, 8)};
  const Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  CHECK_FALSE(outcome(*r, 0).dropped);
  CHECK(outcome(*r, 2).dropped == DropReason::not_fresher);
  CHECK(outcome(*r, 2).detail ==
        "sequence 8 at 1499000 ms is not after the last accepted, sequence 7 at 1499000 ms");
}

TEST_CASE("keys: unknown, wrong role, not a source, and one key under two ids counted once") {
  World w;
  w.messages.push_back(World::message("oracle-z", w.a, "60000"));         // unknown id
  w.messages.push_back(World::message("exchange", w.exchange, "60000"));  // trusted, not an oracle
  w.messages.push_back(World::message("oracle-d", w.d, "60000"));         // an oracle, not a BTC source
  w.messages.push_back(World::message("oracle-a-backup", w.a, "60000"));  // oracle-a's key again
  Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  CHECK(outcome(*r, 3).dropped == DropReason::unknown_key);
  CHECK(outcome(*r, 4).dropped == DropReason::wrong_role);
  CHECK(outcome(*r, 5).dropped == DropReason::not_a_source);
  CHECK(outcome(*r, 6).dropped == DropReason::duplicate_source);
  CHECK(r->summary().feeds[0].sources_used == 3);
  // Two ids of one key do not make a quorum of two.
  w.messages = {World::message("oracle-a", w.a, "60000"), World::message("oracle-a-backup", w.a, "60000")};
  r = w.run();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == ErrorCode::quorum_not_met);
  // Documents: parameters signed by the exchange's key (wrong role), or by an unknown id.
  w = World();
  w.params_signer = "exchange";
  w.params_key = &w.exchange;
  expect_error(
      w.run(), ErrorCode::wrong_role,
      "[vmargin.wrong_role] /params/key_id: key \"exchange\" is trusted, but not for the role parameters "
      "that signs risk_parameters/v1 documents");
  w.params_signer = "governance-2";
  expect_error(w.run(), ErrorCode::unknown_key,
               "[vmargin.unknown_key] /params/key_id: key \"governance-2\" is not in the trust store");
}

TEST_CASE("quorum: k - 1 distinct sources fail, k pass") {
  World w;
  w.messages = {World::message("oracle-a", w.a, "60000"), World::message("oracle-b", w.b, "60000")};
  CHECK(w.run().ok());
  w.messages.pop_back();
  expect_error(
      w.run(), ErrorCode::quorum_not_met,
      "[vmargin.quorum_not_met] /snapshot/payload/messages: feed BTC-USD has 1 distinct trusted source(s) "
      "whose messages pass the rules; its quorum is 2");
}

TEST_CASE("prices: non-positive, confidence and band, each at its exact limit") {
  World w;
  w.messages = {World::message("oracle-a", w.a, "0"), World::message("oracle-b", w.b, "-60000"),
                World::message("oracle-c", w.c, "60000"), World::message("oracle-a-backup", w.a, "60000")};
  Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());  // oracle-a's key counts once its message passes the rules (the backup id's)
  CHECK(outcome(*r, 0).dropped == DropReason::non_positive_price);
  CHECK(outcome(*r, 1).dropped == DropReason::non_positive_price);
  CHECK_FALSE(outcome(*r, 3).dropped);

  // confidence <= 0.01 x price passes; one unit more is dropped.
  w.messages = {World::message("oracle-a", w.a, "60000", as_of - 1000, 7, "600"),
                World::message("oracle-b", w.b, "60000", as_of - 1000, 7, "600.000000000000000001"),
                World::message("oracle-c", w.c, "60000")};
  r = w.run();
  REQUIRE(r.ok());
  CHECK_FALSE(outcome(*r, 0).dropped);
  CHECK(outcome(*r, 1).dropped == DropReason::confidence);

  // |price - 60000| <= 0.1 x 60000 passes; one unit more is dropped.
  w.messages = {World::message("oracle-a", w.a, "66000"), World::message("oracle-b", w.b, "54000"),
                World::message("oracle-c", w.c, "66000.000000000000000001")};
  r = w.run();
  REQUIRE(r.ok());
  CHECK_FALSE(outcome(*r, 0).dropped);
  CHECK_FALSE(outcome(*r, 1).dropped);
  CHECK(outcome(*r, 2).dropped == DropReason::outside_band);
  CHECK(outcome(*r, 2).detail ==
        "price 66000.000000000000000001 is more than 0.1 away from the previous stable price 60000");
}

TEST_CASE("signatures: a changed message is dropped; a changed document is an error") {
  World w;
  Json tampered = w.messages[0];
  tampered["payload"] =
      encode_base64(R"({"feed":"BTC-USD","price":"1","publish_time":1499000,"sequence":7})");
  w.messages[0] = tampered;
  const Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  CHECK(outcome(*r, 0).dropped == DropReason::bad_signature);
  CHECK_FALSE(outcome(*r, 0).price);  // never read

  const World good;
  std::string statement = good.statement();
  const std::size_t at = statement.find("\"signature\":\"") + 13;
  statement[at] = statement[at] == '0' ? '1' : '0';
  const Result<VerifiedInputs> bad =
      verify_inputs(good.trust(), good.state, good.params(), good.snapshot(), statement);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == ErrorCode::bad_signature);
  CHECK(bad.error().path() == "/statement/signature");
  // A document of another type in a slot.
  const Result<VerifiedInputs> swapped =
      verify_inputs(good.trust(), good.state, good.params(), good.statement(), good.statement());
  REQUIRE_FALSE(swapped.ok());
  CHECK(swapped.error().to_string() ==
        "[vmargin.wrong_document_type] /snapshot/type: expected a snapshot/v1 document, found statement/v1");
}

TEST_CASE("the statement may not be dated after the snapshot; payload errors are located in the payload") {
  World w;
  w.statement_as_of = as_of + 1;
  expect_error(
      w.run(), ErrorCode::invalid_value,
      "[vmargin.invalid_value] /statement/payload/as_of: the statement (1500001 ms) is dated after the "
      "snapshot (1500000 ms)");
  w.statement_as_of = as_of;
  w.previous_stable = {{"ETH-USD", "3000"}};
  expect_error(w.run(), ErrorCode::invalid_value,
               "[vmargin.invalid_value] /snapshot/payload/previous_stable/ETH-USD: previous stable price for "
               "ETH-USD, a feed without oracle rules");
}

TEST_CASE("the acceptance state round-trips through JSON") {
  const World w;
  const Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  const std::string text = codec::canonical_dump(encode_acceptance_state(r->next_state()));
  const Result<AcceptanceState> back = decode_acceptance_state(text);
  REQUIRE(back.ok());
  CHECK(codec::canonical_dump(encode_acceptance_state(*back)) == text);
  CHECK(back->sources.size() == 3);
  REQUIRE(back->parameters);
  CHECK(back->parameters->version == 12);
}

TEST_CASE("a NUL byte ends nothing: in the state, in a signed payload") {
  using namespace std::string_literals;
  const World w;
  const Result<VerifiedInputs> r = w.run();
  REQUIRE(r.ok());
  const std::string state = codec::canonical_dump(encode_acceptance_state(r->next_state()));
  CHECK(test::error_of(decode_acceptance_state(state + "\0garbage"s)).to_string() ==
        "[vmargin.malformed_json] /state: not valid JSON: a NUL byte at line 1, column " +
            std::to_string(state.size() + 1) + " (byte " + std::to_string(state.size() + 1) +
            "); NUL is not allowed anywhere in a document");
  // A statement whose signed payload carries bytes after a NUL: the
  // signature is valid, the payload is not.
  const std::string payload =
      R"({"id":"stmt-1","as_of":1500000,"account":{"id":"acct-1","collateral":{},"positions":{}}})";
  const std::string statement = encode_envelope(sign_envelope(
      DocumentType::statement, "exchange", payload + "\0{\"id\":\"other\"}"s, w.exchange.secret_key));
  const Result<VerifiedInputs> v = verify_inputs(w.trust(), w.state, w.params(), w.snapshot(), statement);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().to_string() ==
        "[vmargin.malformed_json] /statement/payload: not valid JSON: a NUL byte at line 1, column " +
            std::to_string(payload.size() + 1) + " (byte " + std::to_string(payload.size() + 1) +
            "); NUL is not allowed anywhere in a document");
}
