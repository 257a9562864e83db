#include "vmargin/signing/signed_inputs.hpp"

#include <algorithm>
#include <tuple>

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/market/oracle_quorum.hpp"
#include "vmargin/market/oracle_rules.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/encoding.hpp"

namespace vmargin::signing {

namespace {

using codec::Json;
using codec::ObjectReader;

constexpr std::size_t max_messages = 4096;

// The authentication reasons are signing's; the rules' reasons follow, in
// market::DropReason's order.
constexpr std::string_view authentication_drop_names[] = {"wrong_document_type", "unknown_key", "wrong_role",
                                                          "bad_signature"};
constexpr auto first_rule_drop = static_cast<std::uint8_t>(DropReason::unknown_feed);
static_assert(first_rule_drop == std::size(authentication_drop_names));

template <market::DropReason m, DropReason s>
constexpr bool same_drop = static_cast<std::uint8_t>(m) + first_rule_drop == static_cast<std::uint8_t>(s);
static_assert(same_drop<market::DropReason::unknown_feed, DropReason::unknown_feed> &&
              same_drop<market::DropReason::not_a_source, DropReason::not_a_source> &&
              same_drop<market::DropReason::non_positive_price, DropReason::non_positive_price> &&
              same_drop<market::DropReason::stale, DropReason::stale> &&
              same_drop<market::DropReason::future, DropReason::future> &&
              same_drop<market::DropReason::confidence, DropReason::confidence> &&
              same_drop<market::DropReason::outside_band, DropReason::outside_band> &&
              same_drop<market::DropReason::not_fresher, DropReason::not_fresher> &&
              same_drop<market::DropReason::duplicate_source, DropReason::duplicate_source>);

DropReason from_market(market::DropReason reason) {
  return static_cast<DropReason>(static_cast<std::uint8_t>(reason) + first_rule_drop);
}

Error invalid(std::string message, std::string path) {
  return Error(ErrorCode::invalid_value, std::move(message), std::move(path));
}

// A pure rule's error (without a path) located at the field it checks.
Status at_field(Status status, const std::string& path) {
  return std::move(status).on_error([&](Error& e) { e.at(path); });
}

// Parses a verified payload; errors inside it are located under
// "<document>/payload" (the payload is a JSON document of its own).
Result<Json> parse_payload(const VerifiedEnvelope& e, const std::string& document) {
  Result<Json> doc = codec::parse_strict_json(e.payload());
  if (!doc.ok()) {
    Error err = std::move(doc).error();
    return err.within(document + "/payload");
  }
  return doc;
}

Result<PublicKey> public_key_value(const Json& value, const std::string& path) {
  VMARGIN_TRY(const std::string hex, codec::string_value(value, path, "a public key"));
  VMARGIN_TRY(const std::string bytes, decode_hex(hex, path, 32));
  PublicKey k{};
  std::copy(bytes.begin(), bytes.end(), k.begin());
  return k;
}

// "sources": a non-empty array of distinct public keys, returned sorted.
Result<std::vector<PublicKey>> decode_sources(ObjectReader& r) {
  VMARGIN_TRY(const Json* sources, r.require("sources"));
  if (!sources->is_array() || sources->empty())
    return Error(ErrorCode::wrong_type, "\"sources\" must be a non-empty array of public keys",
                 r.path_of("sources"));
  std::vector<PublicKey> keys;
  for (std::size_t i = 0; i < sources->size(); ++i) {
    const std::string p = r.path_of("sources") + "/" + std::to_string(i);
    VMARGIN_TRY(const PublicKey k, public_key_value((*sources)[i], p));
    if (std::find(keys.begin(), keys.end(), k) != keys.end())
      return Error(ErrorCode::duplicate_key, "source key " + encode_hex(as_bytes(k)) + " is listed twice", p);
    keys.push_back(k);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

Result<market::OptionDataRules> decode_option_data_rules(const std::string& feed, const Json& value,
                                                         const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "option data rules"));
  market::OptionDataRules o;
  o.feed = feed;
  VMARGIN_TRY(o.sources, decode_sources(r));
  VMARGIN_TRY(o.quorum, r.unsigned_integer("quorum"));
  VMARGIN_CHECK(at_field(market::check_quorum(o), r.path_of("quorum")));
  VMARGIN_TRY(o.max_age_ms, r.timestamp("max_age_ms"));
  VMARGIN_TRY(o.max_future_ms, r.timestamp("max_future_ms"));
  VMARGIN_TRY(o.max_confidence, r.decimal<Ratio>("max_confidence"));
  VMARGIN_CHECK(at_field(market::check_max_confidence(o), r.path_of("max_confidence")));
  VMARGIN_CHECK(r.finish());
  return o;
}

Result<OracleRules> decode_oracle_rules(const std::string& feed, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "oracle rules"));
  OracleRules o;
  o.feed = feed;
  VMARGIN_TRY(o.sources, decode_sources(r));
  // Each field's rule (market/oracle_rules.hpp) as soon as it is read.
  VMARGIN_TRY(o.quorum, r.unsigned_integer("quorum"));
  VMARGIN_CHECK(at_field(market::check_quorum(o), r.path_of("quorum")));
  VMARGIN_TRY(o.max_age_ms, r.timestamp("max_age_ms"));
  VMARGIN_TRY(o.max_future_ms, r.timestamp("max_future_ms"));
  VMARGIN_TRY(o.max_confidence_ratio, r.decimal<Ratio>("max_confidence_ratio"));
  VMARGIN_CHECK(at_field(market::check_max_confidence_ratio(o), r.path_of("max_confidence_ratio")));
  VMARGIN_TRY(o.max_deviation_ratio, r.decimal<Ratio>("max_deviation_ratio"));
  VMARGIN_CHECK(at_field(market::check_max_deviation_ratio(o), r.path_of("max_deviation_ratio")));
  VMARGIN_TRY(o.stable_price_rate, r.decimal<Ratio>("stable_price_rate"));
  VMARGIN_CHECK(at_field(market::check_stable_price_rate(o), r.path_of("stable_price_rate")));
  VMARGIN_CHECK(r.finish());
  return o;
}

