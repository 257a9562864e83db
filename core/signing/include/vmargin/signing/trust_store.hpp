// The trust store (docs/formats.md §3): key ids to Ed25519 public keys with
// roles. It is the verifier's own root of trust, supplied locally, unsigned.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/signing/ed25519.hpp"

namespace vmargin::signing {

enum class Role : std::uint8_t {
  parameters,  ///< signs risk parameters
  oracle,      ///< an oracle source: signs price messages
  snapshot,    ///< the exchange: signs snapshot bundles
  statement,   ///< the exchange: signs account statements
};

[[nodiscard]] std::string_view role_name(Role role) noexcept;
[[nodiscard]] std::optional<Role> role_from_name(std::string_view name) noexcept;

struct TrustedKey {
  std::string id;
  PublicKey key{};
  std::vector<Role> roles;  ///< sorted, unique
  [[nodiscard]] bool has(Role role) const noexcept;
};

class TrustStore {
 public:
  TrustStore() = default;
  /// Keys sorted by id; ids unique (several ids may name one key: it still
  /// counts once wherever distinct sources are counted).
  explicit TrustStore(std::vector<TrustedKey> keys);
  [[nodiscard]] const TrustedKey* find(std::string_view id) const noexcept;
  [[nodiscard]] const std::vector<TrustedKey>& keys() const noexcept { return keys_; }

 private:
  std::vector<TrustedKey> keys_;
};

/// {"keys": {<id>: {"public_key": <64 hex digits>, "roles": [<role>, ...]}}};
/// errors under /trust.
[[nodiscard]] Result<TrustStore> decode_trust_store(std::string_view text);

}  // namespace vmargin::signing
