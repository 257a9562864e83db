// What every CLI command shares: exit codes, output, and failures as values.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "vmargin/error.hpp"

namespace vmargin::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 2;
inline constexpr int exit_io = 3;
inline constexpr int exit_rejected = 4;
inline constexpr int exit_differences = 5;

inline void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

/// Why a command stops: a usage error (exit 2), a file that could not be read
/// or written (exit 3), or a rejected input (exit 4, with its typed error).
struct CliFailure {
  int exit_code = exit_usage;
  std::string message;         ///< usage and I/O failures
  std::optional<Error> error;  ///< a rejected input

  static CliFailure usage(std::string message) { return {exit_usage, std::move(message), std::nullopt}; }
  static CliFailure io(std::string message) { return {exit_io, std::move(message), std::nullopt}; }
  static CliFailure rejected(Error error) { return {exit_rejected, {}, std::move(error)}; }
};

/// Prints a failure as the README's exit codes describe it: "vmargin:
/// <message>" on standard error (control characters escaped: terminal_safe) and, for a rejected input with
/// --format json,
/// {"error": ...} on standard output. Returns the exit code.
int report_failure(const CliFailure& failure, const std::string& format);

/// A value or a CliFailure. An Error converts to a rejected input, so
/// VMARGIN_TRY works on both Result<T> and CliResult<T> expressions inside a
/// function returning CliResult.
template <class T>
class [[nodiscard]] CliResult {
 public:
  CliResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}               // NOLINT: implicit
  CliResult(CliFailure failure) : v_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT
  CliResult(Error error) : CliResult(CliFailure::rejected(std::move(error))) {}      // NOLINT
  CliResult(Result<T> result)  // NOLINT: a typed result converts as it is
      : v_(result.ok() ? std::variant<T, CliFailure>(std::in_place_index<0>, std::move(result).value())
                       : std::variant<T, CliFailure>(std::in_place_index<1>,
                                                     CliFailure::rejected(std::move(result).error()))) {}

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const CliFailure& error() const& { return std::get<1>(v_); }
  [[nodiscard]] CliFailure&& error() && { return std::get<1>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, CliFailure> v_;
};

/// A command's result as its exit code: `ok` on success, else the failure reported.
template <class T>
int exit_code_of(const CliResult<T>& result, const std::string& format, int ok = exit_ok) {
  return result.ok() ? ok : report_failure(result.error(), format);
}

}  // namespace vmargin::cli
