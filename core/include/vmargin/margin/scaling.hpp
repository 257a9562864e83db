// Scaling of requirements and weights by volatility and by size
// (docs/spec.md §5.3 and §5.5).
#pragma once

#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

/// clamp(up(sigma / reference), 1, max multiplier); exactly 1 when the feed
/// has no volatility scaling or the prices carry no volatility index.
[[nodiscard]] Result<Ratio> volatility_multiplier(const FeedRisk* risk, std::optional<Ratio> sigma);

/// The size premium rates of a position of `size` (>= 0) units:
/// up(0.8 x first-tier rate) + up(imf x up(sqrt(size))), for the initial and
/// the maintenance rate. None when the market's size premium factor is 0.
struct SizePremium {
  Ratio initial_rate;
  Ratio maintenance_rate;
};
[[nodiscard]] Result<std::optional<SizePremium>> size_premium(const Market& market, Quantity size);

}  // namespace vmargin
