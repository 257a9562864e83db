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

// Whether the account can be valued at a side's reported price and at the
// unsafe price U beyond it (§7.1: otherwise the side has no candidate);
// everywhere, when the caller gives no check.
struct ValuedCheck {
  const AccountValuedAt* valued = nullptr;
  const FeedPrice* feed = nullptr;
  [[nodiscard]] Result<Valued> operator()(const BoundarySearch& s, Price reported) const {
    if (valued == nullptr) return Valued::up_to_unsafe;
    return valued->at(*feed, reported, unsafe_beyond(reported, s));
  }
};

// A side finder that keeps a candidate only where the account can be valued.
template <class Find>
auto valued_only(Find& find, const ValuedCheck& valued) {
  return [&find, &valued](const BoundarySearch& s) -> Result<std::optional<Price>> {
    VMARGIN_TRY(const std::optional<Price> p, find(s));
    if (!p) return p;
    VMARGIN_TRY(const Valued v, valued(s, *p));
    return v == Valued::no ? std::optional<Price>{} : p;
  };
}

struct Candidate {
  Direction direction;
  Price price;
};

// The candidates of both sides for s.boundary (found ignoring the
// valued-price rule), nearest to the mark first (ties: below).
template <class Find>
Result<std::array<std::optional<Candidate>, 2>> nearest_first(Find& find, BoundarySearch s) {
  s.direction = Direction::below;
  VMARGIN_TRY(const std::optional<Price> below, find(s));
  s.direction = Direction::above;
  VMARGIN_TRY(const std::optional<Price> above, find(s));
  std::optional<Candidate> b, a;
  if (below) b = Candidate{Direction::below, *below};
  if (above) a = Candidate{Direction::above, *above};
  if (below && above && above->raw() - s.mark.raw() < s.mark.raw() - below->raw()) return std::array{a, b};
  return below ? std::array{b, a} : std::array{a, b};
}

// One side of a pool that is not yet liquidatable: its liquidation price
// and the bankruptcy price beyond it, each kept only where the account can
// be valued. The bankruptcy price is checked first: valued at every price
// up to its U, the account is valued at the liquidation price and its U,
// which lie in between. A failed bankruptcy search counts only if the side
// is kept.
template <class Find>
Result<std::optional<Boundaries>> liquidation_side(Find& find, BoundarySearch s, Price liquidation,
                                                   bool bankrupt, const ValuedCheck& valued) {
  BoundarySearch t = s;
  t.boundary = Boundary::bankruptcy;
  Result<std::optional<Price>> bankruptcy = bankrupt ? Result<std::optional<Price>>(std::nullopt) : find(t);
  Valued b = Valued::no;
  if (bankruptcy.ok() && *bankruptcy) {
    VMARGIN_TRY(b, valued(t, **bankruptcy));
  }
  if (b != Valued::up_to_unsafe) {
    VMARGIN_TRY(const Valued l, valued(s, liquidation));
    if (l == Valued::no) return std::optional<Boundaries>{};
  }
  if (!bankruptcy.ok()) return std::move(bankruptcy).error();
  Boundaries out;
  out.liquidation = liquidation;
  if (b != Valued::no) out.bankruptcy = *bankruptcy;
  return std::optional<Boundaries>{out};
}

// The two-sided construction of §7.1-§7.2 over a side finder that ignores
// the valued-price rule, applied here with as few valuations as it takes:
// the nearer side first.
template <class Find>
Result<Boundaries> boundaries_with(Find&& find, BoundarySearch s, const PoolFigures& pr,
                                   const ValuedCheck& valued) {
  const bool bankrupt = is_bankrupt(pr.equity, pr.maintenance_margin);
  if (!(pr.equity < pr.maintenance_margin)) {
    s.boundary = Boundary::liquidation;
    VMARGIN_TRY(const auto sides, nearest_first(find, s));
    for (const std::optional<Candidate>& c : sides) {
      if (!c) break;
      s.direction = c->direction;
      VMARGIN_TRY(const std::optional<Boundaries> side,
                  liquidation_side(find, s, c->price, bankrupt, valued));
      if (side) return *side;  // else no candidate on this side; the other may have one
    }
    return Boundaries{};
  }
  Boundaries b;
  if (!bankrupt) {
    // Already liquidatable: the nearer side's bankruptcy price.
    s.boundary = Boundary::bankruptcy;
    VMARGIN_TRY(const auto sides, nearest_first(find, s));
    for (const std::optional<Candidate>& c : sides) {
      if (!c) break;
      s.direction = c->direction;
      VMARGIN_TRY(const Valued v, valued(s, c->price));
      if (v == Valued::no) continue;
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
                           check);
  }
  VMARGIN_TRY(const PoolCurve curve, PoolCurve::make(a, pool, *p.feed, *s.at_mark));
  return boundaries_with([&](const BoundarySearch& x) { return find_boundary(curve, x); }, s, pr, check);
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
