#include "vmargin/numeric/decimal.hpp"

#include <cstdint>

namespace vmargin {
namespace {

// Quote an input for a message, shortened so a huge input cannot make a huge
// message, with control characters escaped.
std::string quoted(std::string_view text) {
  constexpr std::size_t shown = max_decimal_length;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > shown) out += "...";
  out += '"';
  return out;
}

Error bad(std::string_view text, std::string_view why) {
  return Error(ErrorCode::bad_decimal, quoted(text) + " is not a decimal string: " + std::string(why));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<i128> parse_decimal_raw(std::string_view text) {
  if (text.empty()) return bad(text, "it is empty");
  if (text.size() > max_decimal_length)
    return bad(text, "it is longer than " + std::to_string(max_decimal_length) + " characters");

  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '+') return bad(text, "a leading '+' is not allowed");
  if (negative) ++i;

  const std::size_t int_begin = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  const std::string_view int_digits = text.substr(int_begin, i - int_begin);

  std::string_view frac_digits;
  bool has_point = false;
  if (i < text.size() && text[i] == '.') {
    has_point = true;
    const std::size_t frac_begin = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    frac_digits = text.substr(frac_begin, i - frac_begin);
  }

  if (i != text.size()) {
    const char c = text[i];
    if (c == 'e' || c == 'E') return bad(text, "exponents are not allowed");
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return bad(text, "whitespace is not allowed");
    if (c == '.') return bad(text, "it has more than one '.'");
    if (c == ',' || c == '_') return bad(text, "digit separators are not allowed");
    if (c == '-' || c == '+') return bad(text, "a sign is only allowed at the start");
    return bad(text, "unexpected character at position " + std::to_string(i + 1));
  }
  if (int_digits.empty())
    return bad(text, has_point ? "digits are required before the '.'" : "it has no digits");
  if (has_point && frac_digits.empty()) return bad(text, "digits are required after the '.'");
  if (int_digits.size() > 1 && int_digits[0] == '0') return bad(text, "leading zeros are not allowed");

  if (frac_digits.size() > static_cast<std::size_t>(fixed_decimals)) {
    return Error(ErrorCode::decimal_too_precise, quoted(text) + " has " + std::to_string(frac_digits.size()) +
                                                     " fractional digits; at most " +
                                                     std::to_string(fixed_decimals) + " are allowed");
  }

  // Accumulate the magnitude as value x 10^18 in an unsigned 128-bit integer,
  // checking against the symmetric limit 2^127 - 1 at every step.
  const u128 limit = static_cast<u128>(fixed_max_raw);
  auto out_of_range = [&] {
    return Error(ErrorCode::decimal_out_of_range, quoted(text) + " is outside the representable range of +-" +
                                                      format_decimal_raw(fixed_max_raw));
  };
  u128 magnitude_raw = 0;
  for (const char c : int_digits) {
    const auto d = static_cast<u128>(c - '0');
    if (magnitude_raw > (limit - d) / 10) return out_of_range();
    magnitude_raw = magnitude_raw * 10 + d;
  }
  // Scale the integer part, then add the fraction padded to 18 digits.
  if (magnitude_raw > limit / static_cast<u128>(fixed_scale)) return out_of_range();
  magnitude_raw *= static_cast<u128>(fixed_scale);
  u128 frac_raw = 0;
  for (int k = 0; k < fixed_decimals; ++k) {
    const auto pos = static_cast<std::size_t>(k);
    const u128 d = pos < frac_digits.size() ? static_cast<u128>(frac_digits[pos] - '0') : 0;
    frac_raw = frac_raw * 10 + d;
  }
  if (magnitude_raw > limit - frac_raw) return out_of_range();
  magnitude_raw += frac_raw;

  const auto value = static_cast<i128>(magnitude_raw);
  return negative ? -value : value;
}

std::string format_decimal_raw(i128 raw) {
  // 39 digits for |raw| < 2^127, a sign and a point.
  char buffer[48];
  char* end = buffer + sizeof buffer;
  char* p = end;
  const u128 m = magnitude(raw);
  const u128 scale = static_cast<u128>(fixed_scale);
  u128 integer = m / scale;
  // The fraction is below 10^18 and fits 64 bits: its digits need no 128-bit
  // division (a library call on every target), nor do most integer parts.
  auto fraction = static_cast<std::uint64_t>(m % scale);

  if (fraction != 0) {
    int digits = fixed_decimals;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    for (int k = 0; k < digits; ++k) {
      *--p = static_cast<char>('0' + static_cast<int>(fraction % 10));
      fraction /= 10;
    }
    *--p = '.';
  }
  while (integer > UINT64_MAX) {
    *--p = static_cast<char>('0' + static_cast<int>(integer % 10));
    integer /= 10;
  }
  auto small = static_cast<std::uint64_t>(integer);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(small % 10));
    small /= 10;
  } while (small != 0);
  if (raw < 0) *--p = '-';
  return std::string(p, static_cast<std::size_t>(end - p));
}

}  // namespace vmargin
