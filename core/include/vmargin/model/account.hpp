// An account's state as the exchange states it: collateral balances and
// open positions, each either in the shared cross pool or isolated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct CollateralBalance {
  std::string asset;  ///< a CollateralAsset id
  Money amount;       ///< signed; negative is a liability (a borrow)
};

struct Position {
  std::string market;  ///< a Market id of the risk parameters
  Quantity quantity;   ///< signed: positive long, negative short, nonzero
  Price entry_price;   ///< positive
  /// Funding accrued but not yet settled, in the market's margin asset
  /// (valuation currency for linear, coin for inverse); positive is owed to
  /// the account.
  Money pending_funding;
  /// Present: the position is isolated, with this much margin of its own (in
  /// the market's margin asset). Absent: it is in the cross pool.
  std::optional<Money> isolated_margin;

  [[nodiscard]] bool is_isolated() const noexcept { return isolated_margin.has_value(); }
};

/// How the account's cross pool is margined (docs/spec.md §14.1).
enum class MarginMode : std::uint8_t {
  standard,   ///< per-position requirements (§5, §13)
  portfolio,  ///< worst loss over a scenario grid per underlying (§14)
};

struct Account {
  std::string id;
  MarginMode margin_mode = MarginMode::standard;
  /// Sorted by asset, unique.
  std::vector<CollateralBalance> collateral;
  /// Sorted by market, unique: one position per market.
  std::vector<Position> positions;
};

/// Structural rules (nonzero quantities, positive entry prices, non-negative
/// isolated margins, sorted unique keys). References to markets and assets
/// are checked by evaluate().
[[nodiscard]] Status validate(const Account& account);

}  // namespace vmargin
