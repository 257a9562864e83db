#include "vmargin/signing/encoding.hpp"

#include <array>
#include <cstdint>

namespace vmargin::signing {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_reverse() {
  std::array<std::int8_t, 256> r{};
  for (auto& v : r) v = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    r[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return r;
}
constexpr std::array<std::int8_t, 256> reverse = make_reverse();

Error bad(const std::string& path, std::string message) {
  return Error(ErrorCode::bad_encoding, std::move(message), path);
}

std::string shown(unsigned char c) {
  if (c >= 0x21 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  constexpr std::string_view digits = "0123456789abcdef";
  return std::string("byte 0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace

std::string encode_base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto byte = [&](std::size_t i) -> std::uint32_t {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0U;
  };
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    const std::size_t left = bytes.size() - i;  // 1, 2, or 3 and more
    out += alphabet[(group >> 18) & 63U];
    out += alphabet[(group >> 12) & 63U];
    out += left > 1 ? alphabet[(group >> 6) & 63U] : '=';
    out += left > 2 ? alphabet[group & 63U] : '=';
  }
  return out;
}

Result<std::string> decode_base64(std::string_view text, const std::string& path) {
  if (text.size() % 4 != 0)
    return bad(path,
               "base64 text of " + std::to_string(text.size()) + " characters is not a multiple of 4 long");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::size_t padding = 0;
    if (last) padding = text[i + 3] == '=' ? (text[i + 2] == '=' ? 2 : 1) : 0;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const auto c = static_cast<unsigned char>(text[i + j]);
      if (j >= 4 - padding) continue;  // the '=' of the last group
      const std::int8_t v = reverse[c];
      if (v < 0) {
        return bad(path, shown(c) + " at offset " + std::to_string(i + j) +
                             " is not a base64 character (padding '=' only ends the text)");
      }
      group |= static_cast<std::uint32_t>(v) << (18 - 6 * j);
    }
    out += static_cast<char>(group >> 16);
    if (padding < 2) out += static_cast<char>((group >> 8) & 0xff);
    if (padding < 1) out += static_cast<char>(group & 0xff);
    // Canonical form: the bits the padding leaves unused are zero.
    if ((padding == 2 && (group & 0xffff) != 0) || (padding == 1 && (group & 0xff) != 0))
      return bad(path, "base64 text is not canonical: the last character carries bits beyond the data");
  }
  return out;
}

std::string encode_hex(std::string_view bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

Result<std::string> decode_hex(std::string_view text, const std::string& path, std::size_t expected_bytes) {
  if (expected_bytes != 0 && text.size() != 2 * expected_bytes) {
    return bad(path, "expected " + std::to_string(2 * expected_bytes) + " hex digits (" +
                         std::to_string(expected_bytes) + " bytes), found " + std::to_string(text.size()));
  }
  if (text.size() % 2 != 0) return bad(path, "hex text has an odd number of digits");
  std::string out;
  out.reserve(text.size() / 2);
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      const std::size_t at = hi < 0 ? i : i + 1;
      return bad(path, shown(static_cast<unsigned char>(text[at])) + " at offset " + std::to_string(at) +
                           " is not a lowercase hex digit");
    }
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

}  // namespace vmargin::signing
