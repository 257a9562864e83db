#include "vmargin/signing/state_token.hpp"

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/ed25519.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::signing {

namespace {

constexpr std::string_view state_prefix = "vmargin-state/1:";
constexpr std::size_t state_digest_hex = 64;

Error state_error(ErrorCode code, std::string message) { return Error(code, std::move(message), "/state"); }

/// The state document `json`, strictly decoded, must be exactly its
/// canonical form: the bytes the engine writes.
Status check_canonical_state(std::string_view json) {
  if (json.empty()) {
    return state_error(
        ErrorCode::malformed_json,
        "the state is empty; a state document is never empty (to start from nothing, pass no state)");
  }
  VMARGIN_TRY(const AcceptanceState state, decode_acceptance_state(json));
  const std::string canonical = codec::canonical_dump(encode_acceptance_state(state));
  if (canonical != json) {
    std::size_t at = 0;
    while (at < canonical.size() && at < json.size() && canonical[at] == json[at]) ++at;
    return state_error(
        ErrorCode::non_canonical,
        "the state is not in canonical form (keys sorted, no whitespace): it differs from it at "
        "byte " +
            std::to_string(at + 1));
  }
  return Ok{};
}

std::string digest_hex(std::string_view json) { return encode_hex(as_bytes(digest(json))); }

}  // namespace

Result<std::string> seal_state(std::string_view json) {
  if (!json.empty() && json.back() == '\n') json.remove_suffix(1);
  VMARGIN_CHECK(check_canonical_state(json));
  return std::string(state_prefix) + digest_hex(json) + ":" + std::string(json);
}

Result<std::string> unseal_state(std::string_view token) {
  const std::size_t json_at = state_prefix.size() + state_digest_hex + 1;
  if (token.size() < json_at || token.substr(0, state_prefix.size()) != state_prefix ||
      token[json_at - 1] != ':') {
    return state_error(
        ErrorCode::bad_encoding,
        "not an acceptance state returned by this package (a \"vmargin-state/1:...\" token); "
        "a state saved by the CLI is converted first (importState in JS, import_state in Python)");
  }
  const std::string_view json = token.substr(json_at);
  if (token.substr(state_prefix.size(), state_digest_hex) != digest_hex(json)) {
    return state_error(ErrorCode::bad_encoding,
                       "the state's check digest does not match its content: it was modified or cut short "
                       "after the engine wrote it");
  }
  VMARGIN_CHECK(check_canonical_state(json));
  return std::string(json);
}

}  // namespace vmargin::signing