Result<SignedParameters> decode_signed_parameters(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "the risk parameters document"));
  SignedParameters p;
  VMARGIN_TRY(const Json* risk, r.require("risk_parameters"));
  VMARGIN_TRY(p.risk, codec::decode_risk_parameters(*risk));
  VMARGIN_TRY(p.valid_from_ms, r.timestamp("valid_from"));
  VMARGIN_TRY(p.valid_until_ms, r.timestamp("valid_until"));
  if (p.valid_until_ms <= p.valid_from_ms)
    return invalid("valid_until must be after valid_from", r.path_of("valid_until"));
  VMARGIN_TRY(const Json* oracles, r.require("oracles"));
  VMARGIN_CHECK(codec::expect_object(*oracles, r.path_of("oracles"), "\"oracles\""));
  for (const auto& [feed, value] : oracles->items()) {
    const std::string path = input_path::child(r.path_of("oracles"), feed);
    if (feed.empty()) return invalid("feed ids must not be empty", path);
    VMARGIN_TRY(OracleRules o, decode_oracle_rules(feed, value, path));
    p.oracles.push_back(std::move(o));
  }
  std::sort(p.oracles.begin(), p.oracles.end(),
            [](const OracleRules& a, const OracleRules& b) { return a.feed < b.feed; });
  if (const Json* option_data = r.find("option_data")) {
    VMARGIN_CHECK(codec::expect_object(*option_data, r.path_of("option_data"), "\"option_data\""));
    for (const auto& [feed, value] : option_data->items()) {
      const std::string path = input_path::child(r.path_of("option_data"), feed);
      if (feed.empty()) return invalid("feed ids must not be empty", path);
      VMARGIN_TRY(market::OptionDataRules o, decode_option_data_rules(feed, value, path));
      p.option_data.push_back(std::move(o));
    }
    std::sort(p.option_data.begin(), p.option_data.end(),
              [](const auto& a, const auto& b) { return a.feed < b.feed; });
  }
  VMARGIN_CHECK(r.finish());
  return p;
}

