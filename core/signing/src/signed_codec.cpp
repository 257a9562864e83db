#include "vmargin/signing/signed_codec.hpp"

#include <algorithm>
#include <tuple>

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/encoding.hpp"

namespace vmargin::signing {

using codec::Json;
using codec::ObjectReader;

namespace {

// An expiry key: a time in ms as a canonical decimal integer (spec §3.2).
Result<std::int64_t> expiry_key(const std::string& key, const std::string& path) {
  const bool canonical = !key.empty() && key.size() <= 18 && (key == "0" || key[0] != '0') &&
                         std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!canonical) {
    return Error(
        ErrorCode::invalid_value,
        "option expiry keys are times in milliseconds, written as canonical decimal integers; found \"" +
            key + "\"",
        path);
  }
  std::int64_t v = 0;
  for (const char c : key) v = v * 10 + (c - '0');
  return v;
}

// {"<key hex>": {"<feed>": {"<expiry>": {"sequence", "publish_time"}}}}.
Status decode_option_sources(const Json& sources, const std::string& path,
                             std::vector<AcceptanceState::OptionSource>& out) {
  VMARGIN_CHECK(codec::expect_object(sources, path, "\"option_sources\""));
  for (const auto& [key_hex, feeds] : sources.items()) {
    const std::string key_path = input_path::child(path, key_hex);
    VMARGIN_TRY(const std::string key_bytes, decode_hex(key_hex, key_path, 32));
    PublicKey key{};
    std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
    VMARGIN_CHECK(codec::expect_object(feeds, key_path, "a source's feeds"));
    for (const auto& [feed, expiries] : feeds.items()) {
      const std::string feed_path = input_path::child(key_path, feed);
      VMARGIN_CHECK(codec::expect_object(expiries, feed_path, "a source's expiries"));
      for (const auto& [expiry, value] : expiries.items()) {
        const std::string at = input_path::child(feed_path, expiry);
        AcceptanceState::OptionSource s;
        s.key = key;
        s.feed = feed;
        VMARGIN_TRY(s.expiry_ms, expiry_key(expiry, at));
        VMARGIN_TRY(ObjectReader fr, ObjectReader::open(value, at, "a source's last option message"));
        VMARGIN_TRY(s.sequence, fr.unsigned_integer("sequence"));
        VMARGIN_TRY(s.publish_time_ms, fr.timestamp("publish_time"));
        VMARGIN_CHECK(fr.finish());
        out.push_back(std::move(s));
      }
    }
  }
  return Ok{};
}

}  // namespace

Result<AcceptanceState> decode_acceptance_state(std::string_view text) {
  AcceptanceState state;
  if (text.empty()) return state;
  const std::string root = "/state";
  VMARGIN_TRY(const Json doc, codec::parse_strict_json(text, root));
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the acceptance state"));
  if (const Json* p = r.find("risk_parameters")) {
    VMARGIN_TRY(ObjectReader pr,
                ObjectReader::open(*p, r.path_of("risk_parameters"), "the accepted parameters"));
    AcceptanceState::Parameters accepted;
    VMARGIN_TRY(accepted.version, pr.unsigned_integer("version"));
    VMARGIN_TRY(const std::string hex, pr.string("digest"));
    VMARGIN_TRY(const std::string bytes, decode_hex(hex, pr.path_of("digest"), accepted.digest.size()));
    std::copy(bytes.begin(), bytes.end(), accepted.digest.begin());
    VMARGIN_CHECK(pr.finish());
    state.parameters = accepted;
  }
  VMARGIN_TRY(const Json* sources, r.require("sources"));
  VMARGIN_CHECK(codec::expect_object(*sources, r.path_of("sources"), "\"sources\""));
  for (const auto& [key_hex, feeds] : sources->items()) {
    const std::string key_path = input_path::child(r.path_of("sources"), key_hex);
    VMARGIN_TRY(const std::string key_bytes, decode_hex(key_hex, key_path, 32));
    PublicKey key{};
    std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
    VMARGIN_CHECK(codec::expect_object(feeds, key_path, "a source's feeds"));
    for (const auto& [feed, value] : feeds.items()) {
      VMARGIN_TRY(ObjectReader fr,
                  ObjectReader::open(value, input_path::child(key_path, feed), "a source's last message"));
      AcceptanceState::Source s;
      s.key = key;
      s.feed = feed;
      VMARGIN_TRY(s.sequence, fr.unsigned_integer("sequence"));
      VMARGIN_TRY(s.publish_time_ms, fr.timestamp("publish_time"));
      VMARGIN_CHECK(fr.finish());
      state.sources.push_back(std::move(s));
    }
  }
  if (const Json* options = r.find("option_sources")) {
    VMARGIN_CHECK(decode_option_sources(*options, r.path_of("option_sources"), state.option_sources));
  }
  VMARGIN_CHECK(r.finish());
  std::sort(state.sources.begin(), state.sources.end(),
            [](const auto& a, const auto& b) { return a.key != b.key ? a.key < b.key : a.feed < b.feed; });
  std::sort(state.option_sources.begin(), state.option_sources.end(), [](const auto& a, const auto& b) {
    return std::tie(a.key, a.feed, a.expiry_ms) < std::tie(b.key, b.feed, b.expiry_ms);
  });
  return state;
}

