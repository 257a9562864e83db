// An account's state as the exchange states it: collateral balances and
// open positions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct CollateralBalance {
  std::string asset;  ///< e.g. "USDC"
  Money amount;       ///< signed; negative is a debt
};

struct Position {
  std::string market;  ///< a Market id of the risk parameters
  Quantity quantity;   ///< signed base units: positive long, negative short, nonzero
  Price entry_price;   ///< positive
};

struct Account {
  std::string id;
  /// Sorted by asset, unique.
  std::vector<CollateralBalance> collateral;
  /// Sorted by market, unique: one position per market.
  std::vector<Position> positions;
};

/// Structural rules (nonzero quantities, positive entry prices, sorted
/// unique keys). References to markets and assets are checked by evaluate().
[[nodiscard]] Status validate(const Account& account);

}  // namespace vmargin
