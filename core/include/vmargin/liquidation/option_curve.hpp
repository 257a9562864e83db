// A pool holding options on a feed, as a function of that feed's price, and
// the search for its liquidation and bankruptcy prices (docs/spec.md §13.5,
// the argument in docs/liquidation.md "Pools with options").
//
// With options the pool's health is no longer concave in the price (a short
// straddle loses both ways), so §7's tangent-and-concavity search does not
// apply. What still holds: collateral and PnL are linear in the price, a
// long option's value convex and a short's concave (Black-76 is convex in
// the forward, which moves in proportion to the index), requirements
// monotone or convex. So over an interval [a, b] the equity lies above the
// chord of its linear and concave part plus the long options' end tangents,
// and the maintenance below its items' larger end values: from the two
// ends, less the computed values' error bounds, a bound at every price in
// between that sees items cancel. An interval whose bound is safe holds no
// unsafe grid price; the search gallops from the mark with intervals that
// grow twofold while they are proven safe and halve when they are not, down
// to single grid prices evaluated exactly.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "vmargin/liquidation/price_search.hpp"
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

  /// For a < b: a lower bound of the equity and an upper bound of the
  /// maintenance that hold at every price in [a, b], rounding and kernel
  /// errors included.
  [[nodiscard]] Result<HealthPoint> bound(Price a, Price b) const;

  /// Every item's contribution at one price (public for the bound's helpers).
  struct Values;

 private:
  OptionPoolCurve() = default;
  [[nodiscard]] Result<Values> values_at(Price price) const;
  // The two halves of bound(); a sum beyond the range gives no proof.
  [[nodiscard]] i128 equity_lower_bound(const Values& va, const Values& vb, Price a, Price b) const;
  [[nodiscard]] i128 maintenance_upper_bound(const Values& va, const Values& vb) const;
  // The last two prices' values: each interval of the search shares an end
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
/// `search.budget` counts evaluations (an interval bound costs two).
[[nodiscard]] Result<std::optional<Price>> find_option_boundary(const OptionPoolCurve& curve,
                                                                const BoundarySearch& search);

}  // namespace vmargin
