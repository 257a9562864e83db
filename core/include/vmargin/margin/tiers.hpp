// Notional tier tables: requirement = notional x rate - amount, continuous
// across tier edges (docs/spec.md §5.2).
#pragma once

#include <cstddef>
#include <vector>

#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

/// The index of the tier a notional falls in: the first tier whose cap is
/// >= the notional. A notional exactly on a cap belongs to the lower tier.
/// Precondition: a validated table (the last tier is uncapped).
[[nodiscard]] std::size_t tier_index(const std::vector<Tier>& tiers, Money tier_notional) noexcept;

}  // namespace vmargin
