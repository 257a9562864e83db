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

/// A parallel shift of an underlying's implied volatilities, in vol points
/// (10 = +0.10 on every strike's sigma; the result is floored at 0).
struct VolatilityShock {
  std::string feed;
  Ratio points;
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
  /// Also moves the forwards of the feed's option expiries by the same factor.
  std::vector<PriceShock> shocks;                    ///< sorted by feed, unique
  std::vector<CollateralChange> collateral;          ///< sorted by asset, unique
  std::vector<Order> orders;                         ///< applied in order
  std::vector<VolatilityShock> volatility_shocks{};  ///< sorted by feed, unique
  /// Time decay: the evaluation time moves this many days later (>= 0).
  std::int64_t days_forward = 0;

  /// Nothing to apply: the evaluation is the plain one.
  [[nodiscard]] bool empty() const noexcept {
    return shocks.empty() && collateral.empty() && orders.empty() && volatility_shocks.empty() &&
           days_forward == 0;
  }
};

/// The inputs after the scenario: prices shocked, balances changed, orders
/// filled (netting against existing positions, realized PnL settled).
struct ScenarioInputs {
  MarketState prices;
  Account account;
};
[[nodiscard]] Result<ScenarioInputs> apply_scenario(const RiskParameters& params, const MarketState& prices,
                                                    const Account& account, const Scenario& scenario);

/// The same for parameters already validated (the caller proves it).
[[nodiscard]] Result<ScenarioInputs> apply_scenario_validated(const RiskParameters& params,
                                                              const MarketState& prices,
                                                              const Account& account,
                                                              const Scenario& scenario);

/// Fills one order against the account (§9 step 3): `index` locates errors
/// at /scenario/orders/<index>. Preconditions: validated parameters.
[[nodiscard]] Status apply_order(const RiskParameters& params, const MarketState& prices, Account& account,
                                 const Order& order, std::size_t index);

}  // namespace vmargin