// The payload's fields; the caller sets the bundle index and the source.
Result<market::OracleMessage> decode_oracle_message(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "an oracle message"));
  market::OracleMessage m;
  VMARGIN_TRY(m.feed, r.string("feed"));
  VMARGIN_TRY(m.price, r.decimal<Price>("price"));
  VMARGIN_TRY(m.confidence, r.optional_decimal<Price>("confidence"));
  if (m.confidence && m.confidence->is_negative())
    return invalid("confidence " + to_string(*m.confidence) + " is negative", r.path_of("confidence"));
  VMARGIN_TRY(m.volatility, r.optional_decimal<Ratio>("volatility"));
  if (m.volatility && m.volatility->is_negative())
    return invalid("volatility " + to_string(*m.volatility) + " is negative", r.path_of("volatility"));
  VMARGIN_TRY(m.publish_time_ms, r.timestamp("publish_time"));
  VMARGIN_TRY(m.sequence, r.unsigned_integer("sequence"));
  VMARGIN_CHECK(r.finish());
  return m;
}

// The payload's fields (§5.1); the caller sets the bundle index and the source.
Result<market::OptionMessage> decode_option_message(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "an option expiry message"));
  market::OptionMessage m;
  OptionExpiry& e = m.surface;
  VMARGIN_TRY(e.feed, r.string("feed"));
  VMARGIN_TRY(e.expiry_ms, r.timestamp("expiry"));
  VMARGIN_TRY(e.forward, r.decimal<Price>("forward"));
  VMARGIN_TRY(e.rate, r.decimal<Ratio>("rate"));
  VMARGIN_TRY(const Json* svi, r.require("svi"));
  VMARGIN_TRY(e.svi, codec::decode_svi(*svi, r.path_of("svi")));
  VMARGIN_TRY(e.settlement_price, r.optional_decimal<Price>("settlement_price"));
  VMARGIN_TRY(m.confidence, r.optional_decimal<Ratio>("confidence"));
  if (m.confidence && m.confidence->is_negative())
    return invalid("confidence " + to_string(*m.confidence) + " is negative", r.path_of("confidence"));
  VMARGIN_TRY(m.publish_time_ms, r.timestamp("publish_time"));
  VMARGIN_TRY(m.sequence, r.unsigned_integer("sequence"));
  VMARGIN_CHECK(r.finish());
  return m;
}

struct Snapshot {
  std::string id;
  std::int64_t as_of_ms = 0;
  const Json* messages = nullptr;
  const Json* option_messages = nullptr;                // absent: none
  std::vector<market::PreviousStable> previous_stable;  // sorted by feed
  MarketState totals;  // open interest and total deposits only, attested by the snapshot's signer
};

Status check_message_count(const Json& messages, const std::string& path) {
  if (messages.size() <= max_messages) return Ok{};
  return Error(ErrorCode::input_too_large,
               "the snapshot holds " + std::to_string(messages.size()) + " messages; the limit is " +
                   std::to_string(max_messages),
               path);
}

Result<Snapshot> decode_snapshot(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "the snapshot"));
  Snapshot s;
  VMARGIN_TRY(s.id, r.string("id"));
  VMARGIN_TRY(s.as_of_ms, r.timestamp("as_of"));
  VMARGIN_TRY(s.messages, r.require("messages"));
  if (!s.messages->is_array())
    return Error(ErrorCode::wrong_type, "\"messages\" must be an array of signed oracle messages",
                 r.path_of("messages"));
  VMARGIN_CHECK(check_message_count(*s.messages, r.path_of("messages")));
  if ((s.option_messages = r.find("option_messages")) != nullptr) {
    if (!s.option_messages->is_array())
      return Error(ErrorCode::wrong_type,
                   "\"option_messages\" must be an array of signed option expiry messages",
                   r.path_of("option_messages"));
    VMARGIN_CHECK(check_message_count(*s.option_messages, r.path_of("option_messages")));
  }
  VMARGIN_TRY(const Json* previous, r.require("previous_stable"));
  VMARGIN_CHECK(codec::expect_object(*previous, r.path_of("previous_stable"), "\"previous_stable\""));
  for (const auto& [feed, value] : previous->items()) {
    const std::string path = input_path::child(r.path_of("previous_stable"), feed);
    VMARGIN_TRY(const Price p, ObjectReader::decimal_value<Price>(value, path));
    if (!p.is_positive()) return invalid("previous stable price of " + feed + " is not positive", path);
    s.previous_stable.push_back(market::PreviousStable{feed, p});
  }
  std::sort(s.previous_stable.begin(), s.previous_stable.end(),
            [](const market::PreviousStable& a, const market::PreviousStable& b) { return a.feed < b.feed; });
  VMARGIN_CHECK(codec::decode_market_totals(r, s.totals));
  VMARGIN_CHECK(r.finish());
  VMARGIN_CHECK(validate_market_totals(s.totals, ""));
  return s;
}

