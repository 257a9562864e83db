// The auto-deleveraging index of a position (docs/spec.md §7.5,
// Hyperliquid's ranking: more profit and more leverage rank first).
#pragma once

#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

/// down(down(mark / entry) x notional / equity) for a long, with entry /
/// mark for a short; none unless the position is in profit and its pool's
/// equity is positive.
[[nodiscard]] Result<std::optional<Ratio>> adl_index(const PositionValuation& position,
                                                     const PoolFigures& pool);

}  // namespace vmargin
