#include "vmargin/liquidation/liquidation_prices.hpp"

#include <array>

#include "vmargin/liquidation/option_curve.hpp"
#include "vmargin/liquidation/pool_curve.hpp"
#include "vmargin/liquidation/price_search.hpp"

namespace vmargin {
namespace {

// The unsafe grid price U beyond a side's reported price: one tick farther
// from the mark, or the grid price next to the mark when it is the mark.
Price unsafe_beyond(Price reported, const BoundarySearch& s) {
  const i128 tick = s.tick.raw();
  const bool below = s.direction == Direction::below;
  if (reported == s.mark) {
    const i128 k = below ? (s.mark.raw() - 1) / tick : s.mark.raw() / tick + 1;
    return Price::from_raw(k * tick);
  }
  return Price::from_raw(below ? reported.raw() - tick : reported.raw() + tick);
}

// Whether the account can be valued at the unsafe price U beyond a side's
// reported price (§7.1: otherwise the side has no candidate); always, when
// the caller gives no check.
struct ValuedCheck {
  const AccountValuedAt* valued = nullptr;
  const FeedPrice* feed = nullptr;
  [[nodiscard]] Result<bool> operator()(const BoundarySearch& s, Price reported) const {
    if (valued == nullptr) return true;
    return valued->at(*feed, unsafe_beyond(reported, s));
  }
};

// A side finder that keeps a candidate only where the account can be valued.
template <class Find>
auto valued_only(Find& find, const ValuedCheck& valued) {
  return [&find, &valued](const BoundarySearch& s) -> Result<std::optional<Price>> {
    VMARGIN_TRY(const std::optional<Price> p, find(s));
    if (!p) return p;
    VMARGIN_TRY(const bool ok, valued(s, *p));
    return ok ? p : std::optional<Price>{};
  };
}

struct Candidate {
  Direction direction;
  Price price;
};

// The candidates of both sides, nearest to the mark first (ties: below).
std::array<std::optional<Candidate>, 2> nearest_first(Price mark, const std::optional<Price>& below,
                                                      const std::optional<Price>& above) {
  std::optional<Candidate> b, a;
  if (below) b = Candidate{Direction::below, *below};
  if (above) a = Candidate{Direction::above, *above};
  if (below && above && above->raw() - mark.raw() < mark.raw() - below->raw()) return {a, b};
  return below ? std::array{b, a} : std::array{a, b};
}

// The two-sided construction of §7.1-§7.2 over a side finder that ignores
// the valued-price rule, applied here with as few valuations as it takes:
// the nearer side first, and its bankruptcy price's U first. With
// `contiguous` (no options on the feed: the valued prices form one stretch
// around the mark), being valued there covers the liquidation price's U,
// which lies between.
template <class Find>
Result<Boundaries> boundaries_with(Find&& find, BoundarySearch s, const PoolFigures& pr,
                                   const ValuedCheck& valued, bool contiguous) {
  Boundaries b;
  const bool bankrupt = is_bankrupt(pr.equity, pr.maintenance_margin);
  if (!(pr.equity < pr.maintenance_margin)) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(const std::optional<Price> below, find(s));
    s.direction = Direction::above;
    VMARGIN_TRY(const std::optional<Price> above, find(s));
    for (const std::optional<Candidate>& c : nearest_first(s.mark, below, above)) {
      if (!c) break;
      s.direction = c->direction;
      // Bankruptcy lies beyond liquidation on the same side.
      BoundarySearch t = s;
      t.boundary = Boundary::bankruptcy;
      std::optional<Price> bankruptcy;
      if (!bankrupt) {
        VMARGIN_TRY(bankruptcy, find(t));
      }
      bool bankruptcy_valued = false;
      if (bankruptcy) {
        VMARGIN_TRY(bankruptcy_valued, valued(t, *bankruptcy));
      }
      bool liquidation_valued = contiguous && bankruptcy_valued;
      if (!liquidation_valued) {
        VMARGIN_TRY(liquidation_valued, valued(s, c->price));
      }
      if (!liquidation_valued) continue;  // no candidate on this side; the other may have one
      b.liquidation = c->price;
      if (bankruptcy_valued) b.bankruptcy = bankruptcy;
      return b;
    }
    return b;
  }
  if (!bankrupt) {
    // Already liquidatable: the nearer side's bankruptcy price.
    s.boundary = Boundary::bankruptcy;
    s.direction = Direction::below;
    VMARGIN_TRY(const std::optional<Price> below, find(s));
    s.direction = Direction::above;
    VMARGIN_TRY(const std::optional<Price> above, find(s));
    for (const std::optional<Candidate>& c : nearest_first(s.mark, below, above)) {
      if (!c) break;
      s.direction = c->direction;
      VMARGIN_TRY(const bool ok, valued(s, c->price));
      if (!ok) continue;
      b.bankruptcy = c->price;
      break;
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
                                          std::size_t search_budget, OptionCurves* curves,
                                          const AccountValuedAt* valued) {
  const BoundarySearch s = search_of(p.feed->mark, p.market->tick_size, pr, search_budget);
  const ValuedCheck check{valued, p.feed};
  if (a.has_options_on(pool, p.feed)) {
    OptionCurves own;
    VMARGIN_TRY(const OptionPoolCurve* curve, (curves ? *curves : own).get(a, pool, *p.feed, *s.at_mark));
    return boundaries_with([&](const BoundarySearch& x) { return find_option_boundary(*curve, x); }, s, pr,
                           check, false);
  }
  VMARGIN_TRY(const PoolCurve curve, PoolCurve::make(a, pool, *p.feed, *s.at_mark));
  bool options_on_feed = false;
  for (const OptionValuation& o : a.options) options_on_feed = options_on_feed || o.feed == p.feed;
  return boundaries_with([&](const BoundarySearch& x) { return find_boundary(curve, x); }, s, pr, check,
                         !options_on_feed);
}

Result<PriceBoundaries> option_price_boundaries(const AccountValuation& a, const PoolValuation& pool,
                                                const PoolFigures& pr, const FeedPrice& feed, Price tick,
                                                std::size_t search_budget, OptionCurves* curves,
                                                const AccountValuedAt* valued) {
  BoundarySearch s = search_of(feed.mark, tick, pr, search_budget);
  OptionCurves own;
  VMARGIN_TRY(const OptionPoolCurve* found, (curves ? *curves : own).get(a, pool, feed, *s.at_mark));
  const OptionPoolCurve& curve = *found;
  auto search = [&](const BoundarySearch& x) { return find_option_boundary(curve, x); };
  const ValuedCheck check{valued, &feed};
  auto find = valued_only(search, check);
  PriceBoundaries b;
  b.feed = feed.feed;
  if (!(pr.equity < pr.maintenance_margin)) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(b.liquidation_below, find(s));
    s.direction = Direction::above;
    VMARGIN_TRY(b.liquidation_above, find(s));
  }
  if (!is_bankrupt(pr.equity, pr.maintenance_margin)) {
    s.boundary = Boundary::bankruptcy;
    s.direction = Direction::below;
    VMARGIN_TRY(b.bankruptcy_below, find(s));
    s.direction = Direction::above;
    VMARGIN_TRY(b.bankruptcy_above, find(s));
  }
  return b;
}

}  // namespace vmargin
