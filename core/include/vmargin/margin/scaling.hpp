// Scaling of requirements and weights by volatility and by size
// (docs/spec.md §5.3-§5.5).
#pragma once

#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

/// clamp(up(sigma / reference), 1, max multiplier); exactly 1 when the feed
/// has no volatility scaling or the prices carry no volatility index.
[[nodiscard]] Result<Ratio> volatility_multiplier(const FeedRisk* risk, std::optional<Ratio> sigma);

/// Drift's size term up(factor x up(sqrt(|amount|))): the part of a size
/// premium (positions, liabilities) or size discount (assets) that grows
/// with the square root of the size. The factor ("imf") has units of one
/// over the square root of the size, so the product is a rate.
template <class Tag>
[[nodiscard]] Result<Ratio> size_term(Ratio factor, Fixed<Tag> amount) {
  VMARGIN_TRY(const Fixed<Tag> root, sqrt(amount.abs(), Round::up));
  return mul_to_ratio(factor, root, Round::up);
}

/// Drift's size discount down(1.1 / (1 + term)), term = size_term(factor,
/// amount): the ceiling on an asset's weight (collateral, §5.5) or on a
/// position's profit weight (§5.10) that falls as the amount grows.
[[nodiscard]] Result<Ratio> size_discount(Ratio term);

/// The size premium rates of a position of `size` (>= 0) units:
/// up(0.8 x first-tier rate) + size_term(imf, size), for the initial and
/// the maintenance rate. None when the market's size premium factor is 0.
struct SizePremium {
  Ratio initial_rate;
  Ratio maintenance_rate;
};
[[nodiscard]] Result<std::optional<SizePremium>> size_premium(const Market& market, Quantity size);

}  // namespace vmargin
