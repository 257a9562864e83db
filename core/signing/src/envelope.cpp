#include "vmargin/signing/envelope.hpp"

#include <algorithm>

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/encoding.hpp"

namespace vmargin::signing {

namespace {

constexpr std::string_view type_names[] = {"risk_parameters/v1", "oracle_price/v1", "snapshot/v1",
                                           "statement/v1", "option_expiry/v1"};

std::string child(const std::string& path, std::string_view key) { return path + "/" + std::string(key); }

}  // namespace

std::string_view type_name(DocumentType type) noexcept { return type_names[static_cast<std::size_t>(type)]; }

std::optional<DocumentType> type_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(type_names); ++i) {
    if (type_names[i] == name) return static_cast<DocumentType>(i);
  }
  return std::nullopt;
}

Role signer_role(DocumentType type) noexcept {
  switch (type) {
    case DocumentType::risk_parameters:
      return Role::parameters;
    case DocumentType::oracle_price:
    case DocumentType::option_expiry:
      return Role::oracle;
    case DocumentType::snapshot:
      return Role::snapshot;
    case DocumentType::statement:
      return Role::statement;
  }
  return Role::parameters;
}

std::string signed_message(DocumentType type, std::string_view payload) {
  std::string m = "vmargin";
  m += '\0';
  m += type_name(type);
  m += '\0';
  m += payload;
  return m;
}

Envelope sign_envelope(DocumentType type, std::string key_id, std::string payload, const SecretKey& key) {
  Envelope e;
  e.type = type;
  e.key_id = std::move(key_id);
  e.signature = sign(key, signed_message(type, payload));
  e.payload = std::move(payload);
  return e;
}

codec::Json envelope_json(const Envelope& envelope) {
  return codec::Json{{"key_id", envelope.key_id},
                     {"payload", encode_base64(envelope.payload)},
                     {"signature", encode_hex(as_bytes(envelope.signature))},
                     {"type", std::string(type_name(envelope.type))}};
}

std::string encode_envelope(const Envelope& envelope) {
  return codec::canonical_dump(envelope_json(envelope));
}

Result<Envelope> decode_envelope_value(const codec::Json& value, const std::string& path) {
  VMARGIN_TRY(codec::ObjectReader r, codec::ObjectReader::open(value, path, "a signed envelope"));
  Envelope e;
  VMARGIN_TRY(e.key_id, r.string("key_id"));
  if (e.key_id.empty()) return Error(ErrorCode::invalid_value, "the key id is empty", r.path_of("key_id"));
  VMARGIN_TRY(const std::string payload, r.string("payload"));
  VMARGIN_TRY(e.payload, decode_base64(payload, r.path_of("payload")));
  VMARGIN_TRY(const std::string signature, r.string("signature"));
  VMARGIN_TRY(const std::string sig, decode_hex(signature, r.path_of("signature"), e.signature.size()));
  std::copy(sig.begin(), sig.end(), e.signature.begin());
  VMARGIN_TRY(const std::string type, r.string("type"));
  const std::optional<DocumentType> t = type_from_name(type);
  if (!t) {
    return Error(ErrorCode::invalid_value,
                 "unknown document type \"" + type +
                     "\"; expected risk_parameters/v1, oracle_price/v1, option_expiry/v1, snapshot/v1 or "
                     "statement/v1",
                 r.path_of("type"));
  }
  e.type = *t;
  VMARGIN_CHECK(r.finish());
  return e;
}

Result<Envelope> decode_envelope(std::string_view text, const std::string& path) {
  VMARGIN_TRY(const codec::Json doc, codec::parse_strict_json(text, path));
  VMARGIN_TRY(Envelope e, decode_envelope_value(doc, path));
  const std::string canonical = encode_envelope(e);
  if (canonical != text) {
    const auto [mine, theirs] = std::mismatch(canonical.begin(), canonical.end(), text.begin(), text.end());
    return Error(ErrorCode::non_canonical,
                 "the envelope is not in canonical form (keys sorted, no whitespace, no trailing newline): "
                 "it differs from it at byte " +
                     std::to_string(mine - canonical.begin()),
                 path);
  }
  return e;
}

Result<VerifiedEnvelope> verify_envelope(const Envelope& envelope, DocumentType expected,
                                         const TrustStore& trust, const std::string& path) {
  if (envelope.type != expected) {
    return Error(ErrorCode::wrong_document_type,
                 "expected a " + std::string(type_name(expected)) + " document, found " +
                     std::string(type_name(envelope.type)),
                 child(path, "type"));
  }
  const TrustedKey* key = trust.find(envelope.key_id);
  if (key == nullptr) {
    return Error(ErrorCode::unknown_key, "key \"" + envelope.key_id + "\" is not in the trust store",
                 child(path, "key_id"));
  }
  const Role role = signer_role(expected);
  if (!key->has(role)) {
    return Error(ErrorCode::wrong_role,
                 "key \"" + envelope.key_id + "\" is trusted, but not for the role " +
                     std::string(role_name(role)) + " that signs " + std::string(type_name(expected)) +
                     " documents",
                 child(path, "key_id"));
  }
  if (!verify(key->key, envelope.signature, signed_message(envelope.type, envelope.payload))) {
    return Error(
        ErrorCode::bad_signature,
        "the signature does not verify against key \"" + envelope.key_id + "\" for these payload bytes",
        child(path, "signature"));
  }
  return VerifiedEnvelope(envelope.type, envelope.key_id, key->key, envelope.payload);
}

}  // namespace vmargin::signing
