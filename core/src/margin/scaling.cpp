#include "vmargin/margin/scaling.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

Result<Ratio> volatility_multiplier(const FeedRisk* risk, std::optional<Ratio> sigma) {
  if (risk == nullptr || !sigma) return Ratio::one();
  VMARGIN_TRY(const Ratio ratio, div(*sigma, risk->volatility_reference, Round::up).on_error([&](Error& e) {
    e.context("volatility multiplier of " + risk->feed);
  }));
  return min_of(max_of(ratio, Ratio::one()), risk->max_volatility_multiplier);
}

Result<std::optional<SizePremium>> size_premium(const Market& market, Quantity size) {
  if (market.size_premium_factor.is_zero()) return std::optional<SizePremium>{};
  const auto context = [&market](Error& e) { e.context("size premium of " + market.id); };
  VMARGIN_TRY(const Quantity root, sqrt(size, Round::up).on_error(context));
  // imf has units of 1 / sqrt(size): the product is a rate.
  VMARGIN_TRY(const i128 size_term,
              mul_div_raw(market.size_premium_factor.raw(), root.raw(), fixed_scale, Round::up,
                          [&] { return "size premium factor x sqrt(size) of " + market.id; }));
  const Tier& base = market.tiers.front();
  SizePremium p;
  for (auto [rate, out] : {std::pair{base.initial_rate, &p.initial_rate},
                           std::pair{base.maintenance_rate, &p.maintenance_rate}}) {
    VMARGIN_TRY(*out, add(four_fifths_up(rate), Ratio::from_raw(size_term)).on_error(context));
  }
  return std::optional<SizePremium>{p};
}

}  // namespace vmargin
