#include "vmargin/error.hpp"

#include "support/test_support.hpp"

using namespace vmargin;

namespace {
Result<int> half(int x) {
  if (x % 2 != 0) return Error(ErrorCode::invalid_value, std::to_string(x) + " is odd");
  return x / 2;
}
Result<int> quarter(int x) {
  VMARGIN_TRY(const int h, half(x));
  VMARGIN_TRY(const int q, half(h).on_error([](Error& e) { e.at("/second").context("second halving"); }));
  return q;
}
}  // namespace

TEST_CASE("error codes have stable names") {
  CHECK(error_code_name(ErrorCode::overflow) == "overflow");
  CHECK(error_code_name(ErrorCode::decimal_too_precise) == "decimal_too_precise");
  CHECK(error_code_name(ErrorCode::missing_price) == "missing_price");
  CHECK(error_code_name(static_cast<ErrorCode>(9999)) == "unknown_error");
}

TEST_CASE("Error renders code, path and message") {
  Error e(ErrorCode::wrong_type, "expected a decimal string, found the number 5", "/account/collateral/USDC");
  CHECK(e.to_string() ==
        "[vmargin.wrong_type] /account/collateral/USDC: expected a decimal string, found the number 5");
  e.at("/elsewhere");  // the innermost path wins
  CHECK(e.path() == "/account/collateral/USDC");
  e.context("collateral value");
  CHECK(e.message() == "collateral value: expected a decimal string, found the number 5");
  CHECK(Error(ErrorCode::overflow, "too big").to_string() == "[vmargin.overflow] too big");
}

TEST_CASE("Result propagates values and errors through VMARGIN_TRY") {
  CHECK(quarter(8).value() == 2);
  const Result<int> first = quarter(3);
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().to_string() == "[vmargin.invalid_value] 3 is odd");
  const Result<int> second = quarter(6);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().to_string() == "[vmargin.invalid_value] /second: second halving: 3 is odd");
}

TEST_CASE("Result copies, moves and reassigns values and errors (non-trivial T)") {
  // Run under ASan in make test: no leak, no double destruction.
  const std::string long_text(100, 'x');  // beyond the small-string buffer
  Result<std::string> value = long_text;
  Result<std::string> error = Error(ErrorCode::overflow, "too big", "/account");

  const Result<std::string> value_copy = value;
  const Result<std::string> error_copy = error;
  CHECK(value_copy.value() == long_text);
  CHECK(error_copy.error().to_string() == "[vmargin.overflow] /account: too big");
  CHECK(error.error() == error_copy.error());  // the copy is deep

  Result<std::string> moved = std::move(value);
  CHECK(moved.value() == long_text);
  moved = error_copy;  // value -> error
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.error().message() == "too big");
  moved = Result<std::string>("again");  // error -> value
  REQUIRE(moved.ok());
  CHECK(*moved == "again");
  const Result<std::string>& same = moved;
  moved = same;  // self-assignment keeps the value
  CHECK(*moved == "again");
  Result<std::string> from_error = std::move(error);
  CHECK(from_error.error().code() == ErrorCode::overflow);
  CHECK(sizeof(Result<std::int64_t>) < sizeof(Error));  // the error is out of line
}
