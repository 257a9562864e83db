#include "vmargin/liquidation/pool_curve.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin::detail {
namespace {

// down(down(balance x price) x weight): the maintenance value of collateral.
Result<Money> collateral_at(const BoundCollateral& c, Price price) {
  VMARGIN_TRY(const i128 value, mul_div_raw(c.balance->amount.raw(), price.raw(), fixed_scale, Round::down,
                                            [&] { return "value of " + c.asset->id; }));
  return mul(Money::from_raw(value), c.weights.maintenance, Round::down);
}

// ceil(r) in whole units, at least 1: for error bounds counted in units of 10^-18.
i128 whole_ceiling(Ratio r) {
  const i128 w = (r.raw() + fixed_scale - 1) / fixed_scale;
  return w < 1 ? 1 : w;
}

// docs/liquidation.md "Rounding bound": how far each rounded term can be
// below (values) or above (requirements) its exact counterpart, in units of
// 10^-18. None of them grows with the price.
i128 position_bound(const BoundPosition& p) {
  const i128 m = whole_ceiling(p.constants.volatility_multiplier);
  if (is_inverse(p.market->kind)) {
    // PnL 1, funding 1; tier and premium values one rounding each, then x m.
    return 2 + m + 1;
  }
  // PnL 1; notional 1 x rate (<= max(1, premium rate)) + 1; then x m.
  const i128 rate = p.constants.premium ? whole_ceiling(p.constants.premium->maintenance_rate) : 1;
  return 1 + m * (rate + 1) + 1;
}

i128 collateral_bound(const BoundCollateral& c) { return whole_ceiling(c.weights.maintenance) + 1; }

}  // namespace

namespace {

// A slope (money per unit of price, raw) summed term by term with one
// rounding per product, and the count of units those roundings can be off
// by: the sign is known when |value| exceeds the error. `known` turns false
// on overflow (then nothing is claimed).
struct Slope {
  i128 value = 0;
  i128 error = 0;
  bool known = true;
  void add_exact(i128 v) {
    if (!known || __builtin_add_overflow(value, v, &value)) known = false;
  }
  // + x x y / 10^18 (one rounding: error 1).
  void add_product(i128 x, i128 y, bool negate = false) {
    i128 p = 0;
    if (!known || mul_div_fault(x, y, fixed_scale, Round::toward_zero, p) != Fault::none) {
      known = false;
      return;
    }
    add_exact(negate ? -p : p);
    error += 1;
  }
  // + x x y x z / 10^36 (two roundings: error 1 x z / 10^18 + 1).
  void add_product3(i128 x, i128 y, i128 z, bool negate = false) {
    i128 a = 0, p = 0;
    if (!known || mul_div_fault(x, y, fixed_scale, Round::toward_zero, a) != Fault::none ||
        mul_div_fault(a, z, fixed_scale, Round::toward_zero, p) != Fault::none) {
      known = false;
      return;
    }
    add_exact(negate ? -p : p);
    error += z / fixed_scale + 2;
  }
  [[nodiscard]] bool surely_negative() const { return known && value < -error; }
  [[nodiscard]] bool surely_positive() const { return known && value > error; }
};

// The maintenance requirement's slope in the price, for a linear position
// whose requirement is `rate` x notional (x multiplier): |q| x rate x m.
Ratio linear_rate_at(const BoundPosition& p, bool near_zero, bool at_infinity) {
  const Market& m = *p.market;
  Ratio rate = near_zero     ? m.tiers.front().maintenance_rate
               : at_infinity ? m.tiers.back().maintenance_rate
                             : m.tiers[p.value.requirement.tier].maintenance_rate;
  if (p.constants.premium) {
    const Ratio premium = p.constants.premium->maintenance_rate;
    if (near_zero || at_infinity)
      rate = max_of(rate, premium);
    else if (p.value.requirement.maintenance_from_premium)
      rate = premium;
  }
  return rate;
}

// An inverse position's maintenance requirement |S| x rate - amount x P
// falls with the price at amount x m per unit while the tier sets it.
Money inverse_amount_at(const BoundPosition& p, bool near_zero, bool at_infinity) {
  const Market& m = *p.market;
  if (at_infinity) return Money::zero();  // the first tier (amount 0), or the flat premium
  const Tier& t = near_zero ? m.tiers.back() : m.tiers[p.value.requirement.tier];
  if (near_zero) {
    // The coin notional grows without bound: the last tier, unless the
    // premium (flat in the price) dominates it.
    if (p.constants.premium && p.constants.premium->maintenance_rate >= t.maintenance_rate)
      return Money::zero();
    return t.maintenance_amount;
  }
  return p.value.requirement.maintenance_from_premium ? Money::zero() : t.maintenance_amount;
}

}  // namespace

