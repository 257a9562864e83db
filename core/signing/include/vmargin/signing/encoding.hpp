// Strict binary-to-text encodings for signed documents (docs/formats.md §1):
// exactly one text per byte string, so that changing any character of an
// envelope changes what it means or is rejected.
#pragma once

#include <string>
#include <string_view>

#include "vmargin/error.hpp"

namespace vmargin::signing {

/// Standard base64 (RFC 4648 §4) with padding; the canonical form only: no
/// whitespace, no missing or extra '=', unused bits of the last character 0.
[[nodiscard]] std::string encode_base64(std::string_view bytes);
/// bad_encoding at `path` when `text` is not the canonical base64 of anything.
[[nodiscard]] Result<std::string> decode_base64(std::string_view text, const std::string& path);

/// Lowercase hexadecimal, two characters per byte.
[[nodiscard]] std::string encode_hex(std::string_view bytes);
/// bad_encoding at `path` unless `text` is lowercase hex of exactly
/// `expected_bytes` bytes (any even length when expected_bytes is 0).
[[nodiscard]] Result<std::string> decode_hex(std::string_view text, const std::string& path,
                                             std::size_t expected_bytes = 0);

}  // namespace vmargin::signing