Status check_parameters_state(const SignedParameters& p, const Digest& digest, const AcceptanceState& state) {
  if (!state.parameters) return Ok{};
  const std::string path = "/params/payload/risk_parameters/version";
  const std::uint64_t last = state.parameters->version;
  if (p.risk.version < last) {
    return Error(ErrorCode::rollback,
                 "risk parameters version " + std::to_string(p.risk.version) + " is older than version " +
                     std::to_string(last) + ", the last accepted",
                 path);
  }
  if (p.risk.version == last && digest != state.parameters->digest) {
    return Error(ErrorCode::equivocation,
                 "version " + std::to_string(last) + " was accepted before with other bytes (digest " +
                     encode_hex(as_bytes(state.parameters->digest)) + ", now " +
                     encode_hex(as_bytes(digest)) + "): one version, two documents",
                 path);
  }
  return Ok{};
}

// Every feed the risk parameters price something with needs oracle rules:
// otherwise no signed snapshot could ever price it, and the document is
// unusable on the signed path. Markets first, then collateral, in id order
// (the order the codec decodes them in).
Status check_oracle_coverage(const SignedParameters& p) {
  std::vector<std::pair<std::string, std::string>> users;  // (what, feed)
  for (const Market& m : p.risk.markets) users.emplace_back("market " + m.id, m.feed);
  for (const OptionMarket& m : p.risk.option_markets) users.emplace_back("option market " + m.id, m.feed);
  for (const CollateralAsset& a : p.risk.assets) {
    if (a.feed) users.emplace_back("collateral " + a.id, *a.feed);
  }
  for (const auto& [what, feed] : users) {
    if (p.find_oracle(feed) == nullptr) {
      return invalid(what + " is priced by feed " + feed +
                         ", which has no oracle rules: no signed snapshot could price it",
                     "/params/payload/oracles");
    }
  }
  for (const OptionMarket& m : p.risk.option_markets) {
    if (p.find_option_data(m.feed) == nullptr) {
      return invalid("option market " + m.id + " is priced by feed " + m.feed +
                         ", which has no option data rules: no signed snapshot could price it",
                     "/params/payload/option_data");
    }
  }
  return Ok{};
}

std::string ms(std::int64_t v) { return std::to_string(v) + " ms"; }

constexpr std::string_view messages_path = "/snapshot/payload/messages";

// Steps 1-5 of §6.1 for message i: its outcome when authentication drops it;
// otherwise its outcome so far, and the authenticated, decoded `message`.
Result<MessageOutcome> authenticate(const Json& value, std::size_t i, const TrustStore& trust,
                                    std::optional<market::OracleMessage>& message) {
  const std::string path = std::string(messages_path) + "/" + std::to_string(i);
  VMARGIN_TRY(const Envelope e, decode_envelope_value(value, path));
  MessageOutcome out;
  out.index = i;
  out.key_id = e.key_id;
  const auto drop = [&](DropReason reason, std::string detail) {
    out.dropped = reason;
    out.detail = std::move(detail);
    return out;
  };
  if (e.type != DocumentType::oracle_price)
    return drop(DropReason::wrong_document_type, "a " + std::string(type_name(e.type)) + " document");
  const TrustedKey* key = trust.find(e.key_id);
  if (key == nullptr)
    return drop(DropReason::unknown_key, "key \"" + e.key_id + "\" is not in the trust store");
  if (!key->has(Role::oracle))
    return drop(DropReason::wrong_role, "key \"" + e.key_id + "\" is not trusted as an oracle");
  if (!verify(key->key, e.signature, signed_message(e.type, e.payload)))
    return drop(DropReason::bad_signature, "the signature does not verify against key \"" + e.key_id + "\"");
  Result<Json> doc = codec::parse_strict_json(e.payload);
  if (!doc.ok()) {
    Error err = std::move(doc).error();
    return err.within(path + "/payload");
  }
  Result<market::OracleMessage> decoded = decode_oracle_message(*doc);
  if (!decoded.ok()) {
    Error err = std::move(decoded).error();
    return err.within(path + "/payload");
  }
  market::OracleMessage& m = *decoded;
  m.index = i;
  m.source = key->key;
  m.key_id = e.key_id;
  out.feed = m.feed;
  out.price = m.price;
  message = std::move(m);
  return out;
}

