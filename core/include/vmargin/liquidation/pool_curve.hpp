// A pool's health as a function of one feed's price: the curve the
// liquidation and bankruptcy price searches walk (docs/liquidation.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "vmargin/liquidation/price_search.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

class PoolCurve final : public HealthCurve {
 public:
  /// `at_mark` is the pool's equity and maintenance at the current prices.
  [[nodiscard]] static Result<PoolCurve> make(const AccountValuation& account, const PoolValuation& pool,
                                              const FeedPrice& feed, const HealthPoint& at_mark);

  [[nodiscard]] Result<HealthPoint> at(Price price) const override;
  [[nodiscard]] Result<Money> equity_at(Price price) const override;
  /// The sum of the rounding bounds of the pool's items on the feed, as the
  /// valuation functions computed them (numeric/bounded.hpp): the same at
  /// every price.
  [[nodiscard]] Money rounding_bound(Price price) const override;
  [[nodiscard]] bool may_fall_at_infinity(Boundary boundary) const override;
  [[nodiscard]] bool may_fall_toward_zero(Boundary boundary) const override;
  [[nodiscard]] std::optional<Price> tangent_root(Boundary boundary, Direction direction) const override;

 private:
  PoolCurve() = default;
  // The pool's items priced by the feed: usually one or two, kept inline
  // (no allocation per curve), more in `spill`.
  template <class T>
  struct Items {
    std::array<const T*, 4> inline_items{};
    std::size_t count = 0;
    std::vector<const T*> spill;
    void push(const T* item) {
      if (count < inline_items.size()) {
        inline_items[count++] = item;
      } else {
        spill.push_back(item);
      }
    }
    template <class F>
    void each(F f) const {
      for (std::size_t i = 0; i < count; ++i) f(*inline_items[i]);
      for (const T* item : spill) f(*item);
    }
  };
  // Which linear piece of the exact health a slope is taken on.
  enum class Piece : std::uint8_t { at_mark, near_zero, at_infinity };
  struct Slopes;
  [[nodiscard]] Slopes slopes(Piece piece, bool with_equity) const;
  // Equity (and, unless `equity_only`, maintenance) of the items on the
  // feed at `price`, added to the fixed rest of the pool.
  [[nodiscard]] Result<HealthPoint> sum_at(Price price, bool equity_only) const;

  Items<PositionValuation> positions_;
  Items<CollateralValuation> collateral_;
  const Market* isolated_inverse_ = nullptr;  ///< an isolated inverse pool's market (its margin is coins)
  Money isolated_margin_;
  Money equity_other_;  ///< everything else, fixed
  Money maintenance_other_;
  Money bound_;
  // Per boundary (liquidation: health, bankruptcy: equity), both from one
  // pass over the items, computed once per side.
  mutable std::optional<std::array<bool, 2>> may_fall_high_;
  mutable std::optional<std::array<bool, 2>> may_fall_low_;
  // At the mark: the pool's health and equity, and their slopes in the
  // current pieces (money per unit of price, raw), for tangent_root.
  Price mark_;
  i128 health_at_mark_ = 0;
  i128 equity_at_mark_ = 0;
  std::optional<i128> health_slope_;
  std::optional<i128> equity_slope_;
};

}  // namespace vmargin
