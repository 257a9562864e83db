#include "vmargin/margin/scaling.hpp"

#include "vmargin/numeric/decimal.hpp"

namespace vmargin {

Result<Ratio> volatility_multiplier(const FeedRisk* risk, std::optional<Ratio> sigma) {
  if (risk == nullptr || !sigma) return Ratio::one();
  VMARGIN_TRY(const Ratio ratio, div(*sigma, risk->volatility_reference, Round::up).on_error([&](Error& e) {
    e.context("volatility multiplier of " + risk->feed);
  }));
  return min_of(max_of(ratio, Ratio::one()), risk->max_volatility_multiplier);
}

Result<Ratio> size_discount(Ratio term) {
  // 1.1, the ceiling of Drift's size-discounted weights.
  constexpr Ratio ceiling = Ratio::from_raw(fixed_scale + fixed_scale / 10);
  VMARGIN_TRY(const Ratio denominator, add(Ratio::one(), term));
  return div(ceiling, denominator, Round::down);
}

Result<std::optional<SizePremium>> size_premium(const Market& market, Quantity size) {
  if (market.size_premium_factor.is_zero()) return std::optional<SizePremium>{};
  const auto context = [&market](Error& e) { e.context("size premium of " + market.id); };
  VMARGIN_TRY(const Ratio term, size_term(market.size_premium_factor, size).on_error(context));
  const Tier& base = market.tiers.front();
  SizePremium p;
  VMARGIN_TRY(p.initial_rate, add(four_fifths_up(base.initial_rate), term).on_error(context));
  VMARGIN_TRY(p.maintenance_rate, add(four_fifths_up(base.maintenance_rate), term).on_error(context));
  return std::optional<SizePremium>{p};
}

}  // namespace vmargin
