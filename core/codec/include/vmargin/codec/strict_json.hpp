// Strict JSON for documents that carry money: nlohmann/json 3.11.2 on its own
// accepts duplicate keys (last wins), a UTF-8 byte-order mark and integers
// beyond 64 bits (silently turned into a double). This parser rejects all of
// them, and any number with a fraction or exponent (vmargin formats carry
// amounts as decimal strings), with the JSON pointer of the offending value.
// It never throws and never lets a floating-point value into the document.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "vmargin/error.hpp"

namespace vmargin::codec {

using Json = nlohmann::json;

struct JsonLimits {
  std::size_t max_bytes = std::size_t{16} << 20;  ///< whole document
  std::size_t max_depth = 32;                     ///< nested objects and arrays
};

/// Parses one JSON document. `base_path` prefixes the JSON pointer in errors,
/// e.g. "/account" when the text is the account document of an evaluation.
[[nodiscard]] Result<Json> parse_strict_json(std::string_view text, std::string_view base_path = {},
                                             const JsonLimits& limits = {});

}  // namespace vmargin::codec