// The aggregation of §6.1: every message authenticated in bundle order (an
// envelope or payload error is the error of the snapshot), then the rules
// and the marks (market::aggregate_oracles), merged back in bundle order.
Result<std::vector<FeedOutcome>> aggregate(const Snapshot& snapshot, const SignedParameters& params,
                                           const TrustStore& trust, const AcceptanceState& state,
                                           std::vector<MessageOutcome>& outcomes,
                                           std::vector<AcceptanceState::Source>& accepted) {
  const std::size_t first = outcomes.size();  // outcomes[first + i] is message i's
  std::vector<market::OracleMessage> authenticated;
  for (std::size_t i = 0; i < snapshot.messages->size(); ++i) {
    std::optional<market::OracleMessage> message;
    VMARGIN_TRY(MessageOutcome out, authenticate((*snapshot.messages)[i], i, trust, message));
    outcomes.push_back(std::move(out));
    if (message) authenticated.push_back(std::move(*message));
  }
  const market::AggregationContext context{snapshot.as_of_ms, params.oracles, snapshot.previous_stable,
                                           state.sources, messages_path};
  VMARGIN_TRY(market::Aggregation result, market::aggregate_oracles(context, authenticated));
  for (std::size_t k = 0; k < authenticated.size(); ++k) {
    market::Verdict& verdict = result.verdicts[k];
    if (!verdict.dropped) continue;
    MessageOutcome& out = outcomes[first + authenticated[k].index];
    out.dropped = from_market(*verdict.dropped);
    out.detail = std::move(verdict.detail);
  }
  accepted = std::move(result.accepted);
  return std::move(result.feeds);
}

constexpr std::string_view option_messages_path = "/snapshot/payload/option_messages";

// Steps 1-5 of §6.2 for option message i, as authenticate() for prices.
Result<OptionMessageOutcome> authenticate_option(const Json& value, std::size_t i, const TrustStore& trust,
                                                 std::optional<market::OptionMessage>& message) {
  const std::string path = std::string(option_messages_path) + "/" + std::to_string(i);
  VMARGIN_TRY(const Envelope e, decode_envelope_value(value, path));
  OptionMessageOutcome out;
  out.index = i;
  out.key_id = e.key_id;
  const auto drop = [&](std::string_view reason, std::string detail) {
    out.dropped = reason;
    out.detail = std::move(detail);
    return out;
  };
  if (e.type != DocumentType::option_expiry)
    return drop("wrong_document_type", "a " + std::string(type_name(e.type)) + " document");
  const TrustedKey* key = trust.find(e.key_id);
  if (key == nullptr) return drop("unknown_key", "key \"" + e.key_id + "\" is not in the trust store");
  if (!key->has(Role::oracle))
    return drop("wrong_role", "key \"" + e.key_id + "\" is not trusted as an oracle");
  if (!verify(key->key, e.signature, signed_message(e.type, e.payload)))
    return drop("bad_signature", "the signature does not verify against key \"" + e.key_id + "\"");
  Result<market::OptionMessage> decoded = [&]() -> Result<market::OptionMessage> {
    VMARGIN_TRY(const Json doc, codec::parse_strict_json(e.payload));
    return decode_option_message(doc);
  }();
  if (!decoded.ok()) {
    Error err = std::move(decoded).error();
    return err.within(path + "/payload");
  }
  market::OptionMessage& m = *decoded;
  m.index = i;
  m.source = key->key;
  m.key_id = e.key_id;
  out.feed = m.surface.feed;
  out.expiry_ms = m.surface.expiry_ms;
  message = std::move(m);
  return out;
}

