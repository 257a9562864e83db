// Margin requirements of one position, in the valuation currency: the
// tiered requirement, the size premium floor and the volatility multiplier
// (docs/spec.md §5.2-§5.4).
#pragma once

#include <cstddef>
#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/margin/scaling.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

/// Invariant: maintenance <= initial (validated tables, premium rates from
/// initial >= maintenance rates, the same multiplier on both).
struct Requirement {
  std::size_t tier = 0;  ///< 0-based index of the tier the notional falls in
  Money initial;         ///< valuation currency, after volatility scaling
  Money maintenance;
  bool initial_from_premium = false;  ///< the size premium, not the tier, set it
  bool maintenance_from_premium = false;
};

/// Linear market, tier notional N (valuation currency):
/// up(max(up(N x rate_k) - amount_k, up(N x premium rate)) x multiplier).
[[nodiscard]] Result<Requirement> linear_requirement(const Market& market, Money notional,
                                                     const std::optional<SizePremium>& premium,
                                                     Ratio volatility_multiplier);

/// Inverse market with face value |S| at mark P. The tier is that of the
/// coin notional |S| / P (compared exactly with the caps); in the valuation
/// currency the tier requirement (|S| / P x rate_k - amount_k) x P is
/// |S| x rate_k - amount_k x P, rounded once:
/// up(max(up(|S| x rate_k - amount_k x P), up(|S| x premium rate)) x multiplier).
[[nodiscard]] Result<Requirement> inverse_requirement(const Market& market, Money face, Price mark,
                                                      const std::optional<SizePremium>& premium,
                                                      Ratio volatility_multiplier);

/// Only the maintenance requirement (what liquidation searches evaluate),
/// rounded exactly as in linear_requirement / inverse_requirement.
[[nodiscard]] Result<Money> linear_maintenance(const Market& market, Money notional,
                                               const std::optional<SizePremium>& premium,
                                               Ratio volatility_multiplier);
[[nodiscard]] Result<Money> inverse_maintenance(const Market& market, Money face, Price mark,
                                                const std::optional<SizePremium>& premium,
                                                Ratio volatility_multiplier);

}  // namespace vmargin
