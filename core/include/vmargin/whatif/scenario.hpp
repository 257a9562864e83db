// What-if and pre-trade (docs/spec.md §9): the same evaluation under shocked
// prices, changed collateral and hypothetical orders, and the largest order
// that still meets the initial requirement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vmargin/engine/engine.hpp"

namespace vmargin {

struct PriceShock {
  std::string feed;
  Ratio change;  ///< -0.1 is -10%; must be > -1
};

struct CollateralChange {
  std::string asset;
  Money delta;
};

struct Order {
  std::string market;
  Quantity quantity;           ///< signed: positive buys; a nonzero multiple of the lot size
  std::optional<Price> price;  ///< fill price; the mark (after shocks) when absent
};

struct Scenario {
  std::vector<PriceShock> shocks;            ///< sorted by feed, unique
  std::vector<CollateralChange> collateral;  ///< sorted by asset, unique
  std::vector<Order> orders;                 ///< applied in order
};

/// The inputs after the scenario: prices shocked, balances changed, orders
/// filled (netting against existing positions, realized PnL settled).
struct ScenarioInputs {
  MarketState prices;
  Account account;
};
[[nodiscard]] Result<ScenarioInputs> apply_scenario(const RiskParameters& params, const MarketState& prices,
                                                    const Account& account, const Scenario& scenario);

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
