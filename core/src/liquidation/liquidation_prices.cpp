#include "vmargin/liquidation/liquidation_prices.hpp"

#include "vmargin/liquidation/pool_curve.hpp"
#include "vmargin/liquidation/price_search.hpp"

namespace vmargin {
namespace {

// The nearest of the boundaries below and above the mark (§7.1): ties go
// to the lower price.
std::optional<Price> nearest(Price mark, const std::optional<Price>& below,
                             const std::optional<Price>& above) {
  if (!below) return above;
  if (!above) return below;
  const i128 down = mark.raw() - below->raw();
  const i128 up = above->raw() - mark.raw();
  return up < down ? above : below;
}

}  // namespace

Result<Boundaries> liquidation_boundaries(const AccountValuation& a, const PoolValuation& pool,
                                          const PoolFigures& pr, const PositionValuation& p,
                                          std::size_t search_budget) {
  VMARGIN_TRY(const PoolCurve curve,
              PoolCurve::make(a, pool, *p.feed, HealthPoint{pr.equity, pr.maintenance_margin}));
  BoundarySearch s;
  s.mark = p.feed->mark;
  s.tick = p.market->tick_size;
  s.budget = search_budget;
  s.at_mark = HealthPoint{pr.equity, pr.maintenance_margin};
  Boundaries b;
  std::optional<Direction> side;
  const bool liquidatable = pr.equity < pr.maintenance_margin;
  if (!liquidatable) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(const std::optional<Price> below, find_boundary(curve, s));
    s.direction = Direction::above;
    VMARGIN_TRY(const std::optional<Price> above, find_boundary(curve, s));
    b.liquidation = nearest(s.mark, below, above);
    if (b.liquidation) side = (b.liquidation == below) ? Direction::below : Direction::above;
    if (below && above && *below == *above) side = Direction::below;
  }
  if (!is_bankrupt(pr.equity, pr.maintenance_margin)) {
    // Bankruptcy lies beyond liquidation on the same side; with the pool
    // already liquidatable, the nearer side.
    s.boundary = Boundary::bankruptcy;
    if (side) {
      s.direction = *side;
      VMARGIN_TRY(b.bankruptcy, find_boundary(curve, s));
    } else if (liquidatable) {
      s.direction = Direction::below;
      VMARGIN_TRY(const std::optional<Price> below, find_boundary(curve, s));
      s.direction = Direction::above;
      VMARGIN_TRY(const std::optional<Price> above, find_boundary(curve, s));
      b.bankruptcy = nearest(s.mark, below, above);
    }
  }
  return b;
}

}  // namespace vmargin
