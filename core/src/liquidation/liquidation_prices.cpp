#include "vmargin/liquidation/liquidation_prices.hpp"

#include "vmargin/liquidation/option_curve.hpp"
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

// The two-sided construction of §7.1-§7.2 over any side finder.
template <class Find>
Result<Boundaries> boundaries_with(Find&& find, BoundarySearch s, const PoolFigures& pr) {
  Boundaries b;
  std::optional<Direction> side;
  const bool liquidatable = pr.equity < pr.maintenance_margin;
  if (!liquidatable) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(const std::optional<Price> below, find(s));
    s.direction = Direction::above;
    VMARGIN_TRY(const std::optional<Price> above, find(s));
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
      VMARGIN_TRY(b.bankruptcy, find(s));
    } else if (liquidatable) {
      s.direction = Direction::below;
      VMARGIN_TRY(const std::optional<Price> below, find(s));
      s.direction = Direction::above;
      VMARGIN_TRY(const std::optional<Price> above, find(s));
      b.bankruptcy = nearest(s.mark, below, above);
    }
  }
  return b;
}

BoundarySearch search_of(Price mark, Price tick, const PoolFigures& pr, std::size_t budget) {
  BoundarySearch s;
  s.mark = mark;
  s.tick = tick;
  s.budget = budget;
  s.at_mark = HealthPoint{pr.equity, pr.maintenance_margin};
  return s;
}

}  // namespace

Result<Boundaries> liquidation_boundaries(const AccountValuation& a, const PoolValuation& pool,
                                          const PoolFigures& pr, const PositionValuation& p,
                                          std::size_t search_budget, OptionCurves* curves) {
  const BoundarySearch s = search_of(p.feed->mark, p.market->tick_size, pr, search_budget);
  if (a.has_options_on(pool, p.feed)) {
    OptionCurves own;
    VMARGIN_TRY(const OptionPoolCurve* curve, (curves ? *curves : own).get(a, pool, *p.feed, *s.at_mark));
    return boundaries_with([&](const BoundarySearch& x) { return find_option_boundary(*curve, x); }, s, pr);
  }
  VMARGIN_TRY(const PoolCurve curve, PoolCurve::make(a, pool, *p.feed, *s.at_mark));
  return boundaries_with([&](const BoundarySearch& x) { return find_boundary(curve, x); }, s, pr);
}

Result<PriceBoundaries> option_price_boundaries(const AccountValuation& a, const PoolValuation& pool,
                                                const PoolFigures& pr, const FeedPrice& feed, Price tick,
                                                std::size_t search_budget, OptionCurves* curves) {
  BoundarySearch s = search_of(feed.mark, tick, pr, search_budget);
  OptionCurves own;
  VMARGIN_TRY(const OptionPoolCurve* found, (curves ? *curves : own).get(a, pool, feed, *s.at_mark));
  const OptionPoolCurve& curve = *found;
  PriceBoundaries b;
  b.feed = feed.feed;
  if (!(pr.equity < pr.maintenance_margin)) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(b.liquidation_below, find_option_boundary(curve, s));
    s.direction = Direction::above;
    VMARGIN_TRY(b.liquidation_above, find_option_boundary(curve, s));
  }
  if (!is_bankrupt(pr.equity, pr.maintenance_margin)) {
    s.boundary = Boundary::bankruptcy;
    s.direction = Direction::below;
    VMARGIN_TRY(b.bankruptcy_below, find_option_boundary(curve, s));
    s.direction = Direction::above;
    VMARGIN_TRY(b.bankruptcy_above, find_option_boundary(curve, s));
  }
  return b;
}

}  // namespace vmargin
