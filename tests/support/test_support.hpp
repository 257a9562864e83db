// Shared helpers for the doctest suites.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "vmargin/vmargin.hpp"

namespace vmargin::test {

void set_arguments(int argc, char** argv);
/// The value of --name=value on the test's command line.
std::optional<std::string> option(const std::string& name);

/// The whole file, or nullopt.
std::optional<std::string> read_text_file(const std::string& path);

/// The bundled signed example (examples/signed), from the directory given
/// as --<option>=DIR; fails the test when a file cannot be read.
struct SignedExample {
  std::string trust, params, snapshot, statement;
};
SignedExample signed_example(const std::string& option_name);

/// A counter-based generator: draw(i) depends only on (seed, i), so any case
/// of a property test can be replayed from the seed and its index alone.
class CounterRng {
 public:
  explicit constexpr CounterRng(std::uint64_t seed) noexcept : seed_(seed) {}
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  /// SplitMix64 of (seed, counter).
  [[nodiscard]] constexpr std::uint64_t draw(std::uint64_t counter) const noexcept {
    std::uint64_t z = seed_ + (counter + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t seed_;
};

/// Parses a decimal the test knows to be valid (fails the test otherwise).
template <class T>
T dec(const char* text) {
  Result<T> r = parse_decimal<T>(text);
  REQUIRE_MESSAGE(r.ok(), text);
  return r.value();
}

/// A value that must be ok; fails the test with the error otherwise.
template <class T>
T ok_value(Result<T> r) {
  if (!r.ok()) FAIL_CHECK(r.error().to_string());
  REQUIRE(r.ok());
  return std::move(r).value();
}

/// The error of a result that must have failed.
template <class T>
Error error_of(Result<T> r) {
  REQUIRE_FALSE(r.ok());
  return std::move(r).error();
}

}  // namespace vmargin::test

// Lets doctest print fixed-point values and errors in failure messages.
namespace doctest {
template <class Tag>
struct StringMaker<vmargin::Fixed<Tag>> {
  static String convert(const vmargin::Fixed<Tag>& v) { return vmargin::to_string(v).c_str(); }
};
template <>
struct StringMaker<vmargin::Error> {
  static String convert(const vmargin::Error& e) { return e.to_string().c_str(); }
};
template <>
struct StringMaker<vmargin::ErrorCode> {
  static String convert(const vmargin::ErrorCode& c) {
    return std::string(vmargin::error_code_name(c)).c_str();
  }
};
}  // namespace doctest
