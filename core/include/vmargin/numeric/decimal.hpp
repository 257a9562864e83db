// Decimal strings <-> fixed point, exactly. Inputs are strict; outputs are
// canonical, so that equal values are equal bytes on every target.
//
// Accepted grammar (docs/spec.md, "Decimal strings"):
//   decimal  = ["-"] int ["." frac]
//   int      = "0" | nonzero-digit *digit
//   frac     = 1*18 digit
// at most 64 characters. No "+", no exponent, no spaces, no leading zeros,
// no bare "." on either side. "-0" and trailing zeros ("1.50") are accepted.
// Canonical output: no trailing fractional zeros, no "." without digits after
// it, "0" for zero (never "-0").
#pragma once

#include <string>
#include <string_view>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

inline constexpr std::size_t max_decimal_length = 64;

/// Parses a decimal string into a raw fixed-point value (value x 10^18).
[[nodiscard]] Result<i128> parse_decimal_raw(std::string_view text);

/// The canonical text of a raw fixed-point value.
[[nodiscard]] std::string format_decimal_raw(i128 raw);

template <class T>
[[nodiscard]] Result<T> parse_decimal(std::string_view text) {
  VMARGIN_TRY(const i128 raw, parse_decimal_raw(text));
  return T::from_raw(raw);
}

template <class Tag>
[[nodiscard]] std::string to_string(Fixed<Tag> value) {
  return format_decimal_raw(value.raw());
}

}  // namespace vmargin
