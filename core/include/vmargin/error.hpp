// Errors are values: every fallible function returns Result<T>.
//
// Emscripten 3.1.6 builds without exception catching, so a `throw` would abort
// the whole wasm instance; a margin engine inside a wallet must survive bad
// input. The catalogue of codes, with one example message each, is
// docs/errors.md; the code names are a stable, public contract.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vmargin {

enum class ErrorCode : std::uint16_t {
  // Arithmetic.
  overflow = 1,      ///< a result does not fit the fixed-point range
  division_by_zero,  ///< a divisor is zero
  domain_error,      ///< an operation outside its mathematical domain (sqrt of a negative)

  // Decimal text.
  bad_decimal,           ///< not a decimal string of the accepted grammar
  decimal_too_precise,   ///< more than 18 fractional digits
  decimal_out_of_range,  ///< outside +-(2^127-1) x 10^-18

  // Documents (JSON and their content).
  malformed_json,   ///< not JSON, a byte-order mark, invalid UTF-8, trailing bytes
  input_too_large,  ///< size, nesting depth or element count over the published limits
  duplicate_key,    ///< an object repeats a key
  unknown_field,    ///< a field the format does not define
  missing_field,    ///< a required field is absent
  wrong_type,       ///< e.g. a JSON number where a decimal string is required
  invalid_value,    ///< well-formed but not allowed (negative rate, zero tick, ...)

  // Cross-references between documents.
  unknown_market,  ///< a position names a market the risk parameters do not define
  unknown_asset,   ///< a balance names an asset the risk parameters do not define
  missing_price,   ///< no mark price for a feed that the account needs

  // Evaluation.
  contract_expired,              ///< a dated future is evaluated at or after its expiry
  liquidation_price_unresolved,  ///< the liquidation search hit its work limit (dust-level health)

  // Signed inputs (vmargin::signed, docs/formats.md).
  bad_encoding,          ///< not strict base64 / lowercase hex, or the wrong length
  non_canonical,         ///< an envelope that is not byte for byte its canonical form
  wrong_document_type,   ///< an envelope of another document type than expected
  unknown_key,           ///< a key id the trust store does not hold
  wrong_role,            ///< a trusted key without the role the document needs
  bad_signature,         ///< the Ed25519 signature does not verify (libsodium)
  rollback,              ///< risk parameters older than the last accepted version
  equivocation,          ///< the last accepted version again, with different bytes
  parameters_not_valid,  ///< the evaluation time is outside the parameters' validity
  quorum_not_met,        ///< fewer distinct fresh trusted sources than a feed's quorum
};

/// The stable name of a code, as used in messages ("[vmargin.overflow]"), in
/// the JS `code` property and in docs/errors.md.
[[nodiscard]] std::string_view error_code_name(ErrorCode code) noexcept;

/// An error: a stable code, where in the input it is (a JSON pointer such as
/// "/account/positions/BTC-PERP/quantity", empty when no single input is to
/// blame) and a message that says what was wrong with the value found there.
class Error {
 public:
  Error(ErrorCode code, std::string message, std::string path = {})
      : code_(code), path_(std::move(path)), message_(std::move(message)) {}

  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

  /// "[vmargin.<code>] <path>: <message>", or without "<path>: " when empty.
  [[nodiscard]] std::string to_string() const;

  /// Sets the path when the error does not have one yet: the innermost layer
  /// that knows where the offending value came from wins.
  Error& at(std::string_view path) {
    if (path_.empty()) path_ = path;
    return *this;
  }
  /// Prepends the location of the document the path is relative to, e.g.
  /// "/params/payload" for an error inside a signed payload.
  Error& within(std::string_view prefix) {
    path_.insert(0, prefix);
    return *this;
  }
  /// Prepends what was being computed: "<what>: <message>".
  Error& context(std::string_view what) {
    message_.insert(0, ": ").insert(0, what);
    return *this;
  }

  friend bool operator==(const Error&, const Error&) = default;

 private:
  ErrorCode code_;
  std::string path_;
  std::string message_;
};

/// A value or an Error. Minimal on purpose: libstdc++ 12 has no std::expected
/// in C++20, and nothing here may throw. The error lives behind a pointer:
/// errors are rare and large (two strings), values are small and on the hot
/// path, so a Result<Money> stays a 16-byte value, a flag and a pointer.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Error>);

 public:
  Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit on purpose
      : ok_(true) {
    std::construct_at(&value_, std::move(value));
  }
  Result(Error error) : error_(std::make_unique<Error>(std::move(error))) {}  // NOLINT

  Result(const Result& other) : ok_(other.ok_) {
    if (ok_) {
      std::construct_at(&value_, other.value_);
    } else if (other.error_) {
      error_ = std::make_unique<Error>(*other.error_);
    }
  }
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : ok_(other.ok_), error_(std::move(other.error_)) {
    if (ok_) std::construct_at(&value_, std::move(other.value_));
  }
  Result& operator=(const Result& other) {
    if (this != &other) *this = Result(other);
    return *this;
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      destroy_value();
      ok_ = other.ok_;
      error_ = std::move(other.error_);
      if (ok_) std::construct_at(&value_, std::move(other.value_));
    }
    return *this;
  }
  ~Result() { destroy_value(); }

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok(); }

  // Preconditions: ok() for value(), !ok() for error(). Callers check
  // first; a caller that does not stops the program here (a trap, the same
  // on every target) instead of reading an unconstructed value.
  [[nodiscard]] T& value() & noexcept {
    require(ok_);
    return value_;
  }
  [[nodiscard]] const T& value() const& noexcept {
    require(ok_);
    return value_;
  }
  [[nodiscard]] T&& value() && noexcept {
    require(ok_);
    return std::move(value_);
  }
  [[nodiscard]] const Error& error() const& noexcept {
    require(!ok_);
    return *error_;
  }
  [[nodiscard]] Error&& error() && noexcept {
    require(!ok_);
    return std::move(*error_);
  }

  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }
  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }

  /// On error, lets `f(Error&)` add a path or context; a no-op on success, so
  /// the strings are only built on the error path.
  template <class F>
  Result&& on_error(F&& f) && {
    if (!ok_) f(*error_);
    return std::move(*this);
  }

 private:
  static void require(bool condition) noexcept {
    if (!condition) [[unlikely]]
      __builtin_trap();
  }
  void destroy_value() noexcept {
    if (ok_) std::destroy_at(&value_);
    ok_ = false;
  }

  bool ok_ = false;
  std::unique_ptr<Error> error_;
  union {
    T value_;
  };
};

/// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace vmargin

#define VMARGIN_CONCAT_INNER(a, b) a##b
#define VMARGIN_CONCAT(a, b) VMARGIN_CONCAT_INNER(a, b)

/// `VMARGIN_TRY(Money m, expr);` declares `m` from a successful Result or
/// returns the error from the enclosing function.
#define VMARGIN_TRY(lhs, expr) VMARGIN_TRY_IMPL(VMARGIN_CONCAT(vmargin_try_, __LINE__), lhs, expr)
#define VMARGIN_TRY_IMPL(tmp, lhs, expr)        \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()

/// `VMARGIN_CHECK(status_expr);` returns the error of a failed Status.
#define VMARGIN_CHECK(expr)                                             \
  do {                                                                  \
    auto vmargin_check_ = (expr);                                       \
    if (!vmargin_check_.ok()) return std::move(vmargin_check_).error(); \
  } while (0)
