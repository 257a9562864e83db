// Margin health of a pool: ratio and status from equity and requirements.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

enum class MarginStatus : std::uint8_t {
  healthy,       ///< equity / maintenance >= margin call ratio (or no requirement)
  margin_call,   ///< maintenance <= equity < maintenance x margin call ratio
  liquidatable,  ///< 0 < equity < maintenance
  bankrupt,      ///< equity < 0, or equity == 0 with a requirement
};

[[nodiscard]] std::string_view status_name(MarginStatus status) noexcept;

/// equity < 0, or equity == 0 with a requirement: the status "bankrupt" and
/// the predicate bankruptcy prices are searched for.
[[nodiscard]] bool is_bankrupt(Money equity, Money maintenance) noexcept;

/// Classifies exactly (cross-multiplication, no rounded ratio). Equality with
/// the maintenance requirement is not liquidatable: "equity == maintenance"
/// is the last safe point.
[[nodiscard]] MarginStatus classify(Money equity, Money maintenance, Ratio margin_call_ratio) noexcept;

/// equity / maintenance rounded down; nullopt when maintenance is zero. A
/// quotient beyond the range saturates at Ratio::max() (docs/spec.md: only
/// dust requirements get there, and status does not depend on it).
[[nodiscard]] std::optional<Ratio> margin_ratio(Money equity, Money maintenance) noexcept;

}  // namespace vmargin
