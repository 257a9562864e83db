#include "vmargin/signing/trust_store.hpp"

#include <algorithm>

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/encoding.hpp"

namespace vmargin::signing {

namespace {
constexpr std::string_view role_names[] = {"parameters", "oracle", "snapshot", "statement"};
}

std::string_view role_name(Role role) noexcept { return role_names[static_cast<std::size_t>(role)]; }

std::optional<Role> role_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(role_names); ++i) {
    if (role_names[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool TrustedKey::has(Role role) const noexcept {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

TrustStore::TrustStore(std::vector<TrustedKey> keys) : keys_(std::move(keys)) {
  std::sort(keys_.begin(), keys_.end(), [](const TrustedKey& a, const TrustedKey& b) { return a.id < b.id; });
}

const TrustedKey* TrustStore::find(std::string_view id) const noexcept {
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), id,
                                   [](const TrustedKey& k, std::string_view v) { return k.id < v; });
  return it != keys_.end() && it->id == id ? &*it : nullptr;
}

Result<TrustStore> decode_trust_store(std::string_view text) {
  const std::string root = "/trust";
  VMARGIN_TRY(const codec::Json doc, codec::parse_strict_json(text, root));
  VMARGIN_TRY(codec::ObjectReader r, codec::ObjectReader::open(doc, root, "the trust store"));
  VMARGIN_TRY(const codec::Json* keys, r.require("keys"));
  VMARGIN_CHECK(codec::expect_object(*keys, r.path_of("keys"), "\"keys\""));
  std::vector<TrustedKey> out;
  for (const auto& [id, value] : keys->items()) {
    const std::string path = input_path::child(r.path_of("keys"), id);
    if (id.empty()) return Error(ErrorCode::invalid_value, "key ids must not be empty", path);
    VMARGIN_TRY(codec::ObjectReader k, codec::ObjectReader::open(value, path, "a trusted key"));
    TrustedKey key;
    key.id = id;
    VMARGIN_TRY(const std::string hex, k.string("public_key"));
    VMARGIN_TRY(const std::string bytes, decode_hex(hex, k.path_of("public_key"), key.key.size()));
    std::copy(bytes.begin(), bytes.end(), key.key.begin());
    VMARGIN_TRY(const codec::Json* roles, k.require("roles"));
    if (!roles->is_array() || roles->empty()) {
      return Error(ErrorCode::wrong_type, "\"roles\" must be a non-empty array of role names",
                   k.path_of("roles"));
    }
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const std::string role_path = k.path_of("roles") + "/" + std::to_string(i);
      VMARGIN_TRY(const std::string name, codec::string_value((*roles)[i], role_path, "a role"));
      const std::optional<Role> role = role_from_name(name);
      if (!role) {
        return Error(ErrorCode::invalid_value,
                     "unknown role \"" + name + "\"; expected parameters, oracle, snapshot or statement",
                     role_path);
      }
      if (key.has(*role))
        return Error(ErrorCode::duplicate_key, "role \"" + name + "\" is listed twice", role_path);
      key.roles.push_back(*role);
    }
    std::sort(key.roles.begin(), key.roles.end());
    VMARGIN_CHECK(k.finish());
    out.push_back(std::move(key));
  }
  VMARGIN_CHECK(r.finish());
  return TrustStore(std::move(out));
}

}  // namespace vmargin::signing
