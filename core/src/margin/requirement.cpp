#include "vmargin/margin/requirement.hpp"

#include "vmargin/margin/tiers.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {
namespace {

// The tiered requirement in the valuation currency.
Result<Bounded<Money>> tier_value(const Exposure& e, Ratio rate, Money amount) {
  if (!e.inverse) {
    VMARGIN_TRY(const Bounded<Money> gross, scale(e.notional, rate, Round::up));
    return sub(gross, amount);
  }
  // up(|S| x rate - amount x P): the difference exact, one rounding.
  VMARGIN_TRY(const Money v, face_rate_less_coins_value(e.notional.value, rate, amount, e.mark, Round::up));
  return Bounded<Money>{v, 1};
}

}  // namespace

std::size_t requirement_tier(const Market& market, const Exposure& exposure) noexcept {
  if (!exposure.inverse) return tier_index(market.tiers, exposure.notional.value);
  // |S| / P <= cap  <=>  |S| x 1 <= cap x P.
  for (std::size_t i = 0; i + 1 < market.tiers.size(); ++i) {
    if (face_within_coins_at(exposure.notional.value, *market.tiers[i].max_notional, exposure.mark)) return i;
  }
  return market.tiers.size() - 1;
}

Result<RequirementPart> margin_requirement(const Market& market, const Exposure& exposure, std::size_t tier,
                                           const std::optional<SizePremium>& premium,
                                           Ratio volatility_multiplier, MarginKind kind) {
  const bool initial = kind == MarginKind::initial;
  const Tier& t = market.tiers[tier];
  VMARGIN_TRY(const Bounded<Money> tiered, tier_value(exposure, initial ? t.initial_rate : t.maintenance_rate,
                                                      initial ? t.initial_amount : t.maintenance_amount));
  RequirementPart r{tiered, false};
  // The tiered requirement is never below notional x first-tier rate (the
  // table is convex), so a premium rate at or below it cannot win and is
  // not computed.
  const Ratio first_rate =
      initial ? market.tiers.front().initial_rate : market.tiers.front().maintenance_rate;
  if (premium) {
    const Ratio rate = initial ? premium->initial_rate : premium->maintenance_rate;
    if (rate > first_rate) {
      VMARGIN_TRY(const Bounded<Money> floor, scale(exposure.notional, rate, Round::up));
      r = RequirementPart{max_of(tiered, floor), floor.value > tiered.value};
    }
  }
  // A multiplier of exactly 1 changes nothing.
  if (volatility_multiplier != Ratio::one()) {
    VMARGIN_TRY(r.amount, scale(r.amount, volatility_multiplier, Round::up));
  }
  return r;
}

Result<Money> open_interest_margin(const OpenInterestScaling& scaling, Money open_interest_notional,
                                   Money notional, Money initial_margin) {
  if (open_interest_notional <= scaling.lower_cap || initial_margin >= notional) return Money::zero();
  VMARGIN_TRY(const Money room, sub(notional, initial_margin));
  if (open_interest_notional >= scaling.upper_cap) return room;
  // Both differences are positive and below the caps' range: no overflow.
  VMARGIN_TRY(const Money above, sub(open_interest_notional, scaling.lower_cap));
  VMARGIN_TRY(const Money span, sub(scaling.upper_cap, scaling.lower_cap));
  return mul_div_to<Money>(room, above, span, Round::up);
}

Result<Requirement> requirement(const Market& market, const Exposure& exposure,
                                const std::optional<SizePremium>& premium, Ratio volatility_multiplier) {
  Requirement r;
  r.tier = requirement_tier(market, exposure);
  VMARGIN_TRY(const RequirementPart initial, margin_requirement(market, exposure, r.tier, premium,
                                                                volatility_multiplier, MarginKind::initial));
  VMARGIN_TRY(
      const RequirementPart maintenance,
      margin_requirement(market, exposure, r.tier, premium, volatility_multiplier, MarginKind::maintenance));
  r.initial = initial.amount.value;
  r.initial_from_premium = initial.from_premium;
  r.maintenance = maintenance.amount;
  r.maintenance_from_premium = maintenance.from_premium;
  return r;
}

}  // namespace vmargin
