#include "vmargin/signing/envelope.hpp"

#include "support/test_support.hpp"
#include "vmargin/signing/encoding.hpp"

using namespace vmargin;
using namespace vmargin::signing;

namespace {

const KeyPair exchange = keypair_from_seed(Seed{42});
const KeyPair oracle = keypair_from_seed(Seed{7});

TrustStore trust() {
  return TrustStore({TrustedKey{"exchange", exchange.public_key, {Role::parameters, Role::snapshot}},
                     TrustedKey{"oracle-a", oracle.public_key, {Role::oracle}}});
}

const std::string payload = R"({"risk_parameters":{"version":1}})";

Error rejection(std::string_view text) {
  const Result<Envelope> e = decode_envelope(text, "/params");
  if (!e.ok()) return e.error();
  const Result<VerifiedEnvelope> v = verify_envelope(*e, DocumentType::risk_parameters, trust(), "/params");
  REQUIRE_MESSAGE(!v.ok(), "accepted: " << text);
  return v.error();
}

}  // namespace

TEST_CASE("an envelope round-trips through its canonical bytes and verifies") {
  const Envelope e = sign_envelope(DocumentType::risk_parameters, "exchange", payload, exchange.secret_key);
  const std::string text = encode_envelope(e);
  CHECK(text.starts_with(R"({"key_id":"exchange","payload":")"));
  CHECK(text.ends_with(R"(","type":"risk_parameters/v1"})"));
  const Result<Envelope> back = decode_envelope(text, "/params");
  REQUIRE(back.ok());
  CHECK(back->payload == payload);
  const Result<VerifiedEnvelope> v =
      verify_envelope(*back, DocumentType::risk_parameters, trust(), "/params");
  REQUIRE(v.ok());
  CHECK(v->key_id() == "exchange");
  CHECK(v->payload() == payload);
  CHECK(v->key() == exchange.public_key);
}

TEST_CASE("the signature covers the document type: a signature cannot be replayed as another type") {
  Envelope e = sign_envelope(DocumentType::snapshot, "exchange", payload, exchange.secret_key);
  e.type = DocumentType::risk_parameters;  // relabelled
  const Error err = rejection(encode_envelope(e));
  CHECK(err.code() == ErrorCode::bad_signature);
  CHECK(err.path() == "/params/signature");
}

TEST_CASE("each verification rule, with its error") {
  SUBCASE("wrong document type") {
    const Error err = rejection(
        encode_envelope(sign_envelope(DocumentType::snapshot, "exchange", payload, exchange.secret_key)));
    CHECK(err.code() == ErrorCode::wrong_document_type);
    CHECK(err.to_string() ==
          "[vmargin.wrong_document_type] /params/type: expected a risk_parameters/v1 document, found "
          "snapshot/v1");
  }
  SUBCASE("unknown key") {
    const Error err = rejection(encode_envelope(
        sign_envelope(DocumentType::risk_parameters, "exchange-2", payload, exchange.secret_key)));
    CHECK(err.to_string() ==
          "[vmargin.unknown_key] /params/key_id: key \"exchange-2\" is not in the trust store");
  }
  SUBCASE("wrong role") {
    const Error err = rejection(encode_envelope(
        sign_envelope(DocumentType::risk_parameters, "oracle-a", payload, oracle.secret_key)));
    CHECK(err.to_string() ==
          "[vmargin.wrong_role] /params/key_id: key \"oracle-a\" is trusted, but not for the role parameters "
          "that "
          "signs risk_parameters/v1 documents");
  }
  SUBCASE("a key id signed with another key") {
    const Error err = rejection(encode_envelope(
        sign_envelope(DocumentType::risk_parameters, "exchange", payload, oracle.secret_key)));
    CHECK(err.to_string() ==
          "[vmargin.bad_signature] /params/signature: the signature does not verify against key \"exchange\" "
          "for "
          "these payload bytes");
  }
}

TEST_CASE("only the canonical bytes are an envelope") {
  const std::string text =
      encode_envelope(sign_envelope(DocumentType::risk_parameters, "exchange", payload, exchange.secret_key));
  SUBCASE("a trailing newline") {
    const Error err = rejection(text + "\n");
    CHECK(err.code() == ErrorCode::non_canonical);
    CHECK(
        err.message() ==
        "the envelope is not in canonical form (keys sorted, no whitespace, no trailing newline): it differs "
        "from it at byte " +
            std::to_string(text.size()));
    CHECK(
        err.to_string() ==
        "[vmargin.non_canonical] /params: the envelope is not in canonical form (keys sorted, no whitespace, "
        "no trailing newline): it differs from it at byte 249");
  }
  SUBCASE("whitespace after a colon") {
    std::string spaced = text;
    spaced.insert(spaced.find(':') + 1, " ");
    CHECK(rejection(spaced).code() == ErrorCode::non_canonical);
  }
  SUBCASE("an escaped character that need not be") {
    std::string escaped = text;
    escaped.replace(escaped.find("exchange"), 1, "\\u0065");
    CHECK(rejection(escaped).code() == ErrorCode::non_canonical);
  }
  SUBCASE("a duplicate member") {
    const Error err = rejection(R"({"key_id":"exchange","key_id":"exchange"})");
    CHECK(err.code() == ErrorCode::duplicate_key);
  }
}

TEST_CASE("every single-byte substitution, truncation and extension of an envelope is rejected") {
  const std::string text =
      encode_envelope(sign_envelope(DocumentType::risk_parameters, "exchange", payload, exchange.secret_key));
  REQUIRE(verify_envelope(decode_envelope(text, "/params").value(), DocumentType::risk_parameters, trust(),
                          "/params")
              .ok());
  std::size_t tried = 0;
  std::map<std::string, std::size_t> by_code;
  const auto expect_rejected = [&](const std::string& mutated) {
    ++tried;
    const Error err = rejection(mutated);
    ++by_code[std::string(error_code_name(err.code()))];
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      if (static_cast<char>(b) == text[i]) continue;
      std::string m = text;
      m[i] = static_cast<char>(b);
      expect_rejected(m);
    }
    expect_rejected(text.substr(0, i));
  }
  for (int b = 0; b < 256; ++b) expect_rejected(text + static_cast<char>(b));
  std::string summary;
  for (const auto& [code, n] : by_code) summary += " " + code + "=" + std::to_string(n);
  MESSAGE(tried << " mutations of a " << text.size() << "-byte envelope, all rejected:" << summary);
  CHECK(tried == text.size() * 255 + text.size() + 256);
}
