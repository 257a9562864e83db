#include "vmargin/signing/ed25519.hpp"

#include <sodium.h>

#include <cstdlib>

namespace vmargin::signing {

namespace {

// sodium_init() is idempotent and thread-safe; it fails only when the
// system's randomness is unavailable, which key generation needs and
// verification does not.
bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

KeyPair keypair_from_seed(const Seed& seed) {
  (void)sodium_ready();
  KeyPair k;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret_key.bytes.data(), seed.data());
  return k;
}

KeyPair random_keypair() {
  if (!sodium_ready()) std::abort();  // no randomness: never hand out a weak key
  KeyPair k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.bytes.data());
  return k;
}

Signature sign(const SecretKey& key, std::string_view message) {
  (void)sodium_ready();
  Signature s{};
  crypto_sign_detached(s.data(), nullptr, bytes_of(message), message.size(), key.bytes.data());
  return s;
}

bool verify(const PublicKey& key, const Signature& signature, std::string_view message) {
  (void)sodium_ready();
  return crypto_sign_verify_detached(signature.data(), bytes_of(message), message.size(), key.data()) == 0;
}

bool verify(const PublicKey& key, std::string_view signature, std::string_view message) {
  if (signature.size() != crypto_sign_BYTES) return false;
  Signature s{};
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(signature[i]);
  return verify(key, s, message);
}

Digest digest(std::string_view bytes) {
  (void)sodium_ready();
  Digest d{};
  crypto_generichash(d.data(), d.size(), bytes_of(bytes), bytes.size(), nullptr, 0);
  return d;
}

}  // namespace vmargin::signing
