// Private to the engine: an account with every reference resolved and every
// price-independent constant computed once, so that evaluations at other
// prices (liquidation searches, partial-liquidation plans) only redo what a
// price moves.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "vmargin/margin/collateral.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin::detail {

inline constexpr std::size_t cross_pool = static_cast<std::size_t>(-1);

struct BoundCollateral {
  const CollateralBalance* balance = nullptr;
  const CollateralAsset* asset = nullptr;
  const FeedPrice* feed = nullptr;  ///< none: pegged at exactly 1
  Price mark;
  Price initial_price;
  CollateralWeights weights;
  CollateralValue value;
};

struct BoundPosition {
  const Position* position = nullptr;
  const Market* market = nullptr;
  const FeedPrice* feed = nullptr;
  std::size_t pool = cross_pool;  ///< cross_pool or the index of its isolated pool
  PositionConstants constants;
  PositionValue value;
};

struct BoundPool {
  std::size_t index = cross_pool;
  std::vector<std::size_t> positions;   ///< into BoundAccount::positions
  std::vector<std::size_t> collateral;  ///< into BoundAccount::collateral (cross only)
  // Isolated pools: their own margin, in the market's margin asset.
  std::optional<Money> isolated_margin;
  Money isolated_margin_value;          ///< at the mark
  Money isolated_margin_initial_value;  ///< at min(mark, stable)
};

struct BoundAccount {
  const RiskParameters* params = nullptr;
  const MarketState* prices = nullptr;
  const Account* account = nullptr;
  std::vector<BoundCollateral> collateral;
  std::vector<BoundPosition> positions;
  BoundPool cross;
  std::vector<BoundPool> isolated;
};

/// Resolves and values everything at the current prices.
[[nodiscard]] Result<BoundAccount> bind(const RiskParameters& params, const MarketState& prices,
                                        const Account& account);

/// The isolated margin's value at `price` (coins at the price for inverse
/// markets; as is for linear ones).
[[nodiscard]] Result<Money> isolated_margin_value(const BoundPosition& p, Money margin, Price price);

}  // namespace vmargin::detail
