// Ed25519 through libsodium (the only signature implementation vmargin uses:
// the same Debian-patched 1.0.18 natively and in wasm), and BLAKE2b digests.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vmargin::signing {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;
using Seed = std::array<std::uint8_t, 32>;
using Digest = std::array<std::uint8_t, 32>;

/// libsodium's 64-byte secret key (seed followed by the public key).
struct SecretKey {
  std::array<std::uint8_t, 64> bytes{};
};

struct KeyPair {
  PublicKey public_key{};
  SecretKey secret_key;
};

/// The key pair of a 32-byte seed (deterministic: fixtures and tests).
[[nodiscard]] KeyPair keypair_from_seed(const Seed& seed);
/// A fresh key pair from the operating system's randomness (CLI keygen).
[[nodiscard]] KeyPair random_keypair();

/// The detached signature of `message` (deterministic, RFC 8032).
[[nodiscard]] Signature sign(const SecretKey& key, std::string_view message);
/// libsodium's crypto_sign_verify_detached: strict (canonical S, no
/// small-order keys or R).
[[nodiscard]] bool verify(const PublicKey& key, const Signature& signature, std::string_view message);
/// The same for a signature of any length (a length other than 64 is invalid).
[[nodiscard]] bool verify(const PublicKey& key, std::string_view signature, std::string_view message);

/// BLAKE2b-256 of `bytes` (crypto_generichash): identifies accepted documents.
[[nodiscard]] Digest digest(std::string_view bytes);

[[nodiscard]] inline std::string_view as_bytes(const auto& array) {
  return {reinterpret_cast<const char*>(array.data()), array.size()};
}

}  // namespace vmargin::signing
