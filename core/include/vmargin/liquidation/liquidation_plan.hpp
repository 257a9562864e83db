// Private to the engine: the partial-liquidation plan of a pool (docs/spec.md §7.3).
#pragma once

#include <string>
#include <vector>

#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

struct LiquidationStep {
  std::string market;
  Quantity reduce_by;  ///< > 0, in the position's units, a multiple of the lot size or its whole size
  Quantity remaining;  ///< signed quantity after the step
  Money fee;
};

/// The smallest lot-rounded reductions, position by position, that restore
/// equity - fees >= maintenance x (1 + buffer) (docs/spec.md §7.3).
struct LiquidationPlan {
  std::vector<LiquidationStep> steps;
  bool restores = false;  ///< false: closing everything does not reach the target
  Money equity_after;     ///< equity - total fees
  Money maintenance_margin_after;
  Money target;  ///< maintenance_margin_after x (1 + buffer), rounded up
};

/// Positions in descending maintenance margin (then ascending market id),
/// each reduced by the smallest number of lots that restores
/// equity - fees >= maintenance x (1 + buffer), or closed entirely when even
/// that does not, and on to the next.
[[nodiscard]] Result<LiquidationPlan> plan_liquidation(const AccountValuation& account,
                                                       const PoolValuation& pool, Money equity,
                                                       Money maintenance);

/// The fee of closing `size` (> 0) units of a position at its mark:
/// linear up(up(size x mark) x fee rate); inverse up(size x contract size x fee rate).
[[nodiscard]] Result<Money> liquidation_fee(const PositionValuation& p, Quantity size);

/// The maintenance margin of the position if its size were `remaining`
/// (same sign, |remaining| <= |quantity|), at the current mark.
[[nodiscard]] Result<Money> maintenance_at_size(const PositionValuation& p, Quantity remaining);

}  // namespace vmargin