// The (feed, expiry) pairs of the parameters' option markets, sorted, unique.
std::vector<market::ExpiryKey> required_expiries(const RiskParameters& risk) {
  std::vector<market::ExpiryKey> keys;
  for (const OptionMarket& m : risk.option_markets) keys.push_back({m.feed, m.expiry_ms});
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// The option market data of §6.2: authenticated in bundle order, then the
// pure rules (market::aggregate_option_expiries), merged back in bundle order.
Result<market::OptionAggregation> aggregate_options(const Snapshot& snapshot, const SignedParameters& params,
                                                    const TrustStore& trust, const AcceptanceState& state,
                                                    std::vector<OptionMessageOutcome>& outcomes) {
  std::vector<market::OptionMessage> authenticated;
  if (snapshot.option_messages != nullptr) {
    for (std::size_t i = 0; i < snapshot.option_messages->size(); ++i) {
      std::optional<market::OptionMessage> message;
      VMARGIN_TRY(OptionMessageOutcome out,
                  authenticate_option((*snapshot.option_messages)[i], i, trust, message));
      outcomes.push_back(std::move(out));
      if (message) authenticated.push_back(std::move(*message));
    }
  }
  const std::vector<market::ExpiryKey> required = required_expiries(params.risk);
  const market::OptionAggregationContext context{snapshot.as_of_ms, params.option_data, required,
                                                 state.option_sources, option_messages_path};
  VMARGIN_TRY(market::OptionAggregation result, market::aggregate_option_expiries(context, authenticated));
  for (std::size_t k = 0; k < authenticated.size(); ++k) {
    const market::OptionVerdict& verdict = result.verdicts[k];
    if (!verdict.dropped) continue;
    OptionMessageOutcome& out = outcomes[authenticated[k].index];
    out.dropped = market::option_drop_reason_name(*verdict.dropped);
    out.detail = verdict.detail;
  }
  return result;
}

}  // namespace

std::string_view drop_reason_name(DropReason reason) noexcept {
  const auto n = static_cast<std::uint8_t>(reason);
  if (n < first_rule_drop) return authentication_drop_names[n];
  return market::drop_reason_name(static_cast<market::DropReason>(n - first_rule_drop));
}

const OracleRules* SignedParameters::find_oracle(std::string_view feed) const noexcept {
  for (const OracleRules& o : oracles) {
    if (o.feed == feed) return &o;
  }
  return nullptr;
}

const market::OptionDataRules* SignedParameters::find_option_data(std::string_view feed) const noexcept {
  for (const market::OptionDataRules& o : option_data) {
    if (o.feed == feed) return &o;
  }
  return nullptr;
}

const AcceptanceState::Source* AcceptanceState::find(const PublicKey& key,
                                                     std::string_view feed) const noexcept {
  return market::find_source(sources, key, feed);
}

Result<VerifiedParameters> verify_parameters(const TrustStore& trust, const AcceptanceState& state,
                                             std::string_view text) {
  VMARGIN_TRY(const Envelope pe, decode_envelope(text, "/params"));
  VMARGIN_TRY(const VerifiedEnvelope pv,
              verify_envelope(pe, DocumentType::risk_parameters, trust, "/params"));
  VMARGIN_TRY(const Json pdoc, parse_payload(pv, "/params"));
  Result<SignedParameters> decoded = decode_signed_parameters(pdoc);
  if (!decoded.ok()) {
    Error err = std::move(decoded).error();
    return err.within("/params/payload");
  }
  SignedParameters sp = std::move(decoded).value();
  Result<ValidatedParameters> validated = ValidatedParameters::make(sp.risk);
  if (!validated.ok()) {
    Error err = std::move(validated).error();
    return err.within("/params/payload");
  }
  VMARGIN_CHECK(check_oracle_coverage(sp));
  const Digest digest = signing::digest(pv.payload());
  VMARGIN_CHECK(check_parameters_state(sp, digest, state));
  return VerifiedParameters(std::move(validated).value(), std::move(sp), pv.key_id(), digest);
}

