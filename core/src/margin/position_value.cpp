#include "vmargin/margin/position_value.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

Result<Money> to_valuation_currency(Money coin_amount, Price coin_price, Round round) {
  VMARGIN_TRY(const i128 r, mul_div_raw(coin_amount.raw(), coin_price.raw(), fixed_scale, round, [&] {
                return to_string(coin_amount) + " coins x price " + to_string(coin_price);
              }));
  return Money::from_raw(r);
}

Result<Money> to_coin(Money value, Price coin_price, Round round) {
  VMARGIN_TRY(const i128 r, mul_div_raw(value.raw(), fixed_scale, coin_price.raw(), round, [&] {
                return to_string(value) + " / price " + to_string(coin_price);
              }));
  return Money::from_raw(r);
}

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

namespace {

struct Core {
  Money notional;
  Money tier_notional;
  Money unrealized_pnl;
};

Result<Core> value_core(const Market& market, const Position& p, const PositionConstants& c, Price mark) {
  Core v;
  VMARGIN_TRY(const Price move, sub(mark, p.entry_price));
  if (!is_inverse(market.kind)) {
    VMARGIN_TRY(v.notional, mul(p.quantity.abs(), mark, Round::up).on_error([](Error& e) {
      e.context("notional (|quantity| x mark)");
    }));
    v.tier_notional = v.notional;
    VMARGIN_TRY(const Money pnl, mul(p.quantity, move, Round::down).on_error([](Error& e) {
      e.context("unrealized PnL (quantity x (mark - entry))");
    }));
    VMARGIN_TRY(v.unrealized_pnl, add(pnl, p.pending_funding));
    return v;
  }
  v.notional = c.face.abs();
  VMARGIN_TRY(v.tier_notional, to_coin(v.notional, mark, Round::up).on_error([](Error& e) {
    e.context("notional in coins (face value / mark)");
  }));
  // face x (1/entry - 1/mark) coins, valued at the mark: face x (mark - entry) / entry.
  VMARGIN_TRY(const i128 pnl_raw, mul_div_raw(c.face.raw(), move.raw(), p.entry_price.raw(), Round::down,
                                              "unrealized PnL (face x (mark - entry) / entry)"));
  VMARGIN_TRY(const Money funding, to_valuation_currency(p.pending_funding, mark, Round::down));
  VMARGIN_TRY(v.unrealized_pnl, add(Money::from_raw(pnl_raw), funding));
  return v;
}

}  // namespace

Result<PositionValue> value_position(const Market& market, const Position& p, const PositionConstants& c,
                                     Price mark) {
  VMARGIN_TRY(const Core core, value_core(market, p, c, mark));
  PositionValue v;
  v.notional = core.notional;
  v.tier_notional = core.tier_notional;
  v.unrealized_pnl = core.unrealized_pnl;
  if (is_inverse(market.kind)) {
    VMARGIN_TRY(v.requirement, inverse_requirement(market, c.face, mark, c.premium, c.volatility_multiplier)
                                   .on_error([](Error& e) { e.context("margin requirement"); }));
  } else {
    VMARGIN_TRY(v.requirement, linear_requirement(market, core.notional, c.premium, c.volatility_multiplier)
                                   .on_error([](Error& e) { e.context("margin requirement"); }));
  }
  v.initial_margin = v.requirement.initial;
  v.maintenance_margin = v.requirement.maintenance;
  return v;
}

Result<Money> position_pnl(const Market& market, const Position& p, const PositionConstants& c, Price mark) {
  VMARGIN_TRY(const Price move, sub(mark, p.entry_price));
  if (!is_inverse(market.kind)) {
    VMARGIN_TRY(const Money pnl, mul(p.quantity, move, Round::down));
    return add(pnl, p.pending_funding);
  }
  VMARGIN_TRY(const i128 pnl_raw, mul_div_raw(c.face.raw(), move.raw(), p.entry_price.raw(), Round::down,
                                              "unrealized PnL (face x (mark - entry) / entry)"));
  VMARGIN_TRY(const Money funding, to_valuation_currency(p.pending_funding, mark, Round::down));
  return add(Money::from_raw(pnl_raw), funding);
}

Result<PositionHealth> position_health(const Market& market, const Position& p, const PositionConstants& c,
                                       Price mark) {
  VMARGIN_TRY(const Core core, value_core(market, p, c, mark));
  PositionHealth h;
  h.unrealized_pnl = core.unrealized_pnl;
  if (is_inverse(market.kind)) {
    VMARGIN_TRY(h.maintenance_margin,
                inverse_maintenance(market, c.face, mark, c.premium, c.volatility_multiplier));
  } else {
    VMARGIN_TRY(h.maintenance_margin,
                linear_maintenance(market, core.notional, c.premium, c.volatility_multiplier));
  }
  return h;
}

}  // namespace vmargin
