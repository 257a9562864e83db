#include "vmargin/margin/position_value.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

Result<PositionConstants> position_constants(const Market& market, const Position& position,
                                             Ratio volatility_multiplier) {
  PositionConstants c;
  c.volatility_multiplier = volatility_multiplier;
  VMARGIN_TRY(c.premium, size_premium(market, position.quantity.abs()));
  if (is_inverse(market.kind)) {
    // The contract size is a whole number, so this product is exact.
    VMARGIN_TRY(c.face,
                mul(position.quantity, market.contract_size, Round::toward_zero).on_error([&](Error& e) {
                  e.context("face value (quantity x contract size)");
                }));
  }
  return c;
}

Result<Exposure> position_exposure(const Market& market, const Position& p, const PositionConstants& c,
                                   Price mark) {
  if (is_inverse(market.kind)) return inverse_exposure(c.face.abs(), mark);
  VMARGIN_TRY(const Bounded<Money> notional,
              rounded_mul(p.quantity.abs(), mark, Round::up).on_error([](Error& e) {
                e.context("notional (|quantity| x mark)");
              }));
  return linear_exposure(notional);
}

Result<Bounded<Money>> unrealized_pnl(const Market& market, const Position& p, const PositionConstants& c,
                                      Price mark) {
  VMARGIN_TRY(const PriceMove move, price_move(mark, p.entry_price));
  if (!is_inverse(market.kind)) {
    VMARGIN_TRY(const Bounded<Money> pnl, rounded_mul(p.quantity, move, Round::down).on_error([](Error& e) {
      e.context("unrealized PnL (quantity x (mark - entry))");
    }));
    return add(pnl, Bounded<Money>::exact(p.pending_funding));
  }
  // face x (1/entry - 1/mark) coins, valued at the mark: face x (mark - entry) / entry.
  VMARGIN_TRY(const Bounded<Money> pnl,
              rounded_mul_div<Money>(c.face, move, p.entry_price, Round::down).on_error([](Error& e) {
                e.context("unrealized PnL (face x (mark - entry) / entry)");
              }));
  VMARGIN_TRY(const Bounded<Money> funding, rounded_coins_to_value(p.pending_funding, mark, Round::down));
  return add(pnl, funding);
}

Result<Money> open_interest_notional(const Market& market, Quantity open_interest, Price mark) {
  if (!is_inverse(market.kind)) {
    VMARGIN_TRY(const Bounded<Money> notional, rounded_mul(open_interest, mark, Round::up));
    return notional.value;
  }
  // One rounding, no intermediate: up(OI x contract size / mark).
  return mul_div_to<Money>(open_interest, market.contract_size, mark, Round::up);
}

Result<Money> initial_profit(const Market& market, Money pnl) {
  if (!pnl.is_positive()) return pnl;
  Ratio weight = market.initial_profit_weight.value_or(Ratio::one());
  if (market.profit_size_factor && market.profit_size_factor->is_positive()) {
    VMARGIN_TRY(const Ratio term, size_term(*market.profit_size_factor, pnl));
    VMARGIN_TRY(const Ratio discount, size_discount(term));
    weight = min_of(weight, discount);
  }
  return mul(pnl, weight, Round::down);
}

Result<Bounded<Money>> maintenance_profit(const Market& market, const Bounded<Money>& pnl) {
  if (!market.maintenance_profit_weight) return pnl;
  const Ratio weight = *market.maintenance_profit_weight;
  if (!pnl.value.is_positive()) return Bounded<Money>{pnl.value, bound::scaled(pnl.error, weight)};
  return scale(pnl, weight, Round::down);
}

Result<Bounded<Money>> equity_pnl(const Market& market, const Position& position,
                                  const PositionConstants& constants, Price mark) {
  VMARGIN_TRY(const Bounded<Money> pnl, unrealized_pnl(market, position, constants, mark));
  return maintenance_profit(market, pnl);
}

Result<PositionValue> value_position(const Market& market, const Position& p, const PositionConstants& c,
                                     Price mark) {
  PositionValue v;
  VMARGIN_TRY(const Exposure exposure, position_exposure(market, p, c, mark));
  v.notional = exposure.notional.value;
  if (is_inverse(market.kind)) {
    VMARGIN_TRY(v.tier_notional, value_to_coins(v.notional, mark, Round::up).on_error([](Error& e) {
      e.context("notional in coins (face value / mark)");
    }));
  } else {
    v.tier_notional = v.notional;
  }
  VMARGIN_TRY(v.unrealized_pnl, unrealized_pnl(market, p, c, mark));
  VMARGIN_TRY(v.requirement,
              requirement(market, exposure, c.premium, c.volatility_multiplier).on_error([](Error& e) {
                e.context("margin requirement");
              }));
  if (market.open_interest_scaling && c.open_interest) {
    const auto context = [](Error& e) { e.context("open interest margin"); };
    VMARGIN_TRY(const Money x, open_interest_notional(market, *c.open_interest, mark).on_error(context));
    VMARGIN_TRY(v.open_interest_margin,
                open_interest_margin(*market.open_interest_scaling, x, v.notional, v.requirement.initial)
                    .on_error(context));
    VMARGIN_TRY(v.requirement.initial, add(v.requirement.initial, *v.open_interest_margin).on_error(context));
  }
  if (market.maintenance_profit_weight) {
    VMARGIN_TRY(v.maintenance_unrealized_pnl,
                maintenance_profit(market, v.unrealized_pnl).on_error([](Error& e) {
                  e.context("profit in equity");
                }));
  }
  if (market.weighs_profit()) {
    VMARGIN_TRY(v.initial_unrealized_pnl,
                initial_profit(market, v.unrealized_pnl.value).on_error([](Error& e) {
                  e.context("profit in initial equity");
                }));
  }
  return v;
}

Result<PositionHealth> position_health(const Market& market, const Position& p, const PositionConstants& c,
                                       Price mark) {
  VMARGIN_TRY(const Exposure exposure, position_exposure(market, p, c, mark));
  PositionHealth h;
  VMARGIN_TRY(h.equity_pnl, equity_pnl(market, p, c, mark));
  VMARGIN_TRY(const RequirementPart mm,
              margin_requirement(market, exposure, requirement_tier(market, exposure), c.premium,
                                 c.volatility_multiplier, MarginKind::maintenance)
                  .on_error([](Error& e) { e.context("margin requirement"); }));
  h.maintenance_margin = mm.amount;
  return h;
}

}  // namespace vmargin