Result<VerifiedMarket> verify_snapshot(const TrustStore& trust, const VerifiedParameters& params,
                                       const AcceptanceState& state, std::string_view text) {
  const SignedParameters& sp = params.signed_parameters();
  VMARGIN_TRY(const Envelope se, decode_envelope(text, "/snapshot"));
  VMARGIN_TRY(const VerifiedEnvelope sv, verify_envelope(se, DocumentType::snapshot, trust, "/snapshot"));
  VMARGIN_TRY(const Json sdoc, parse_payload(sv, "/snapshot"));
  Result<Snapshot> decoded = decode_snapshot(sdoc);
  if (!decoded.ok()) {
    Error err = std::move(decoded).error();
    return err.within("/snapshot/payload");
  }
  const Snapshot& snapshot = *decoded;
  if (snapshot.as_of_ms < sp.valid_from_ms || snapshot.as_of_ms >= sp.valid_until_ms) {
    return Error(ErrorCode::parameters_not_valid,
                 "the snapshot's time " + ms(snapshot.as_of_ms) +
                     " is outside the validity of risk parameters " + "version " +
                     std::to_string(sp.risk.version) + ", [" + ms(sp.valid_from_ms) + ", " +
                     ms(sp.valid_until_ms) + ")",
                 "/snapshot/payload/as_of");
  }
  for (const auto& [feed, price] : snapshot.previous_stable) {
    if (sp.find_oracle(feed) == nullptr) {
      return invalid("previous stable price for " + feed + ", a feed without oracle rules",
                     input_path::child("/snapshot/payload/previous_stable", feed));
    }
  }
  VerifiedMarket market;
  VMARGIN_TRY(market.feeds_, aggregate(snapshot, sp, trust, state, market.messages_, market.accepted_));
  market.key_id_ = sv.key_id();
  market.id_ = snapshot.id;
  market.prices_.as_of_ms = snapshot.as_of_ms;
  for (const FeedOutcome& f : market.feeds_)
    market.prices_.feeds.push_back(FeedPrice{f.feed, f.mark, f.stable, f.volatility});
  VMARGIN_TRY(market::OptionAggregation options,
              aggregate_options(snapshot, sp, trust, state, market.option_messages_));
  market.has_option_messages_ = snapshot.option_messages != nullptr;
  market.expiries_ = std::move(options.expiries);
  market.accepted_options_ = std::move(options.accepted);
  for (const ExpiryOutcome& e : market.expiries_) market.prices_.option_expiries.push_back(e.surface);
  market.prices_.open_interest = snapshot.totals.open_interest;
  market.prices_.total_deposits = snapshot.totals.total_deposits;
  return market;
}

Result<VerifiedStatement> verify_statement(const TrustStore& trust, std::string_view text) {
  VMARGIN_TRY(const Envelope ae, decode_envelope(text, "/statement"));
  VMARGIN_TRY(const VerifiedEnvelope av, verify_envelope(ae, DocumentType::statement, trust, "/statement"));
  VMARGIN_TRY(const Json adoc, parse_payload(av, "/statement"));
  VerifiedStatement statement;
  Status decoded = [&]() -> Status {
    VMARGIN_TRY(ObjectReader r, ObjectReader::open(adoc, "", "the account statement"));
    VMARGIN_TRY(statement.id_, r.string("id"));
    VMARGIN_TRY(statement.as_of_ms_, r.timestamp("as_of"));
    VMARGIN_TRY(const Json* a, r.require("account"));
    VMARGIN_TRY(statement.account_, codec::decode_account(*a));
    VMARGIN_CHECK(r.finish());
    return validate(statement.account_);
  }();
  if (!decoded.ok()) {
    Error err = std::move(decoded).error();
    return err.within("/statement/payload");
  }
  statement.key_id_ = av.key_id();
  return statement;
}

Status check_statement_time(const VerifiedStatement& statement, const VerifiedMarket& market) {
  if (statement.as_of_ms() <= market.as_of_ms()) return Ok{};
  return invalid("the statement (" + ms(statement.as_of_ms()) + ") is dated after the snapshot (" +
                     ms(market.as_of_ms()) + ")",
                 "/statement/payload/as_of");
}

