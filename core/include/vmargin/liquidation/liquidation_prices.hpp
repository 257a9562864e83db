// A position's liquidation and bankruptcy prices (docs/spec.md §7.1-§7.2):
// the nearest grid prices, on either side of the mark, at which its pool
// becomes liquidatable or bankrupt as the position's feed moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "vmargin/error.hpp"
#include "vmargin/liquidation/option_curve.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

/// Whether the whole account can be valued with one feed's mark moved to
/// a side's reported price and to the unsafe price U beyond it: every
/// figure `eval` reports without its searches and plans (§5-§6, §7.5,
/// §8.3, §13, §14) representable at both. Spec §7.1 keeps a side's
/// candidate only then; the engine answers (the liquidation layer cannot
/// call the evaluation it is part of). An error other than "no" (overflow)
/// is passed on.
enum class Valued : std::uint8_t {
  no,
  at_both,       ///< at the reported price and at U
  up_to_unsafe,  ///< at every price from the mark to U (so also at any price in between)
};
class AccountValuedAt {
 public:
  virtual ~AccountValuedAt() = default;
  [[nodiscard]] virtual Result<Valued> at(const FeedPrice& feed, Price reported, Price unsafe) const = 0;
};

struct Boundaries {
  std::optional<Price> liquidation;  ///< none: no price liquidates, or the pool is already liquidatable
  std::optional<Price> bankruptcy;   ///< on the liquidation price's side (the nearer side if liquidatable)
};

/// The boundaries of `position`'s pool as its feed moves; `figures` are the
/// pool's at the current prices. `search_budget`: evaluations allowed per
/// search before liquidation_price_unresolved. `curves`: the evaluation's
/// option curves, shared with option_price_boundaries (none: a private one).
/// `valued`: whether the account can be valued at a grid price (none: only
/// the pool's equity and maintenance margin must be representable there).
[[nodiscard]] Result<Boundaries> liquidation_boundaries(const AccountValuation& account,
                                                        const PoolValuation& pool, const PoolFigures& figures,
                                                        const PositionValuation& position,
                                                        std::size_t search_budget,
                                                        OptionCurves* curves = nullptr,
                                                        const AccountValuedAt* valued = nullptr);

/// The boundaries of a pool holding options on `feed`, on both sides
/// (docs/spec.md §13.5): on the grid `tick` (the feed's option rules'
/// index tick); liquidation ones only when the pool is not yet
/// liquidatable, bankruptcy ones only when it is not yet bankrupt.
struct PriceBoundaries {
  std::string feed;
  std::optional<Price> liquidation_below;
  std::optional<Price> liquidation_above;
  std::optional<Price> bankruptcy_below;
  std::optional<Price> bankruptcy_above;
};
[[nodiscard]] Result<PriceBoundaries> option_price_boundaries(
    const AccountValuation& account, const PoolValuation& pool, const PoolFigures& figures,
    const FeedPrice& feed, Price tick, std::size_t search_budget, OptionCurves* curves = nullptr,
    const AccountValuedAt* valued = nullptr);

}  // namespace vmargin
