#include "vmargin/signing/encoding.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::signing;

TEST_CASE("base64: the RFC 4648 test vectors, both ways") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    const std::string shown = plain;
    CAPTURE(shown);
    CHECK(encode_base64(plain) == encoded);
    const Result<std::string> back = decode_base64(encoded, "/x");
    REQUIRE(back.ok());
    CHECK(back.value() == plain);
  }
}

TEST_CASE("base64: every byte value and length round-trips") {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>((i * 167 + 13) & 0xff));
    const std::string text = encode_base64(bytes);
    const Result<std::string> back = decode_base64(text, "/x");
    REQUIRE(back.ok());
    CHECK(back.value() == bytes);
  }
}

TEST_CASE("base64: only the canonical text is accepted") {
  const std::pair<const char*, const char*> rejected[] = {
      {"Zg=", "base64 text of 3 characters is not a multiple of 4 long"},
      {"Zh==", "base64 text is not canonical: the last character carries bits beyond the data"},
      {"Zm9=", "base64 text is not canonical: the last character carries bits beyond the data"},
      {"Zg==Zg==", "'=' at offset 2 is not a base64 character (padding '=' only ends the text)"},
      {"Zm9v\nAA=", "byte 0x0a at offset 4 is not a base64 character (padding '=' only ends the text)"},
      {"Zm-_", "'-' at offset 2 is not a base64 character (padding '=' only ends the text)"},
      {"Z=g=", "'=' at offset 1 is not a base64 character (padding '=' only ends the text)"},
      {"====", "'=' at offset 0 is not a base64 character (padding '=' only ends the text)"},
  };
  for (const auto& [text, message] : rejected) {
    const std::string shown = text;
    CAPTURE(shown);
    const Result<std::string> r = decode_base64(text, "/params/payload");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::bad_encoding);
    CHECK(r.error().path() == "/params/payload");
    CHECK(r.error().message() == message);
  }
}

TEST_CASE("hex: lowercase only, exact length") {
  CHECK(encode_hex(std::string("\x00\x7f\xff", 3)) == "007fff");
  const Result<std::string> ok = decode_hex("007fff", "/k", 3);
  REQUIRE(ok.ok());
  CHECK(ok.value() == std::string("\x00\x7f\xff", 3));
  const std::pair<const char*, const char*> rejected[] = {
      {"007FFF", "'F' at offset 3 is not a lowercase hex digit"},
      {"007ff", "expected 6 hex digits (3 bytes), found 5"},
      {"007fff00", "expected 6 hex digits (3 bytes), found 8"},
      {"00 7ff", "byte 0x20 at offset 2 is not a lowercase hex digit"},
  };
  for (const auto& [text, message] : rejected) {
    const std::string shown = text;
    CAPTURE(shown);
    const Result<std::string> r = decode_hex(text, "/k", 3);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::bad_encoding);
    CHECK(r.error().message() == message);
  }
  CHECK(decode_hex("abc", "/k").error().message() == "hex text has an odd number of digits");
}
