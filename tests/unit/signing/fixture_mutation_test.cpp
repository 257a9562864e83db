// Every single-byte substitution, truncation and one-byte extension of every
// signed example document (examples/signed/) is rejected, with an envelope
// error, no crash, and no effect on the next verification of the intact files.
//
// Two depths: with --vmargin-exhaustive (native g++ build), all 255
// substitutions of every byte; otherwise (every target, including wasm)
// eight representative substitutions of every byte. In both, every position
// also goes once through the whole pipeline (verify_inputs).
#include <set>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/signing/signed_inputs.hpp"

using namespace vmargin;
using namespace vmargin::signing;

namespace {

using Fixtures = test::SignedExample;

Fixtures load() { return test::signed_example("vmargin-fixtures"); }

// Errors an altered envelope may produce: all of them say the bytes are not
// a validly signed document of the expected type from a trusted key.
const std::set<ErrorCode> envelope_rejections = {
    ErrorCode::malformed_json,      ErrorCode::non_canonical, ErrorCode::bad_encoding,
    ErrorCode::bad_signature,       ErrorCode::unknown_key,   ErrorCode::wrong_role,
    ErrorCode::wrong_document_type, ErrorCode::invalid_value, ErrorCode::missing_field,
    ErrorCode::unknown_field,       ErrorCode::duplicate_key, ErrorCode::wrong_type,
    ErrorCode::input_too_large};

}  // namespace

TEST_CASE("every byte of every signed example matters") {
  const Fixtures f = load();
  const Result<TrustStore> trust = decode_trust_store(f.trust);
  REQUIRE(trust.ok());
  const AcceptanceState empty;
  const Result<VerifiedInputs> reference = verify_inputs(*trust, empty, f.params, f.snapshot, f.statement);
  REQUIRE_MESSAGE(reference.ok(), reference.error().to_string());
  const std::string expected_state = codec::canonical_dump(encode_acceptance_state(reference->next_state()));

  const bool exhaustive = test::option("vmargin-exhaustive").has_value();
  std::vector<int> substitutions;
  if (exhaustive) {
    for (int b = 0; b < 256; ++b) substitutions.push_back(b);
  } else {
    substitutions = {0x00, '"', '\\', '0', 'A', '{', 0x7f, 0xff};  // plus flips below
  }

  struct Document {
    const char* name;
    const std::string* text;
    DocumentType type;
    std::string path;
  };
  const Document documents[] = {
      {"risk_parameters.signed", &f.params, DocumentType::risk_parameters, "/params"},
      {"snapshot.signed", &f.snapshot, DocumentType::snapshot, "/snapshot"},
      {"statement.signed", &f.statement, DocumentType::statement, "/statement"}};
  std::size_t total = 0, through_pipeline = 0;
  for (const Document& d : documents) {
    const std::string name = d.name;
    CAPTURE(name);
    const std::string& text = *d.text;
    std::size_t tried = 0;
    std::map<std::string, std::size_t> by_code;
    const auto check = [&](const std::string& mutated) {
      ++tried;
      const Result<Envelope> e = decode_envelope(mutated, d.path);
      Error err = e.ok() ? Error(ErrorCode::overflow, "") : e.error();
      if (e.ok()) {
        const Result<VerifiedEnvelope> v = verify_envelope(*e, d.type, *trust, d.path);
        REQUIRE_MESSAGE(!v.ok(), "a mutation of " << d.name << " verified");
        err = v.error();
      }
      CHECK_MESSAGE(envelope_rejections.count(err.code()) == 1, err.to_string());
      ++by_code[std::string(error_code_name(err.code()))];
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto original = static_cast<unsigned char>(text[i]);
      std::set<int> values(substitutions.begin(), substitutions.end());
      if (!exhaustive) {
        values.insert(original ^ 0x01);
        values.insert(original ^ 0x20);
      }
      for (const int b : values) {
        if (b == original) continue;
        std::string m = text;
        m[i] = static_cast<char>(b);
        check(m);
      }
      check(text.substr(0, i));
    }
    for (int b = 0; b < 256; ++b) check(text + static_cast<char>(b));

    // Every position once through the whole pipeline, in its own slot.
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::string m = text;
      m[i] = static_cast<char>(static_cast<unsigned char>(m[i]) ^ 0x01);
      const std::string& p = d.type == DocumentType::risk_parameters ? m : f.params;
      const std::string& s = d.type == DocumentType::snapshot ? m : f.snapshot;
      const std::string& a = d.type == DocumentType::statement ? m : f.statement;
      const Result<VerifiedInputs> r = verify_inputs(*trust, empty, p, s, a);
      REQUIRE_FALSE(r.ok());
      CHECK_MESSAGE(r.error().path().rfind(d.path, 0) == 0, r.error().to_string());
      ++through_pipeline;
    }
    std::string summary;
    for (const auto& [code, n] : by_code) summary += " " + code + "=" + std::to_string(n);
    MESSAGE(name << " (" << text.size() << " bytes): " << tried << " mutations rejected:" << summary);
    total += tried;
  }
  MESSAGE(total << " mutations and " << through_pipeline << " whole-pipeline mutations rejected ("
                << std::string(exhaustive ? "exhaustive" : "representative") << ")");

  // No state change: the intact files verify exactly as before.
  const Result<VerifiedInputs> again = verify_inputs(*trust, empty, f.params, f.snapshot, f.statement);
  REQUIRE(again.ok());
  CHECK(codec::canonical_dump(encode_acceptance_state(again->next_state())) == expected_state);
}
