// Signed envelopes (docs/formats.md §2): the exact payload bytes, the
// signer's key id and an Ed25519 signature over a domain-separation tag that
// names the document type and version, followed by the payload. Verify
// bytes, then parse: nothing reads a payload before its signature checks out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/error.hpp"
#include "vmargin/signing/ed25519.hpp"
#include "vmargin/signing/trust_store.hpp"

namespace vmargin::signing {

enum class DocumentType : std::uint8_t { risk_parameters, oracle_price, snapshot, statement, option_expiry };

/// "risk_parameters/v1", "oracle_price/v1", "snapshot/v1", "statement/v1", "option_expiry/v1".
[[nodiscard]] std::string_view type_name(DocumentType type) noexcept;
[[nodiscard]] std::optional<DocumentType> type_from_name(std::string_view name) noexcept;
/// The role a key needs to sign a document of this type.
[[nodiscard]] Role signer_role(DocumentType type) noexcept;

struct Envelope {
  DocumentType type = DocumentType::risk_parameters;
  std::string key_id;
  std::string payload;  ///< the exact signed bytes
  Signature signature{};
};

/// What is signed: "vmargin\0" + type name + "\0" + payload. The tag keeps a
/// signature for one document type from being replayed as another.
[[nodiscard]] std::string signed_message(DocumentType type, std::string_view payload);

[[nodiscard]] Envelope sign_envelope(DocumentType type, std::string key_id, std::string payload,
                                     const SecretKey& key);

/// {"key_id","payload" (base64),"signature" (hex),"type"} as a JSON value.
[[nodiscard]] codec::Json envelope_json(const Envelope& envelope);
/// The canonical bytes: sorted keys, no whitespace, no trailing newline.
[[nodiscard]] std::string encode_envelope(const Envelope& envelope);

/// An envelope file: strict JSON whose bytes are exactly its canonical
/// encoding (non_canonical otherwise), so any changed byte is a rejection.
/// Errors are located under `path` (e.g. "/params").
[[nodiscard]] Result<Envelope> decode_envelope(std::string_view text, const std::string& path);
/// An envelope embedded in another (signed) document, as a JSON object.
[[nodiscard]] Result<Envelope> decode_envelope_value(const codec::Json& value, const std::string& path);

/// A document whose signature verified against a trusted key with the right
/// role. Only verify_envelope() makes one.
class VerifiedEnvelope {
 public:
  [[nodiscard]] DocumentType type() const noexcept { return type_; }
  [[nodiscard]] const std::string& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const PublicKey& key() const noexcept { return key_; }
  [[nodiscard]] const std::string& payload() const noexcept { return payload_; }

 private:
  friend Result<VerifiedEnvelope> verify_envelope(const Envelope&, DocumentType, const TrustStore&,
                                                  const std::string&);
  VerifiedEnvelope(DocumentType type, std::string key_id, PublicKey key, std::string payload)
      : type_(type), key_id_(std::move(key_id)), key_(key), payload_(std::move(payload)) {}
  DocumentType type_;
  std::string key_id_;
  PublicKey key_;
  std::string payload_;
};

/// Checks, in order: the type is `expected` (wrong_document_type), the key id
/// is in the trust store (unknown_key) with the type's role (wrong_role), and
/// the signature verifies (bad_signature). Errors are located under `path`.
[[nodiscard]] Result<VerifiedEnvelope> verify_envelope(const Envelope& envelope, DocumentType expected,
                                                       const TrustStore& trust, const std::string& path);

}  // namespace vmargin::signing
