// Collateral balances: weights with size discounts and premiums and the
// volatility haircut, and their values (docs/spec.md §5.5).
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"

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

struct CollateralValue {
  Money value;              ///< down(balance x mark), signed
  Money maintenance_value;  ///< down(value x maintenance weight)
  Money initial_value;      ///< down(down(balance x initial price) x initial weight)
};
/// `initial_price` is min(mark, stable) for an asset, max(mark, stable) for
/// a liability.
[[nodiscard]] Result<CollateralValue> value_collateral(Money balance, Price mark, Price initial_price,
                                                       const CollateralWeights& weights);

}  // namespace vmargin
