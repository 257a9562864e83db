#include "vmargin/margin/requirement.hpp"

#include "vmargin/margin/tiers.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"

namespace vmargin {
namespace {

struct Branch {
  Money value;
  bool from_premium;
};

// max(tiered, up(base x premium rate)), then up(x multiplier). `first_rate`
// is the first tier's rate: the tiered requirement is never below
// base x first_rate (the table is convex), so a premium rate at or below it
// cannot win and is not computed; a multiplier of exactly 1 changes nothing.
Result<Branch> finish(Money tiered, Money premium_base, const std::optional<Ratio>& premium_rate,
                      Ratio first_rate, Ratio multiplier) {
  Branch b{tiered, false};
  if (premium_rate && *premium_rate > first_rate) {
    VMARGIN_TRY(const Money premium, mul(premium_base, *premium_rate, Round::up));
    if (premium > b.value) b = Branch{premium, true};
  }
  if (multiplier != Ratio::one()) {
    VMARGIN_TRY(b.value, mul(b.value, multiplier, Round::up));
  }
  return b;
}

std::optional<Ratio> initial_rate_of(const std::optional<SizePremium>& p) {
  return p ? std::optional<Ratio>(p->initial_rate) : std::nullopt;
}
std::optional<Ratio> maintenance_rate_of(const std::optional<SizePremium>& p) {
  return p ? std::optional<Ratio>(p->maintenance_rate) : std::nullopt;
}

Requirement combine(std::size_t tier, const Branch& initial, const Branch& maintenance) {
  Requirement r;
  r.tier = tier;
  r.initial = initial.value;
  r.initial_from_premium = initial.from_premium;
  r.maintenance = maintenance.value;
  r.maintenance_from_premium = maintenance.from_premium;
  return r;
}

// up(|S| x rate - amount x P): the difference exact, one rounding.
Result<Money> inverse_tier_value(Money face_abs, Ratio rate, Money amount, Price mark) {
  i128 out = 0;
  if (const Fault f = sum_of_products_fault(face_abs.raw(), rate.raw(), -amount.raw(), mark.raw(),
                                            fixed_scale, Round::up, out);
      f != Fault::none) {
    return arithmetic_error(f, to_string(face_abs) + " x " + to_string(rate) + " - " + to_string(amount) +
                                   " x " + to_string(mark));
  }
  return Money::from_raw(out);
}

std::size_t inverse_tier(const Market& market, Money face_abs, Price mark) {
  // Tier of the exact coin notional |S| / P: |S| / P <= cap  <=>  |S| <= cap x P.
  for (std::size_t i = 0; i + 1 < market.tiers.size(); ++i) {
    if (compare_products(face_abs.raw(), fixed_scale, market.tiers[i].max_notional->raw(), mark.raw()) <= 0)
      return i;
  }
  return market.tiers.size() - 1;
}

Result<Money> linear_tier_value(Money notional, Ratio rate, Money amount) {
  VMARGIN_TRY(const Money gross, mul(notional, rate, Round::up));
  return sub(gross, amount);
}

}  // namespace

Result<Money> linear_maintenance(const Market& market, Money notional,
                                 const std::optional<SizePremium>& premium, Ratio volatility_multiplier) {
  const Tier& t = market.tiers[tier_index(market.tiers, notional)];
  VMARGIN_TRY(const Money tiered, linear_tier_value(notional, t.maintenance_rate, t.maintenance_amount));
  VMARGIN_TRY(const Branch b, finish(tiered, notional, maintenance_rate_of(premium),
                                     market.tiers.front().maintenance_rate, volatility_multiplier));
  return b.value;
}

Result<Money> inverse_maintenance(const Market& market, Money face, Price mark,
                                  const std::optional<SizePremium>& premium, Ratio volatility_multiplier) {
  const Money face_abs = face.abs();
  const Tier& t = market.tiers[inverse_tier(market, face_abs, mark)];
  VMARGIN_TRY(const Money tiered,
              inverse_tier_value(face_abs, t.maintenance_rate, t.maintenance_amount, mark));
  VMARGIN_TRY(const Branch b, finish(tiered, face_abs, maintenance_rate_of(premium),
                                     market.tiers.front().maintenance_rate, volatility_multiplier));
  return b.value;
}

Result<Requirement> linear_requirement(const Market& market, Money notional,
                                       const std::optional<SizePremium>& premium,
                                       Ratio volatility_multiplier) {
  const std::size_t k = tier_index(market.tiers, notional);
  const Tier& t = market.tiers[k];
  VMARGIN_TRY(const Money tier_initial, linear_tier_value(notional, t.initial_rate, t.initial_amount));
  VMARGIN_TRY(const Money tier_maintenance,
              linear_tier_value(notional, t.maintenance_rate, t.maintenance_amount));
  VMARGIN_TRY(const Branch initial, finish(tier_initial, notional, initial_rate_of(premium),
                                           market.tiers.front().initial_rate, volatility_multiplier));
  VMARGIN_TRY(const Branch maintenance, finish(tier_maintenance, notional, maintenance_rate_of(premium),
                                               market.tiers.front().maintenance_rate, volatility_multiplier));
  return combine(k, initial, maintenance);
}

Result<Requirement> inverse_requirement(const Market& market, Money face, Price mark,
                                        const std::optional<SizePremium>& premium,
                                        Ratio volatility_multiplier) {
  const Money face_abs = face.abs();
  const std::size_t k = inverse_tier(market, face_abs, mark);
  const Tier& t = market.tiers[k];
  VMARGIN_TRY(const Money tier_initial, inverse_tier_value(face_abs, t.initial_rate, t.initial_amount, mark));
  VMARGIN_TRY(const Money tier_maintenance,
              inverse_tier_value(face_abs, t.maintenance_rate, t.maintenance_amount, mark));
  // The premium (|S| / P) x rate coins are worth |S| x rate.
  VMARGIN_TRY(const Branch initial, finish(tier_initial, face_abs, initial_rate_of(premium),
                                           market.tiers.front().initial_rate, volatility_multiplier));
  VMARGIN_TRY(const Branch maintenance, finish(tier_maintenance, face_abs, maintenance_rate_of(premium),
                                               market.tiers.front().maintenance_rate, volatility_multiplier));
  return combine(k, initial, maintenance);
}

}  // namespace vmargin