Result<PoolCurve> PoolCurve::make(const BoundAccount& account, const BoundPool& pool, const FeedPrice& feed,
                                  const HealthPoint& at_mark) {
  PoolCurve c;
  c.feed_ = &feed;
  for (const std::size_t i : pool.positions) {
    if (account.positions[i].feed == &feed) c.positions_.push(&account.positions[i]);
  }
  for (const std::size_t i : pool.collateral) {
    if (account.collateral[i].feed == &feed) c.collateral_.push(&account.collateral[i]);
  }
  c.mark_ = feed.mark;
  // An isolated inverse pool's own margin is coins, worth more as the price
  // rises; a linear pool's margin does not move (it stays in equity_other_).
  if (pool.isolated_margin && is_inverse(account.positions[pool.positions.front()].market->kind)) {
    c.isolated_inverse_ = &account.positions[pool.positions.front()];
    c.isolated_margin_ = *pool.isolated_margin;
  }
  i128 equity_on_feed = c.isolated_inverse_ != nullptr ? pool.isolated_margin_value.raw() : 0;
  i128 maintenance_on_feed = 0;
  i128 bound = c.isolated_inverse_ != nullptr ? 2 : 1;
  // Slopes of the exact health and equity in the pieces at the mark: the
  // tangents that guess where the boundaries are.
  Slope health, equity;
  if (c.isolated_inverse_ != nullptr) {
    health.add_exact(c.isolated_margin_.raw());
    equity.add_exact(c.isolated_margin_.raw());
  }
  bool overflow = false;
  c.for_positions([&](const BoundPosition& p) {
    overflow |= __builtin_add_overflow(equity_on_feed, p.value.unrealized_pnl.raw(), &equity_on_feed);
    overflow |=
        __builtin_add_overflow(maintenance_on_feed, p.value.maintenance_margin.raw(), &maintenance_on_feed);
    bound += position_bound(p);
    const Position& pos = *p.position;
    if (is_inverse(p.market->kind)) {
      i128 pnl_slope = 0;  // face / entry + funding coins per unit of price
      if (mul_div_fault(p.constants.face.raw(), fixed_scale, pos.entry_price.raw(), Round::toward_zero,
                        pnl_slope) != Fault::none) {
        health.known = equity.known = false;
        return;
      }
      for (Slope* s : {&health, &equity}) {
        s->add_exact(pnl_slope);
        s->add_exact(pos.pending_funding.raw());
        s->error += 1;
      }
      // The requirement falls by amount x m per unit of price; health gains it.
      health.add_product(inverse_amount_at(p, false, false).raw(), p.constants.volatility_multiplier.raw());
    } else {
      health.add_exact(pos.quantity.raw());
      equity.add_exact(pos.quantity.raw());
      health.add_product3(pos.quantity.abs().raw(), linear_rate_at(p, false, false).raw(),
                          p.constants.volatility_multiplier.raw(), true);
    }
  });
  c.for_collateral([&](const BoundCollateral& col) {
    overflow |= __builtin_add_overflow(equity_on_feed, col.value.maintenance_value.raw(), &equity_on_feed);
    bound += collateral_bound(col);
    health.add_product(col.balance->amount.raw(), col.weights.maintenance.raw());
    equity.add_product(col.balance->amount.raw(), col.weights.maintenance.raw());
  });
  if (overflow || !is_fixed_raw(equity_on_feed) || !is_fixed_raw(maintenance_on_feed))
    return Error(ErrorCode::overflow,
                 "the pool's values on feed " + feed.feed + " do not fit the fixed-point range");
  VMARGIN_TRY(c.equity_other_, sub(at_mark.equity, Money::from_raw(equity_on_feed)));
  VMARGIN_TRY(c.maintenance_other_, sub(at_mark.maintenance, Money::from_raw(maintenance_on_feed)));
  c.bound_ = Money::from_raw(bound);
  c.health_at_mark_ = at_mark.equity.raw() - at_mark.maintenance.raw();
  c.equity_at_mark_ = at_mark.equity.raw();
  if (health.known) c.health_slope_ = health.value;
  if (equity.known) c.equity_slope_ = equity.value;
  return c;
}

bool PoolCurve::may_fall(bool at_infinity) const {
  // The slope of the exact health as the price grows without bound (or
  // tends to zero), summed term by term with its rounding error.
  Slope slope;
  if (isolated_inverse_ != nullptr) slope.add_exact(isolated_margin_.raw());
  for_positions([&](const BoundPosition& p) {
    const Position& pos = *p.position;
    const i128 m = p.constants.volatility_multiplier.raw();
    if (is_inverse(p.market->kind)) {
      i128 pnl_slope = 0;
      if (mul_div_fault(p.constants.face.raw(), fixed_scale, pos.entry_price.raw(), Round::toward_zero,
                        pnl_slope) != Fault::none) {
        slope.known = false;
        return;
      }
      slope.add_exact(pnl_slope);
      slope.add_exact(pos.pending_funding.raw());
      slope.error += 1;
      slope.add_product(inverse_amount_at(p, !at_infinity, at_infinity).raw(), m);
    } else {
      slope.add_exact(pos.quantity.raw());
      slope.add_product3(pos.quantity.abs().raw(), linear_rate_at(p, !at_infinity, at_infinity).raw(), m,
                         true);
    }
  });
  for_collateral([&](const BoundCollateral& col) {
    slope.add_product(col.balance->amount.raw(), col.weights.maintenance.raw());
  });
  // Concave health with a non-negative slope at infinity never falls as the
  // price rises; with a non-positive slope near zero, never as it falls.
  if (at_infinity) return !(slope.known && slope.value >= slope.error);
  return !(slope.known && slope.value <= -slope.error);
}

