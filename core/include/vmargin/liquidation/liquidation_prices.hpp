// A position's liquidation and bankruptcy prices (docs/spec.md §7.1-§7.2):
// the nearest grid prices, on either side of the mark, at which its pool
// becomes liquidatable or bankrupt as the position's feed moves.
#pragma once

#include <cstddef>
#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

struct Boundaries {
  std::optional<Price> liquidation;  ///< none: no price liquidates, or the pool is already liquidatable
  std::optional<Price> bankruptcy;   ///< on the liquidation price's side (the nearer side if liquidatable)
};

/// The boundaries of `position`'s pool as its feed moves; `figures` are the
/// pool's at the current prices. `search_budget`: evaluations allowed per
/// search before liquidation_price_unresolved.
[[nodiscard]] Result<Boundaries> liquidation_boundaries(const AccountValuation& account,
                                                        const PoolValuation& pool, const PoolFigures& figures,
                                                        const PositionValuation& position,
                                                        std::size_t search_budget);

}  // namespace vmargin
