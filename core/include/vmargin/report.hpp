// What an evaluation produces. Every field is defined in docs/spec.md
// ("Report"); the JSON encoding is the codec's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vmargin/margin/health.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct PositionReport {
  std::string market;
  Quantity quantity;
  Price entry_price;
  Price mark_price;
  Money notional;
  Money unrealized_pnl;
  Money initial_margin;
  Money maintenance_margin;
};

/// A margin pool: collateral and positions that stand for each other.
/// Invariant: maintenance_margin <= initial_margin.
struct PoolReport {
  Money collateral_value;
  Money unrealized_pnl;
  Money equity;  ///< collateral_value + unrealized_pnl
  Money initial_margin;
  Money maintenance_margin;
  Money free_collateral;              ///< max(equity - initial_margin, 0)
  Money health;                       ///< equity - maintenance_margin
  std::optional<Ratio> margin_ratio;  ///< equity / maintenance_margin; none without a requirement
  MarginStatus status = MarginStatus::healthy;
};

struct AccountReport {
  std::string account;
  PoolReport cross;
  std::vector<PositionReport> positions;  ///< sorted by market
};

}  // namespace vmargin
