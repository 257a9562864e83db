// Collateral balances: weights with size discounts and premiums and the
// volatility haircut, and their values (docs/spec.md §5.5).
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/bounded.hpp"

namespace vmargin {

/// Effective weights of a balance: for an asset (balance >= 0) the
/// maintenance and initial weights lowered for size and volatility (never
/// below 0); for a liability the liability weights raised for both.
struct CollateralWeights {
  Ratio maintenance;
  Ratio initial;
};
[[nodiscard]] Result<CollateralWeights> collateral_weights(const CollateralAsset& asset, Money balance,
                                                           Ratio volatility_multiplier);

/// Mango's deposit limit (docs/spec.md §5.8): an asset's initial weight
/// once the exchange's total deposits of it are worth `deposits_value` (up(D x
/// max(mark, stable))): down(weight x start / deposits_value) above `start`,
/// the weight unchanged at or below it.
[[nodiscard]] Result<Ratio> deposit_scaled_weight(Ratio initial_weight, Money start, Money deposits_value);

/// down(down(balance x price) x weight): an amount of an asset valued and
/// weighted (a liability too: then both roundings charge more).
struct WeightedValue {
  Money value;              ///< down(balance x price), signed
  Bounded<Money> weighted;  ///< down(value x weight)
};
[[nodiscard]] Result<WeightedValue> weighted_value(Money balance, Price price, Ratio weight);

struct CollateralValue {
  Money value;                       ///< down(balance x mark), signed
  Bounded<Money> maintenance_value;  ///< down(value x maintenance weight)
  Money initial_value;               ///< down(down(balance x initial price) x initial weight)
};
/// `initial_price` is min(mark, stable) for an asset, max(mark, stable) for
/// a liability.
[[nodiscard]] Result<CollateralValue> value_collateral(Money balance, Price mark, Price initial_price,
                                                       const CollateralWeights& weights);

}  // namespace vmargin
