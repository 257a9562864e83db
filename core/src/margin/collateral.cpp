#include "vmargin/margin/collateral.hpp"

#include <optional>

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// 1.1, the ceiling of Drift's size-discounted asset weight.
constexpr i128 size_discount_numerator = fixed_scale + fixed_scale / 10;

Result<Ratio> size_term(const CollateralAsset& asset, Money balance) {
  VMARGIN_TRY(const Money root, sqrt(balance.abs(), Round::up));
  VMARGIN_TRY(const i128 t, mul_div_raw(asset.size_factor.raw(), root.raw(), fixed_scale, Round::up,
                                        [&] { return "size factor x sqrt(balance) of " + asset.id; }));
  return Ratio::from_raw(t);
}

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
    VMARGIN_TRY(term, size_term(asset, balance).on_error(context));
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
    VMARGIN_TRY(const Ratio denominator, add(Ratio::one(), *term).on_error(context));
    VMARGIN_TRY(const i128 d,
                mul_div_raw(size_discount_numerator, fixed_scale, denominator.raw(), Round::down,
                            [&] { return "1.1 / (1 + size term) of " + asset.id; }));
    discount = Ratio::from_raw(d);
  }
  VMARGIN_TRY(w.maintenance, asset_weight(asset.maintenance_weight, discount, haircut).on_error(context));
  VMARGIN_TRY(w.initial, asset_weight(asset.initial_weight, discount, haircut).on_error(context));
  return w;
}

Result<CollateralValue> value_collateral(Money balance, Price mark, Price initial_price,
                                         const CollateralWeights& weights) {
  CollateralValue v;
  VMARGIN_TRY(const i128 value, mul_div_raw(balance.raw(), mark.raw(), fixed_scale, Round::down, [&] {
                return "balance " + to_string(balance) + " x price " + to_string(mark);
              }));
  v.value = Money::from_raw(value);
  VMARGIN_TRY(v.maintenance_value, mul(v.value, weights.maintenance, Round::down));
  VMARGIN_TRY(const i128 at_initial,
              mul_div_raw(balance.raw(), initial_price.raw(), fixed_scale, Round::down, [&] {
                return "balance " + to_string(balance) + " x price " + to_string(initial_price);
              }));
  VMARGIN_TRY(v.initial_value, mul(Money::from_raw(at_initial), weights.initial, Round::down));
  return v;
}

}  // namespace vmargin