bool PoolCurve::may_fall_at_infinity() const {
  if (!may_fall_high_) may_fall_high_ = may_fall(true);
  return *may_fall_high_;
}

bool PoolCurve::may_fall_toward_zero() const {
  if (!may_fall_low_) may_fall_low_ = may_fall(false);
  return *may_fall_low_;
}

std::optional<Price> PoolCurve::tangent_root(Boundary boundary, Direction direction) const {
  const std::optional<i128>& slope = boundary == Boundary::liquidation ? health_slope_ : equity_slope_;
  const i128 value = boundary == Boundary::liquidation ? health_at_mark_ : equity_at_mark_;
  if (!slope || *slope == 0 || *slope == i128_min || value < 0) return std::nullopt;
  // The tangent reaches zero where P = P0 - value / slope.
  const bool falls_below = *slope > 0;
  if (falls_below != (direction == Direction::below)) return std::nullopt;
  i128 shift = 0;
  const i128 steepness = *slope < 0 ? -*slope : *slope;  // slopes are sums within the fixed range
  if (mul_div_fault(value, fixed_scale, steepness, Round::up, shift) != Fault::none) return std::nullopt;
  i128 root = 0;
  if (direction == Direction::below) {
    if (sub_fault(mark_.raw(), shift, root) != Fault::none || root <= 0) return std::nullopt;
  } else if (add_fault(mark_.raw(), shift, root) != Fault::none) {
    return std::nullopt;
  }
  return Price::from_raw(root);
}

Result<HealthPoint> PoolCurve::at(Price price) const {
  i128 equity = equity_other_.raw(), maintenance = maintenance_other_.raw();
  std::optional<Error> failed;
  bool overflow = false;
  for_positions([&](const BoundPosition& p) {
    if (failed) return;
    Result<PositionHealth> ph = position_health(*p.market, *p.position, p.constants, price);
    if (!ph.ok()) {
      failed = std::move(ph).error();
      return;
    }
    overflow |= __builtin_add_overflow(equity, ph->unrealized_pnl.raw(), &equity);
    overflow |= __builtin_add_overflow(maintenance, ph->maintenance_margin.raw(), &maintenance);
  });
  for_collateral([&](const BoundCollateral& c) {
    if (failed) return;
    Result<Money> v = collateral_at(c, price);
    if (!v.ok()) {
      failed = std::move(v).error();
      return;
    }
    overflow |= __builtin_add_overflow(equity, v->raw(), &equity);
  });
  if (failed) return std::move(*failed);
  if (isolated_inverse_ != nullptr) {
    VMARGIN_TRY(const Money v, isolated_margin_value(*isolated_inverse_, isolated_margin_, price));
    overflow |= __builtin_add_overflow(equity, v.raw(), &equity);
  }
  if (overflow || !is_fixed_raw(equity) || !is_fixed_raw(maintenance))
    return Error(ErrorCode::overflow, "the pool's equity or requirement does not fit the fixed-point range");
  return HealthPoint{Money::from_raw(equity), Money::from_raw(maintenance)};
}

Result<Money> PoolCurve::equity_at(Price price) const {
  i128 equity = equity_other_.raw();
  std::optional<Error> failed;
  bool overflow = false;
  for_positions([&](const BoundPosition& p) {
    if (failed) return;
    Result<Money> pnl = position_pnl(*p.market, *p.position, p.constants, price);
    if (!pnl.ok()) {
      failed = std::move(pnl).error();
      return;
    }
    overflow |= __builtin_add_overflow(equity, pnl->raw(), &equity);
  });
  for_collateral([&](const BoundCollateral& c) {
    if (failed) return;
    Result<Money> v = collateral_at(c, price);
    if (!v.ok()) {
      failed = std::move(v).error();
      return;
    }
    overflow |= __builtin_add_overflow(equity, v->raw(), &equity);
  });
  if (failed) return std::move(*failed);
  if (isolated_inverse_ != nullptr) {
    VMARGIN_TRY(const Money v, isolated_margin_value(*isolated_inverse_, isolated_margin_, price));
    overflow |= __builtin_add_overflow(equity, v.raw(), &equity);
  }
  if (overflow || !is_fixed_raw(equity))
    return Error(ErrorCode::overflow, "the pool's equity does not fit the fixed-point range");
  return Money::from_raw(equity);
}

Money PoolCurve::rounding_bound(Price /*price*/) const { return bound_; }

}  // namespace vmargin::detail
