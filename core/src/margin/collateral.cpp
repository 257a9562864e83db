#include "vmargin/margin/collateral.hpp"

#include <optional>

#include "vmargin/margin/scaling.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// max(w' - haircut, 0) with w' = min(w, discount) (discount: see below).
Result<Ratio> asset_weight(Ratio weight, const std::optional<Ratio>& discount, Ratio haircut) {
  const Ratio w = discount ? min_of(weight, *discount) : weight;
  VMARGIN_TRY(const Ratio lowered, sub(w, haircut));
  return max_of(lowered, Ratio::zero());
}

// max(lw, up(0.8 x lw) + size term) + haircut.
Result<Ratio> liability_weight(Ratio weight, const std::optional<Ratio>& term, Ratio haircut) {
  Ratio w = weight;
  if (term) {
    VMARGIN_TRY(const Ratio premium, add(four_fifths_up(weight), *term));
    w = max_of(w, premium);
  }
  return add(w, haircut);
}

}  // namespace

Result<CollateralWeights> collateral_weights(const CollateralAsset& asset, Money balance,
                                             Ratio volatility_multiplier) {
  const auto context = [&asset](Error& e) { e.context("collateral weight of " + asset.id); };
  // haircut = up(volatility haircut x (multiplier - 1))
  VMARGIN_TRY(const Ratio excess, sub(volatility_multiplier, Ratio::one()));
  VMARGIN_TRY(const Ratio haircut, mul(asset.volatility_haircut, excess, Round::up).on_error(context));
  // The size term up(imf x up(sqrt(|balance|))) is shared by both weights.
  std::optional<Ratio> term;
  if (asset.size_factor.is_positive() && !balance.is_zero()) {
    VMARGIN_TRY(term, size_term(asset.size_factor, balance).on_error(context));
  }
  CollateralWeights w;
  if (balance.is_negative()) {
    VMARGIN_TRY(w.maintenance,
                liability_weight(asset.maintenance_liability_weight, term, haircut).on_error(context));
    VMARGIN_TRY(w.initial, liability_weight(asset.initial_liability_weight, term, haircut).on_error(context));
    return w;
  }
  // The size discount down(1.1 / (1 + term)).
  std::optional<Ratio> discount;
  if (term) {
    VMARGIN_TRY(discount, size_discount(*term).on_error(
                              [&](Error& e) { e.context("1.1 / (1 + size term) of " + asset.id); }));
  }
  VMARGIN_TRY(w.maintenance, asset_weight(asset.maintenance_weight, discount, haircut).on_error(context));
  VMARGIN_TRY(w.initial, asset_weight(asset.initial_weight, discount, haircut).on_error(context));
  return w;
}

Result<Ratio> deposit_scaled_weight(Ratio initial_weight, Money start, Money deposits_value) {
  if (deposits_value <= start) return initial_weight;
  return mul_div_to<Ratio>(initial_weight, start, deposits_value, Round::down);
}

Result<WeightedValue> weighted_value(Money balance, Price price, Ratio weight) {
  WeightedValue v;
  VMARGIN_TRY(const Bounded<Money> value,
              rounded_coins_to_value(balance, price, Round::down).on_error([&](Error& e) {
                e.context("balance " + to_string(balance) + " x price " + to_string(price));
              }));
  v.value = value.value;
  VMARGIN_TRY(v.weighted, scale(value, weight, Round::down));
  return v;
}

Result<CollateralValue> value_collateral(Money balance, Price mark, Price initial_price,
                                         const CollateralWeights& weights) {
  VMARGIN_TRY(const WeightedValue at_mark, weighted_value(balance, mark, weights.maintenance));
  VMARGIN_TRY(const WeightedValue at_initial, weighted_value(balance, initial_price, weights.initial));
  return CollateralValue{at_mark.value, at_mark.weighted, at_initial.weighted.value};
}

}  // namespace vmargin
