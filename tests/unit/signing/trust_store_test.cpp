#include "vmargin/signing/trust_store.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::signing;

namespace {
const std::string pk_a = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
}

TEST_CASE("a trust store maps key ids to keys with roles") {
  const Result<TrustStore> t = decode_trust_store(R"({"keys":{"exchange":{"public_key":")" + pk_a +
                                                  R"(","roles":["snapshot","parameters"]},)"
                                                  R"("oracle-a":{"public_key":")" +
                                                  pk_a + R"(","roles":["oracle"]}}})");
  REQUIRE(t.ok());
  const TrustedKey* k = t->find("exchange");
  REQUIRE(k != nullptr);
  CHECK(k->has(Role::parameters));
  CHECK(k->has(Role::snapshot));
  CHECK_FALSE(k->has(Role::oracle));
  CHECK(t->find("oracle-a")->key == k->key);  // two ids, one key
  CHECK(t->find("nobody") == nullptr);
}

TEST_CASE("trust store errors name the bad value") {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"keys":{"x":{"public_key":"abc","roles":["oracle"]}}})",
       "[vmargin.bad_encoding] /trust/keys/x/public_key: expected 64 hex digits (32 bytes), found 3"},
      {R"({"keys":{"x":{"public_key":")" + pk_a + R"(","roles":["admin"]}}})",
       "[vmargin.invalid_value] /trust/keys/x/roles/0: unknown role \"admin\"; expected parameters, oracle, "
       "snapshot or statement"},
      {R"({"keys":{"x":{"public_key":")" + pk_a + R"(","roles":["oracle","oracle"]}}})",
       "[vmargin.duplicate_key] /trust/keys/x/roles/1: role \"oracle\" is listed twice"},
      {R"({"keys":{"x":{"public_key":")" + pk_a + R"(","roles":[]}}})",
       "[vmargin.wrong_type] /trust/keys/x/roles: \"roles\" must be a non-empty array of role names"},
      {R"({"keys":{"x":{"public_key":")" + pk_a + R"(","roles":["oracle"],"expires":1}}})",
       "[vmargin.unknown_field] /trust/keys/x/expires: the field \"expires\" is not part of this format"},
      {R"({"keys":{"":{"public_key":")" + pk_a + R"(","roles":["oracle"]}}})",
       "[vmargin.invalid_value] /trust/keys/: key ids must not be empty"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string shown = text;
    CAPTURE(shown);
    const Result<TrustStore> t = decode_trust_store(text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().to_string() == expected);
  }
}
