// A pool holding options on a feed, as a function of that feed's price, and
// the search for its liquidation and bankruptcy prices (docs/spec.md §13.5,
// the argument in docs/liquidation.md "Pools with options").
//
// With options the pool's health is no longer concave in the price (a short
// straddle loses both ways), so §7's tangent-and-concavity search does not
// apply. What still holds: collateral and PnL are linear in the price, a
// long option's value convex and a short's concave (Black-76 is convex in
// the forward, which moves in proportion to the index), requirements
// monotone, convex or affine. So over an interval [a, b] the equity lies
// above the chord of its linear and concave part plus the long options' end
// tangents, and the maintenance below a line (linear items at their larger
// end, option groups by a chord): from the two ends, less the computed
// values' error bounds, a bound of equity - maintenance at every price in
// between that sees items cancel. An interval whose bound is safe holds no
// unsafe price. The search grows intervals from the mark until one ends on
// an unsafe price, locates the first unsafe grid price near it by exact
// evaluations (regula falsi), then proves the way to it in a few intervals
// sized by how fast the bound loosened (docs/liquidation.md "The search").
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "vmargin/liquidation/price_search.hpp"
#include "vmargin/numeric/int256.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

class OptionPoolCurve {
 public:
  /// `at_mark`: the pool's equity and maintenance at the current prices.
  [[nodiscard]] static Result<OptionPoolCurve> make(const AccountValuation& account,
                                                    const PoolValuation& pool, const FeedPrice& feed,
                                                    const HealthPoint& at_mark);

  /// Equity and maintenance at `price` exactly as an evaluation with the
  /// feed's mark at `price` (and its expiries' forwards moved in
  /// proportion) computes them.
  [[nodiscard]] Result<HealthPoint> at(Price price) const;

  /// For a < b: whether every price in [a, b], on or off any grid, is
  /// safe for `boundary` as an evaluation there computes it (rounding and
  /// kernel errors included). Not safe proves nothing; `shortfall` then
  /// says by how much the bound missed (raw), when it was computed.
  struct IntervalProof {
    bool safe = false;
    std::optional<i128> shortfall;
  };
  [[nodiscard]] Result<IntervalProof> proves_safe(Price a, Price b, Boundary boundary) const;

  /// Every item's contribution at one price (public for the bound's helpers).
  struct Values;

  /// How far from the mark on `direction`'s side every price, on or off
  /// any grid, is proven safe for `boundary` by interval bounds so far (the
  /// mark when nothing is). A liquidation proof serves bankruptcy too (a
  /// pool with equity >= maintenance >= 0 is not bankrupt), so later
  /// searches of the pool and feed, on another grid or for bankruptcy,
  /// start there.
  [[nodiscard]] Price proven_reach(Boundary boundary, Direction direction) const;
  /// Records that [near, far] (near on the mark's side) is proven safe for
  /// `boundary`; extends the reach when `near` lies within it.
  void prove(Boundary boundary, Direction direction, Price near, Price far) const;

 private:
  OptionPoolCurve() = default;
  [[nodiscard]] Result<Values> values_at(Price price) const;
  // The two halves of proves_safe(): the least value over [a, b] of a
  // lower bound of the equity less a line `minus` (values at a and b), and
  // two lines above the maintenance; none when a sum leaves the range.
  [[nodiscard]] std::optional<I256> equity_lower_bound(const Values& va, const Values& vb, Price a, Price b,
                                                       const std::pair<I256, I256>& minus) const;
  [[nodiscard]] std::array<std::optional<std::pair<i128, i128>>, 2> maintenance_upper_bound(
      const Values& va, const Values& vb) const;
  // The last prices' values: each interval of the search shares an end
  // with the one before (the price last proven safe).
  struct Cache;
  [[nodiscard]] Result<std::shared_ptr<const Values>> cached_values(Price price) const;
  std::shared_ptr<Cache> cache_;

  const AccountValuation* account_ = nullptr;
  const PoolValuation* pool_ = nullptr;
  const FeedPrice* feed_ = nullptr;
  std::vector<const CollateralValuation*> collateral_;
  std::vector<const PositionValuation*> positions_;
  std::vector<const ExpiryGroup*> groups_;             ///< the pool's groups on the feed
  const OptionValuation* isolated_inverse_ = nullptr;  ///< an isolated inverse option pool's one option
  Money equity_other_;
  Money maintenance_other_;
};

/// The reported boundary on one side (BoundarySearch's meaning, §7.1):
/// `search.budget` counts evaluations (an interval bound costs two). The
/// search starts beyond the curve's proven reach.
[[nodiscard]] Result<std::optional<Price>> find_option_boundary(const OptionPoolCurve& curve,
                                                                const BoundarySearch& search);

/// One evaluation's curves, one per (pool, feed), made on first use: the
/// searches for a pool's positions' prices and for its price boundaries
/// share their values and their proofs.
class OptionCurves {
 public:
  [[nodiscard]] Result<const OptionPoolCurve*> get(const AccountValuation& account, const PoolValuation& pool,
                                                   const FeedPrice& feed, const HealthPoint& at_mark);

 private:
  struct Entry {
    const PoolValuation* pool;
    const FeedPrice* feed;
    std::unique_ptr<OptionPoolCurve> curve;
  };
  std::vector<Entry> curves_;
};

}  // namespace vmargin
