// Notional tier tables: requirement = notional x rate - amount, continuous
// across tier edges (docs/spec.md §5.2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

/// The index of the tier a notional falls in: the first tier whose cap is
/// >= the notional. A notional exactly on a cap belongs to the lower tier.
/// Precondition: a validated table (the last tier is uncapped).
[[nodiscard]] std::size_t tier_index(const std::vector<Tier>& tiers, Money tier_notional) noexcept;

/// The rules of a tier table: at least one tier; caps positive and strictly
/// increasing, the last one absent; rates in [0, 1], non-decreasing, initial
/// >= maintenance; the first tier's amounts zero and every later amount
/// exactly amount[k-1] + cap[k-1] x (rate[k] - rate[k-1]), so that the
/// requirement is continuous at every edge.
[[nodiscard]] Status validate_tiers(const std::vector<Tier>& tiers, std::string_view market_id,
                                    const std::string& path);

}  // namespace vmargin
