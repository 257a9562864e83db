// The strict JSON layer: everything nlohmann/json 3.11.2 accepts silently
// that a money document must not (duplicate keys, BOM, floats, oversize
// integers), limits, and the JSON pointer of every error.
#include "vmargin/codec/strict_json.hpp"

#include <string>

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::codec::JsonLimits;
using vmargin::codec::parse_strict_json;
using vmargin::test::error_of;
using vmargin::test::ok_value;

TEST_CASE("valid documents parse to the same values nlohmann would give") {
  const auto doc = ok_value(parse_strict_json(R"({"a": [1, -2, "x", null, true, {"b": {}}], "c": "é"})"));
  CHECK(doc["a"][0] == 1);
  CHECK(doc["a"][1] == -2);
  CHECK(doc["a"][2] == "x");
  CHECK(doc["a"][3].is_null());
  CHECK(doc["a"][5]["b"].is_object());
  CHECK(doc["c"] == "é");
  CHECK(ok_value(parse_strict_json("  [] \n")).is_array());
  CHECK(ok_value(parse_strict_json("18446744073709551615")) == UINT64_MAX);
  CHECK(ok_value(parse_strict_json("-9223372036854775808")) == INT64_MIN);
}

TEST_CASE("rejections, each with its code, path and message") {
  struct Case {
    std::string text;
    ErrorCode code;
    std::string path;
    std::string message;
  };
  const Case cases[] = {
      {R"({"a": 1, "a": 2})", ErrorCode::duplicate_key, "/x/a", "the key \"a\" appears twice in one object"},
      {R"({"p": {"q": [0, {"k": 1, "k": 1}]}})", ErrorCode::duplicate_key, "/x/p/q/1/k",
       "the key \"k\" appears twice in one object"},
      {"\xEF\xBB\xBF{}", ErrorCode::malformed_json, "/x",
       "the document starts with a UTF-8 byte-order mark, which is not allowed"},
      {R"({"q": 1.5})", ErrorCode::wrong_type, "/x/q",
       "found the JSON number 1.5; vmargin formats carry amounts as decimal strings (\"1.5\") and counts as "
       "integers"},
      {R"({"q": [1e3]})", ErrorCode::wrong_type, "/x/q/0",
       "found the JSON number 1e3; vmargin formats carry amounts as decimal strings (\"1e3\") and counts as "
       "integers"},
      {R"({"v": 18446744073709551616})", ErrorCode::wrong_type, "/x/v",
       "the integer 18446744073709551616 does not fit 64 bits"},
      {R"({"v": -9223372036854775809})", ErrorCode::wrong_type, "/x/v",
       "the integer -9223372036854775809 does not fit 64 bits"},
      {R"({"a": 1} x)", ErrorCode::malformed_json, "/x",
       "not valid JSON: parse error at line 1, column 10: syntax error while parsing value - invalid "
       "literal; "
       "last read: '1} x'; expected end of input"},
      {R"({"a": 1)", ErrorCode::malformed_json, "/x",
       "not valid JSON: parse error at line 1, column 8: syntax error while parsing object - unexpected end "
       "of input; expected '}'"},
      {"", ErrorCode::malformed_json, "/x",
       "not valid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end "
       "of "
       "input; expected '[', '{', or a literal"},
      {"{\"a\": \"\xC3\x28\"}", ErrorCode::malformed_json, "/x",
       "not valid JSON: parse error at line 1, column 9: syntax error while parsing value - invalid string: "
       "ill-formed UTF-8 byte; last read: '\"\xC3\x28'"},
      {R"({'a': 1})", ErrorCode::malformed_json, "/x",
       "not valid JSON: parse error at line 1, column 2: syntax error while parsing object key - invalid "
       "literal; last read: '{''; expected string literal"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const Error e = error_of(parse_strict_json(c.text, "/x"));
    CHECK(e.code() == c.code);
    CHECK(e.path() == c.path);
    CHECK(e.message() == c.message);
  }
}

TEST_CASE("limits are checked before and during parsing") {
  JsonLimits limits;
  limits.max_bytes = 10;
  CHECK(error_of(parse_strict_json(R"({"a": "0123456789"})", "", limits)).to_string() ==
        "[vmargin.input_too_large] the document has 19 bytes; the limit is 10");
  limits = JsonLimits{};
  limits.max_depth = 3;
  CHECK(parse_strict_json("[[[1]]]", "", limits).ok());
  CHECK(error_of(parse_strict_json(R"({"a": [[{"b": 1}]]})", "", limits)).to_string() ==
        "[vmargin.input_too_large] /a/0/0: nesting is deeper than the limit of 3");
  // The default depth stops a hostile document long before the stack could.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(error_of(parse_strict_json(deep)).code() == ErrorCode::input_too_large);
}

TEST_CASE("a NUL byte anywhere is an error with its position, never the end of the document") {
  // nlohmann's lexer takes a NUL for the end of the input: "{...}\0garbage"
  // used to parse as "{...}" (issue 18, defect 7).
  using namespace std::string_literals;
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"{\"a\": 1}\0garbage"s,
       "not valid JSON: a NUL byte at line 1, column 9 (byte 9); NUL is not allowed anywhere in a document"},
      {"{\"a\": 1}\0"s,
       "not valid JSON: a NUL byte at line 1, column 9 (byte 9); NUL is not allowed anywhere in a document"},
      {"\0{}"s,
       "not valid JSON: a NUL byte at line 1, column 1 (byte 1); NUL is not allowed anywhere in a document"},
      {"{\n  \"a\": \"x\0y\"\n}"s,
       "not valid JSON: a NUL byte at line 2, column 10 (byte 12); NUL is not allowed anywhere in a "
       "document"},
      {"[1,\n2\0]"s,
       "not valid JSON: a NUL byte at line 2, column 2 (byte 6); NUL is not allowed anywhere in a document"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const Error e = error_of(parse_strict_json(c.text, "/x"));
    CHECK(e.code() == ErrorCode::malformed_json);
    CHECK(e.path() == "/x");
    CHECK(e.message() == c.message);
  }
  // Escaped, a NUL is an ordinary character of a string.
  CHECK(ok_value(parse_strict_json(R"({"a": "x\u0000y"})"))["a"].get<std::string>() == "x\0y"s);
}
