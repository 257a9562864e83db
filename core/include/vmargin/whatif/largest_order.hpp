// Pre-trade (docs/spec.md §9): the largest order in a market on a side that
// still meets the initial requirement of the pool it lands in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vmargin/engine/report.hpp"
#include "vmargin/whatif/scenario.hpp"

namespace vmargin {

enum class OrderSide : std::uint8_t { buy, sell };

struct OrderQuery {
  std::string market;
  OrderSide side = OrderSide::buy;
  std::optional<Price> price;  ///< the mark when absent
};

struct LargestOrder {
  std::string market;
  OrderSide side = OrderSide::buy;
  Price price;            ///< the fill price used
  Quantity quantity;      ///< n x lot size, signed by the side
  PoolReport pool_after;  ///< the pool the order lands in, after the order of n lots
};

/// The largest n such that every order of 1..n lots passes (§9), found by
/// doubling and halving. `scenario` (shocks, collateral, orders) applies first.
[[nodiscard]] Result<LargestOrder> largest_order(const RiskParameters& params, const MarketState& prices,
                                                 const Account& account, const Scenario& scenario,
                                                 const OrderQuery& query);

}  // namespace vmargin