Json encode_acceptance_state(const AcceptanceState& state) {
  Json out = Json::object();
  if (state.parameters) {
    out["risk_parameters"] = {{"version", state.parameters->version},
                              {"digest", encode_hex(as_bytes(state.parameters->digest))}};
  }
  Json sources = Json::object();
  for (const AcceptanceState::Source& s : state.sources) {
    sources[encode_hex(as_bytes(s.key))][s.feed] = {{"sequence", s.sequence},
                                                    {"publish_time", s.publish_time_ms}};
  }
  out["sources"] = std::move(sources);
  // Only when there is one: states without option data keep their bytes.
  if (!state.option_sources.empty()) {
    Json options = Json::object();
    for (const AcceptanceState::OptionSource& s : state.option_sources) {
      options[encode_hex(as_bytes(s.key))][s.feed][std::to_string(s.expiry_ms)] = {
          {"sequence", s.sequence}, {"publish_time", s.publish_time_ms}};
    }
    out["option_sources"] = std::move(options);
  }
  return out;
}

namespace {

Json encode_option_expiries(const std::vector<ExpiryOutcome>& expiries) {
  Json out = Json::object();
  for (const ExpiryOutcome& e : expiries) {
    const OptionExpiry& s = e.surface;
    out[s.feed][std::to_string(s.expiry_ms)] = {
        {"forward", to_string(s.forward)},
        {"rate", to_string(s.rate)},
        {"settlement_price", s.settlement_price ? Json(to_string(*s.settlement_price)) : Json(nullptr)},
        {"quorum", e.quorum},
        {"sources_used", e.sources_used}};
  }
  return out;
}

Json encode_option_messages(const std::vector<OptionMessageOutcome>& messages) {
  Json out = Json::array();
  for (const OptionMessageOutcome& m : messages) {
    out.push_back({{"index", m.index},
                   {"key_id", m.key_id},
                   {"feed", m.feed.empty() ? Json(nullptr) : Json(m.feed)},
                   {"expiry", m.expiry_ms ? Json(*m.expiry_ms) : Json(nullptr)},
                   {"status", m.dropped ? "dropped" : "used"},
                   {"reason", m.dropped ? Json(std::string(*m.dropped)) : Json(nullptr)},
                   {"detail", m.dropped ? Json(m.detail) : Json(nullptr)}});
  }
  return out;
}

}  // namespace

Json encode_verification(const VerificationSummary& s) {
  const auto decimal_or_null = [](const auto& v) { return v ? Json(to_string(*v)) : Json(nullptr); };
  Json feeds = Json::object();
  for (const FeedOutcome& f : s.feeds) {
    feeds[f.feed] = {{"mark", to_string(f.mark)},
                     {"stable", to_string(f.stable)},
                     {"previous_stable", decimal_or_null(f.previous_stable)},
                     {"volatility", decimal_or_null(f.volatility)},
                     {"quorum", f.quorum},
                     {"sources_used", f.sources_used}};
  }
  Json messages = Json::array();
  for (const MessageOutcome& m : s.messages) {
    messages.push_back(
        {{"index", m.index},
         {"key_id", m.key_id},
         {"feed", m.feed.empty() ? Json(nullptr) : Json(m.feed)},
         {"price", decimal_or_null(m.price)},
         {"status", m.dropped ? "dropped" : "used"},
         {"reason", m.dropped ? Json(std::string(drop_reason_name(*m.dropped))) : Json(nullptr)},
         {"detail", m.dropped ? Json(m.detail) : Json(nullptr)}});
  }
  Json out{
      {"risk_parameters",
       {{"key_id", s.parameters_key_id},
        {"version", s.parameters_version},
        {"digest", encode_hex(as_bytes(s.parameters_digest))},
        {"valid_from", s.valid_from_ms},
        {"valid_until", s.valid_until_ms}}},
      {"snapshot", {{"key_id", s.snapshot_key_id}, {"id", s.snapshot_id}, {"as_of", s.snapshot_as_of_ms}}},
      {"statement",
       {{"key_id", s.statement_key_id}, {"id", s.statement_id}, {"as_of", s.statement_as_of_ms}}},
      {"feeds", std::move(feeds)},
      {"messages", std::move(messages)}};
  if (s.has_option_messages) {
    out["option_expiries"] = encode_option_expiries(s.option_expiries);
    out["option_messages"] = encode_option_messages(s.option_messages);
  }
  return out;
}

