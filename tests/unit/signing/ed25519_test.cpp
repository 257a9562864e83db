// Ed25519 through libsodium: the 151 Wycheproof vectors of ../shared/vectors
// (each must give its expected result on every target) and signing checked
// against RFC 8032 TEST 1, which Wycheproof includes as a verify vector.
#include "vmargin/signing/ed25519.hpp"

#include "support/test_support.hpp"
#include "vmargin/codec/strict_json.hpp"
#include "vmargin/signing/encoding.hpp"

using namespace vmargin;
using namespace vmargin::signing;

namespace {

std::string unhex(const std::string& hex) {
  const Result<std::string> r = decode_hex(hex, "/hex");
  REQUIRE_MESSAGE(r.ok(), hex);
  return r.value();
}

template <std::size_t N>
std::array<std::uint8_t, N> array_of(const std::string& bytes) {
  REQUIRE(bytes.size() == N);
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = static_cast<std::uint8_t>(bytes[i]);
  return a;
}

codec::Json wycheproof() {
  const auto path = test::option("vmargin-wycheproof");
  REQUIRE_MESSAGE(path.has_value(), "pass --vmargin-wycheproof=FILE");
  const auto text = test::read_text_file(*path);
  REQUIRE_MESSAGE(text.has_value(), "cannot read " << *path);
  // The file uses JSON numbers for counts only; parse it leniently.
  const codec::Json doc = codec::Json::parse(*text, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

}  // namespace

TEST_CASE("Wycheproof Ed25519: all 151 vectors give their expected result") {
  const codec::Json doc = wycheproof();
  int total = 0, valid = 0, passed = 0;
  for (const codec::Json& group : doc["testGroups"]) {
    const std::string pk = unhex(group["publicKey"]["pk"].get<std::string>());
    for (const codec::Json& t : group["tests"]) {
      ++total;
      const bool expected = t["result"].get<std::string>() == "valid";
      valid += expected ? 1 : 0;
      const std::string msg = unhex(t["msg"].get<std::string>());
      const std::string sig = unhex(t["sig"].get<std::string>());
      const bool got = pk.size() == 32 && verify(array_of<32>(pk), sig, msg);
      CAPTURE(t["tcId"].get<int>());
      CHECK(got == expected);
      passed += got == expected ? 1 : 0;
    }
  }
  MESSAGE(passed << " of " << total << " Wycheproof vectors as expected");
  CHECK(total == 151);
  CHECK(valid == 88);
  CHECK(passed == total);
}

TEST_CASE("signing: RFC 8032 TEST 1 (seed to key, empty message to signature)") {
  // RFC 8032 section 7.1, TEST 1: the secret seed is from the RFC; the public
  // key and the signature must equal the Wycheproof vector that carries them.
  const Seed seed = array_of<32>(unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  const KeyPair pair = keypair_from_seed(seed);
  const codec::Json doc = wycheproof();
  bool found = false;
  for (const codec::Json& group : doc["testGroups"]) {
    if (unhex(group["publicKey"]["pk"].get<std::string>()) != std::string(as_bytes(pair.public_key)))
      continue;
    for (const codec::Json& t : group["tests"]) {
      if (!t["msg"].get<std::string>().empty() || t["result"] != "valid") continue;
      CHECK(encode_hex(as_bytes(sign(pair.secret_key, ""))) == t["sig"].get<std::string>());
      found = true;
    }
  }
  CHECK_MESSAGE(found, "the RFC 8032 TEST 1 key is not among the Wycheproof groups");
}

TEST_CASE("sign and verify round trip; any flipped bit fails") {
  const KeyPair pair = keypair_from_seed(Seed{1, 2, 3});
  const std::string message = "vmargin test message";
  const Signature s = sign(pair.secret_key, message);
  CHECK(verify(pair.public_key, s, message));
  for (std::size_t bit = 0; bit < 8 * s.size(); bit += 7) {
    Signature t = s;
    t[bit / 8] = static_cast<std::uint8_t>(t[bit / 8] ^ (1U << (bit % 8)));
    CHECK_FALSE(verify(pair.public_key, t, message));
  }
  CHECK_FALSE(verify(pair.public_key, s, "vmargin test messagE"));
  CHECK_FALSE(verify(keypair_from_seed(Seed{1, 2, 4}).public_key, s, message));
  CHECK_FALSE(
      verify(pair.public_key, std::string_view(reinterpret_cast<const char*>(s.data()), 63), message));
}

TEST_CASE("BLAKE2b-256 digest: the empty string") {
  // BLAKE2b-256("") from the BLAKE2 reference (RFC 7693 parameters, 32-byte output).
  CHECK(encode_hex(as_bytes(digest(""))) ==
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}
