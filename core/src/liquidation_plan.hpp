// Private to the engine: the partial-liquidation plan of a pool (docs/spec.md §7.3).
#pragma once

#include "bound_account.hpp"

namespace vmargin::detail {

/// Positions in descending maintenance margin (then ascending market id),
/// each reduced by the smallest number of lots that restores
/// equity - fees >= maintenance x (1 + buffer), or closed entirely when even
/// that does not, and on to the next.
[[nodiscard]] Result<LiquidationPlan> plan_liquidation(const BoundAccount& account, const BoundPool& pool,
                                                       Money equity, Money maintenance);

/// The fee of closing `size` (> 0) units of a position at its mark:
/// linear up(up(size x mark) x fee rate); inverse up(size x contract size x fee rate).
[[nodiscard]] Result<Money> liquidation_fee(const BoundPosition& p, Quantity size);

/// The maintenance margin of the position if its size were `remaining`
/// (same sign, |remaining| <= |quantity|), at the current mark.
[[nodiscard]] Result<Money> maintenance_at_size(const BoundPosition& p, Quantity remaining);

}  // namespace vmargin::detail
