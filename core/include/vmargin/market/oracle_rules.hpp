// How a feed's mark is derived from its sources' messages (docs/formats.md
// §4, the oracle rules table): the value type and the rules its fields obey.
// Pure: the keys are plain bytes here; signing decides which keys they are.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin::market {

/// A source's Ed25519 public key, as bytes (the same type as signing's PublicKey).
using SourceKey = std::array<std::uint8_t, 32>;

struct OracleRules {
  std::string feed;
  std::vector<SourceKey> sources;  ///< trusted source keys, sorted, distinct
  std::uint64_t quorum = 1;        ///< distinct sources needed, 1..sources
  std::int64_t max_age_ms = 0;     ///< a message older than as_of - this is stale
  std::int64_t max_future_ms = 0;  ///< a message newer than as_of + this is from the future
  Ratio max_confidence_ratio;      ///< confidence / price above this: dropped
  Ratio max_deviation_ratio;       ///< |price - previous stable| / previous stable above this: dropped
  Ratio stable_price_rate;         ///< the stable price moves at most this fraction per snapshot, in [0, 1]

  /// Whether `key` is one of the feed's sources (binary search: sources sorted).
  [[nodiscard]] bool has_source(const SourceKey& key) const noexcept;
};

// One rule per field, each an invalid_value error without a path: a decoder
// checks a field as soon as it has read it and locates the error (Error::at)
// at that field. The messages are those of docs/formats.md §4.

/// 1 <= quorum <= number of sources.
[[nodiscard]] Status check_quorum(const OracleRules& rules);
/// max_confidence_ratio >= 0.
[[nodiscard]] Status check_max_confidence_ratio(const OracleRules& rules);
/// max_deviation_ratio >= 0.
[[nodiscard]] Status check_max_deviation_ratio(const OracleRules& rules);
/// stable_price_rate in [0, 1].
[[nodiscard]] Status check_stable_price_rate(const OracleRules& rules);

/// Every rule above, in field order, located relative to the rules object
/// ("/sources", "/quorum", ...); sources must also be sorted and distinct.
[[nodiscard]] Status validate(const OracleRules& rules);

}  // namespace vmargin::market