namespace {

std::string evaluation_output(const AccountReport& report, const RiskParameters& params,
                              const VerificationSummary& summary, const AcceptanceState& next) {
  // Canonical: the members in key order, the report written directly.
  return "{\"report\":" + codec::report_text(report, params) +
         ",\"state\":" + codec::canonical_dump(encode_acceptance_state(next)) +
         ",\"verification\":" + codec::canonical_dump(encode_verification(summary)) + "}";
}

}  // namespace

Result<SignedSession> SignedSession::open(std::string_view trust_text, std::string_view state_text,
                                          std::string_view parameters, std::string_view statement) {
  VMARGIN_TRY(TrustStore trust, decode_trust_store(trust_text));
  VMARGIN_TRY(AcceptanceState state, decode_acceptance_state(state_text));
  VMARGIN_TRY(VerifiedParameters params, verify_parameters(trust, state, parameters));
  VMARGIN_TRY(VerifiedStatement verified, verify_statement(trust, statement));
  return SignedSession(std::move(trust), std::move(state), std::move(params), std::move(verified));
}

Result<std::string> SignedSession::tick(std::string_view snapshot) {
  VMARGIN_TRY(const VerifiedMarket market, verify_snapshot(trust_, params_, state_, snapshot));
  VMARGIN_CHECK(check_statement_time(statement_, market));
  VMARGIN_TRY(const AccountReport report,
              evaluate(params_, market, statement_.account(), "/statement/payload"));
  AcceptanceState next = next_state(state_, params_, market);
  std::string out =
      evaluation_output(report, params_.parameters().get(), summarize(params_, market, statement_), next);
  state_ = std::move(next);
  return out;
}

std::string SignedSession::description() const {
  const SignedParameters& sp = params_.signed_parameters();
  return codec::canonical_dump(
      Json{{"risk_parameters",
            {{"key_id", params_.key_id()},
             {"version", sp.risk.version},
             {"digest", encode_hex(as_bytes(params_.digest()))},
             {"valid_from", sp.valid_from_ms},
             {"valid_until", sp.valid_until_ms}}},
           {"statement",
            {{"key_id", statement_.key_id()}, {"id", statement_.id()}, {"as_of", statement_.as_of_ms()}}},
           {"state", encode_acceptance_state(state_)}});
}

Result<SignedEvaluation> verify_and_evaluate(std::string_view trust_text, std::string_view state_text,
                                             std::string_view parameters, std::string_view snapshot,
                                             std::string_view statement) {
  VMARGIN_TRY(const TrustStore trust, decode_trust_store(trust_text));
  VMARGIN_TRY(const AcceptanceState state, decode_acceptance_state(state_text));
  VMARGIN_TRY(VerifiedInputs inputs, verify_inputs(trust, state, parameters, snapshot, statement));
  VMARGIN_TRY(AccountReport report, evaluate(inputs));
  return SignedEvaluation{std::move(inputs), std::move(report)};
}

std::string evaluation_text(const SignedEvaluation& e) {
  return evaluation_output(e.report, e.inputs.parameters().get(), e.inputs.summary(), e.inputs.next_state());
}

Result<std::string> verify_and_evaluate_json(std::string_view trust_text, std::string_view state_text,
                                             std::string_view parameters, std::string_view snapshot,
                                             std::string_view statement) {
  VMARGIN_TRY(const SignedEvaluation e,
              verify_and_evaluate(trust_text, state_text, parameters, snapshot, statement));
  return evaluation_text(e);
}

}  // namespace vmargin::signing
