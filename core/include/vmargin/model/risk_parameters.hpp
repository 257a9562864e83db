// The exchange's published risk parameters: what every market and collateral
// asset requires. Value types; validate() enforces the rules of docs/spec.md
// ("Risk parameters") and the engine only accepts validated parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

enum class MarketKind : std::uint8_t {
  linear_perpetual,  ///< size in base units, PnL and margin in the settlement asset
};

struct Market {
  std::string id;  ///< e.g. "BTC-PERP"
  MarketKind kind = MarketKind::linear_perpetual;
  std::string feed;  ///< the price feed that marks it, e.g. "BTC-USD"
  Ratio initial_rate;
  Ratio maintenance_rate;
};

struct RiskParameters {
  std::uint64_t version = 0;
  /// The asset that collateral, PnL and requirements are counted in (a
  /// stablecoin valued at exactly 1).
  std::string settlement_asset;
  /// Status is "margin_call" while equity / maintenance < this (>= 1).
  Ratio margin_call_ratio;
  /// Sorted by id, ids unique (validate() checks).
  std::vector<Market> markets;

  [[nodiscard]] const Market* find_market(std::string_view id) const noexcept;
};

/// Checks every rule on the parameters (ranges, ordering, uniqueness); the
/// first violation is returned with the path of the offending field.
[[nodiscard]] Status validate(const RiskParameters& params);

}  // namespace vmargin
