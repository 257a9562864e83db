// What a position is worth at a mark price. Linear contracts: size in base
// units, value in the settlement asset.
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// notional = |quantity| x mark, rounded up: it is the base of requirements.
[[nodiscard]] Result<Money> linear_notional(Quantity quantity, Price mark);

/// unrealized PnL = quantity x (mark - entry), rounded down: it is credited
/// to the account (a loss rounds to the larger loss).
[[nodiscard]] Result<Money> linear_unrealized_pnl(Quantity quantity, Price entry, Price mark);

}  // namespace vmargin
