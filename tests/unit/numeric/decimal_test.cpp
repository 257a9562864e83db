#include "vmargin/numeric/decimal.hpp"

#include <string>

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::error_of;
using vmargin::test::ok_value;

TEST_CASE("parse_decimal_raw accepts the grammar and scales exactly") {
  struct Case {
    const char* text;
    i128 raw;
  };
  const i128 e18 = fixed_scale;
  const Case cases[] = {
      {"0", 0},
      {"-0", 0},
      {"1", e18},
      {"-1", -e18},
      {"0.5", e18 / 2},
      {"1.50", e18 * 3 / 2},
      {"0.000000000000000001", 1},
      {"-0.000000000000000001", -1},
      {"123456789.123456789123456789", static_cast<i128>(123456789) * e18 + 123456789123456789},
      {"170141183460469231731.687303715884105727", fixed_max_raw},
      {"-170141183460469231731.687303715884105727", fixed_min_raw},
      {"9223372036854775807", static_cast<i128>(INT64_MAX) * e18},
      {"0.100000000000000000", e18 / 10},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(ok_value(parse_decimal_raw(c.text)) == c.raw);
  }
}

TEST_CASE("parse_decimal_raw rejects everything else with a message naming the problem") {
  struct Case {
    std::string text;
    ErrorCode code;
    std::string message;
  };
  const Case cases[] = {
      {"", ErrorCode::bad_decimal, "\"\" is not a decimal string: it is empty"},
      {"+1", ErrorCode::bad_decimal, "\"+1\" is not a decimal string: a leading '+' is not allowed"},
      {"1e5", ErrorCode::bad_decimal, "\"1e5\" is not a decimal string: exponents are not allowed"},
      {"1E-5", ErrorCode::bad_decimal, "\"1E-5\" is not a decimal string: exponents are not allowed"},
      {" 1", ErrorCode::bad_decimal, "\" 1\" is not a decimal string: whitespace is not allowed"},
      {"1 ", ErrorCode::bad_decimal, "\"1 \" is not a decimal string: whitespace is not allowed"},
      {"1.2.3", ErrorCode::bad_decimal, "\"1.2.3\" is not a decimal string: it has more than one '.'"},
      {".5", ErrorCode::bad_decimal, "\".5\" is not a decimal string: digits are required before the '.'"},
      {"5.", ErrorCode::bad_decimal, "\"5.\" is not a decimal string: digits are required after the '.'"},
      {"-", ErrorCode::bad_decimal, "\"-\" is not a decimal string: it has no digits"},
      {"--1", ErrorCode::bad_decimal, "\"--1\" is not a decimal string: a sign is only allowed at the start"},
      {"01", ErrorCode::bad_decimal, "\"01\" is not a decimal string: leading zeros are not allowed"},
      {"-00.5", ErrorCode::bad_decimal, "\"-00.5\" is not a decimal string: leading zeros are not allowed"},
      {"1,000", ErrorCode::bad_decimal,
       "\"1,000\" is not a decimal string: digit separators are not allowed"},
      {"1_000", ErrorCode::bad_decimal,
       "\"1_000\" is not a decimal string: digit separators are not allowed"},
      {"0x10", ErrorCode::bad_decimal,
       "\"0x10\" is not a decimal string: unexpected character at position 2"},
      {"NaN", ErrorCode::bad_decimal, "\"NaN\" is not a decimal string: unexpected character at position 1"},
      {"Infinity", ErrorCode::bad_decimal,
       "\"Infinity\" is not a decimal string: unexpected character at position 1"},
      {std::string("1\0", 2), ErrorCode::bad_decimal,
       "\"1\\u0000\" is not a decimal string: unexpected character at position 2"},
      {"1\n", ErrorCode::bad_decimal, "\"1\\u000a\" is not a decimal string: whitespace is not allowed"},
      {"0.1234567890123456789", ErrorCode::decimal_too_precise,
       "\"0.1234567890123456789\" has 19 fractional digits; at most 18 are allowed"},
      {"1.0000000000000000000", ErrorCode::decimal_too_precise,
       "\"1.0000000000000000000\" has 19 fractional digits; at most 18 are allowed"},
      {"170141183460469231731.687303715884105728", ErrorCode::decimal_out_of_range,
       "\"170141183460469231731.687303715884105728\" is outside the representable range of "
       "+-170141183460469231731.687303715884105727"},
      {"-170141183460469231731.687303715884105728", ErrorCode::decimal_out_of_range,
       "\"-170141183460469231731.687303715884105728\" is outside the representable range of "
       "+-170141183460469231731.687303715884105727"},
      {"170141183460469231732", ErrorCode::decimal_out_of_range,
       "\"170141183460469231732\" is outside the representable range of "
       "+-170141183460469231731.687303715884105727"},
      {"99999999999999999999999999999999999999999", ErrorCode::decimal_out_of_range,
       "\"99999999999999999999999999999999999999999\" is outside the representable range of "
       "+-170141183460469231731.687303715884105727"},
      {std::string(65, '1'), ErrorCode::bad_decimal,
       "\"1111111111111111111111111111111111111111111111111111111111111111...\" is not a decimal string: it "
       "is longer than 64 "
       "characters"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const Error e = error_of(parse_decimal_raw(c.text));
    CHECK(e.code() == c.code);
    CHECK(e.message() == c.message);
    CHECK(e.path().empty());
  }
}

TEST_CASE("format_decimal_raw is canonical") {
  struct Case {
    i128 raw;
    const char* text;
  };
  const Case cases[] = {
      {0, "0"},
      {1, "0.000000000000000001"},
      {-1, "-0.000000000000000001"},
      {fixed_scale, "1"},
      {-fixed_scale * 10, "-10"},
      {fixed_scale / 2, "0.5"},
      {fixed_scale * 3 / 2 + 0, "1.5"},
      {fixed_scale + 100, "1.0000000000000001"},
      {fixed_max_raw, "170141183460469231731.687303715884105727"},
      {fixed_min_raw, "-170141183460469231731.687303715884105727"},
      {i128_min, "-170141183460469231731.687303715884105728"},  // formatting never fails
  };
  for (const Case& c : cases) CHECK(format_decimal_raw(c.raw) == c.text);
}

TEST_CASE("typed parse and to_string") {
  CHECK(to_string(ok_value(parse_decimal<Price>("61000.50"))) == "61000.5");
  CHECK(to_string(ok_value(parse_decimal<Money>("-0"))) == "0");
  CHECK(error_of(parse_decimal<Ratio>("abc")).code() == ErrorCode::bad_decimal);
}
