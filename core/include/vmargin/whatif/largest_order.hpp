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
/// doubling and halving, up to the largest n whose quantity is representable.
/// `scenario` (shocks, collateral, orders) applies first. An error when the
/// account itself cannot be evaluated (the evaluation's error), or when the
/// answer is a reduction (passing by rule) whose pool cannot be valued (its
/// reason, at /query): pool_after always comes from an evaluation.
[[nodiscard]] Result<LargestOrder> largest_order(const RiskParameters& params, const MarketState& prices,
                                                 const Account& account, const Scenario& scenario,
                                                 const OrderQuery& query);

}  // namespace vmargin