AcceptanceState next_state(const AcceptanceState& state, const VerifiedParameters& params,
                           const VerifiedMarket& market) {
  // These parameters, and the freshest message per (source, feed).
  AcceptanceState next = state;
  next.parameters = AcceptanceState::Parameters{params.signed_parameters().risk.version, params.digest()};
  for (const AcceptanceState::Source& s : market.accepted()) {
    auto it = std::find_if(next.sources.begin(), next.sources.end(), [&](const AcceptanceState::Source& x) {
      return x.key == s.key && x.feed == s.feed;
    });
    if (it == next.sources.end()) {
      next.sources.push_back(s);
    } else {
      *it = s;
    }
  }
  std::sort(next.sources.begin(), next.sources.end(),
            [](const auto& a, const auto& b) { return a.key != b.key ? a.key < b.key : a.feed < b.feed; });
  for (const AcceptanceState::OptionSource& s : market.accepted_options()) {
    auto it = std::find_if(next.option_sources.begin(), next.option_sources.end(), [&](const auto& x) {
      return x.key == s.key && x.feed == s.feed && x.expiry_ms == s.expiry_ms;
    });
    if (it == next.option_sources.end()) {
      next.option_sources.push_back(s);
    } else {
      *it = s;
    }
  }
  std::sort(next.option_sources.begin(), next.option_sources.end(), [](const auto& a, const auto& b) {
    return std::tie(a.key, a.feed, a.expiry_ms) < std::tie(b.key, b.feed, b.expiry_ms);
  });
  return next;
}

VerificationSummary summarize(const VerifiedParameters& params, const VerifiedMarket& market,
                              const VerifiedStatement& statement) {
  const SignedParameters& sp = params.signed_parameters();
  VerificationSummary summary;
  summary.parameters_key_id = params.key_id();
  summary.parameters_version = sp.risk.version;
  summary.parameters_digest = params.digest();
  summary.valid_from_ms = sp.valid_from_ms;
  summary.valid_until_ms = sp.valid_until_ms;
  summary.snapshot_key_id = market.key_id();
  summary.snapshot_id = market.id();
  summary.snapshot_as_of_ms = market.as_of_ms();
  summary.statement_key_id = statement.key_id();
  summary.statement_id = statement.id();
  summary.statement_as_of_ms = statement.as_of_ms();
  summary.feeds = market.feeds();
  summary.messages = market.messages();
  summary.has_option_messages = market.has_option_messages();
  summary.option_expiries = market.option_expiries();
  summary.option_messages = market.option_messages();
  return summary;
}

Result<VerifiedInputs> verify_inputs(const TrustStore& trust, const AcceptanceState& state,
                                     std::string_view parameters_text, std::string_view snapshot_text,
                                     std::string_view statement_text) {
  VMARGIN_TRY(VerifiedParameters params, verify_parameters(trust, state, parameters_text));
  VMARGIN_TRY(VerifiedMarket market, verify_snapshot(trust, params, state, snapshot_text));
  VMARGIN_TRY(VerifiedStatement statement, verify_statement(trust, statement_text));
  VMARGIN_CHECK(check_statement_time(statement, market));

  return VerifiedInputs(params.parameters(), params.signed_parameters(), market.prices(), statement.account(),
                        summarize(params, market, statement), next_state(state, params, market));
}

namespace {

// The core locates errors in the plain evaluation input; on the signed path
// the account is inside a statement (or a line under audit) and the prices
// come from the snapshot.
Result<AccountReport> located(Result<AccountReport> report, std::string_view account_root) {
  if (report.ok()) return report;
  Error e = std::move(report).error();
  if (e.path().rfind(input_path::account, 0) == 0) return e.within(account_root);
  if (e.path().rfind(input_path::prices, 0) != 0) return e;
  // The snapshot carries the exchange-wide totals as the prices document
  // does; feed prices come from its messages, so those errors name it whole.
  const std::string_view within_prices = std::string_view(e.path()).substr(input_path::prices.size());
  for (const std::string_view totals : {"/open_interest/", "/total_deposits/"}) {
    if (within_prices.rfind(totals, 0) == 0)
      return Error(e.code(), e.message(), "/snapshot/payload" + std::string(within_prices));
  }
  return Error(e.code(), e.message(), "/snapshot/payload");
}

}  // namespace

Result<AccountReport> evaluate(const VerifiedInputs& inputs, const EvaluationOptions& options) {
  return located(vmargin::evaluate(inputs.parameters(), inputs.prices(), inputs.account(), options),
                 "/statement/payload");
}

Result<AccountReport> evaluate(const VerifiedParameters& params, const VerifiedMarket& market,
                               const Account& account, std::string_view account_root,
                               const EvaluationOptions& options) {
  return located(vmargin::evaluate(params.parameters(), market.prices(), account, options), account_root);
}

}  // namespace vmargin::signing
