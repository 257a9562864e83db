#include "vmargin/liquidation/pool_curve.hpp"

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/slope.hpp"

namespace vmargin {
struct PoolCurve::Slopes {
  SlopeSum health;
  SlopeSum equity;
};

namespace {

// The maintenance rate a linear position's requirement grows at with its
// notional on a piece: the first tier's near zero, the last tier's at
// infinity (the premium where it dominates), the current one at the mark.
Ratio linear_rate_at(const PositionValuation& p, bool near_zero, bool at_infinity) {
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
Money inverse_amount_at(const PositionValuation& p, bool near_zero, bool at_infinity) {
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

// Whether a weighted profit's slope applies on a piece (§5.10: profit counts
// at w <= 1, a loss in full, so the PnL term is concave with its kink at
// zero PnL). At the mark: the PnL's sign there (the tangent is only a
// guess). Toward zero and at infinity the proofs need the slope's upper
// resp. lower bound, max(s, w s) resp. min(s, w s), which holds whatever
// the PnL's sign (funding can move the kink anywhere); both are within the
// weighted sum's error of the true slope (SlopeSum::weighted).
bool counts_as_profit(const SlopeSum& pnl, const PositionValuation& p, bool near_zero, bool at_infinity) {
  const i128 slope = pnl.raw_value().value_or(0);
  if (near_zero) return slope < 0;
  if (at_infinity) return slope > 0;
  return p.value.unrealized_pnl.value.is_positive();
}

Error overflow_error() {
  return Error(ErrorCode::overflow, "the pool's equity or requirement does not fit the fixed-point range");
}

Error overflow_on(const FeedPrice& feed) {
  return Error(ErrorCode::overflow,
               "the pool's values on feed " + feed.feed + " do not fit the fixed-point range");
}

// total += term, or the first failure.
void accumulate(Result<Bounded<Money>> term, Bounded<Money>& total, std::optional<Error>& failed) {
  if (failed) return;
  if (term.ok()) term = add(total, *term);
  if (!term.ok()) {
    failed = std::move(term).error();
    return;
  }
  total = *term;
}

}  // namespace

PoolCurve::Slopes PoolCurve::slopes(Piece piece, bool with_equity) const {
  const bool near_zero = piece == Piece::near_zero;
  const bool at_infinity = piece == Piece::at_infinity;
  Slopes s;
  if (isolated_inverse_ != nullptr) {
    s.health.add_coins(isolated_margin_);
    if (with_equity) s.equity.add_coins(isolated_margin_);
  }
  positions_.each([&](const PositionValuation& p) {
    const Position& pos = *p.position;
    const Ratio m = p.constants.volatility_multiplier;
    SlopeSum pnl;
    if (is_inverse(p.market->kind)) {
      // face / entry + funding coins per unit of price; the requirement
      // falls by amount x m per unit of price, which health gains.
      pnl.add_face_over_entry(p.constants.face, pos.entry_price);
      pnl.add_coins(pos.pending_funding);
      s.health.add_product(inverse_amount_at(p, near_zero, at_infinity), m);
    } else {
      pnl.add(pos.quantity);
      s.health.subtract_requirement(pos.quantity, linear_rate_at(p, near_zero, at_infinity), m);
    }
    if (p.market->maintenance_profit_weight && counts_as_profit(pnl, p, near_zero, at_infinity)) {
      pnl = pnl.weighted(*p.market->maintenance_profit_weight);
    }
    s.health.add(pnl);
    if (with_equity) s.equity.add(pnl);
  });
  collateral_.each([&](const CollateralValuation& c) {
    s.health.add_product(c.balance->amount, c.weights.maintenance);
    if (with_equity) s.equity.add_product(c.balance->amount, c.weights.maintenance);
  });
  return s;
}

Result<PoolCurve> PoolCurve::make(const AccountValuation& account, const PoolValuation& pool,
                                  const FeedPrice& feed, const HealthPoint& at_mark) {
  PoolCurve c;
  c.mark_ = feed.mark;
  for (const std::size_t i : pool.positions) {
    if (account.positions[i].feed == &feed) c.positions_.push(&account.positions[i]);
  }
  for (const std::size_t i : pool.collateral) {
    if (account.collateral[i].feed == &feed) c.collateral_.push(&account.collateral[i]);
  }
  // The items on the feed at the mark, as the valuation computed them, with
  // the bounds of their roundings; an isolated inverse pool's own margin is
  // coins, worth more as the price rises (a linear pool's does not move).
  Bounded<Money> equity_on_feed, maintenance_on_feed;
  if (pool.isolated_margin) {
    const Market* own = account.positions[pool.positions.front()].market;  // an isolated pool's one position
    if (is_inverse(own->kind)) {
      c.isolated_inverse_ = own;
      c.isolated_margin_ = *pool.isolated_margin;
      equity_on_feed = pool.isolated_margin_value;
    }
  }
  std::optional<Error> failed;
  c.positions_.each([&](const PositionValuation& p) {
    accumulate(p.value.equity_pnl(), equity_on_feed, failed);
    accumulate(p.value.requirement.maintenance, maintenance_on_feed, failed);
  });
  c.collateral_.each([&](const CollateralValuation& col) {
    accumulate(col.value.maintenance_value, equity_on_feed, failed);
  });
  if (failed) return overflow_on(feed);
  VMARGIN_TRY(c.equity_other_, sub(at_mark.equity, equity_on_feed.value));
  VMARGIN_TRY(c.maintenance_other_, sub(at_mark.maintenance, maintenance_on_feed.value));
  c.bound_ = Money::from_raw(bound::add(equity_on_feed.error, maintenance_on_feed.error));
  // The tangents at the mark guess where the boundaries are.
  c.health_at_mark_ = at_mark.equity.raw() - at_mark.maintenance.raw();
  c.equity_at_mark_ = at_mark.equity.raw();
  const Slopes s = c.slopes(Piece::at_mark, true);
  c.health_slope_ = s.health.raw_value();
  c.equity_slope_ = s.equity.raw_value();
  return c;
}

bool PoolCurve::may_fall_at_infinity(Boundary boundary) const {
  // Concave health (equity) with a non-negative slope at infinity never
  // falls as the price rises.
  if (!may_fall_high_) {
    const Slopes s = slopes(Piece::at_infinity, true);
    may_fall_high_ = {!s.health.surely_non_negative(), !s.equity.surely_non_negative()};
  }
  return (*may_fall_high_)[boundary == Boundary::liquidation ? 0 : 1];
}

bool PoolCurve::may_fall_toward_zero(Boundary boundary) const {
  // ... and with a non-positive slope near zero, never as it falls.
  if (!may_fall_low_) {
    const Slopes s = slopes(Piece::near_zero, true);
    may_fall_low_ = {!s.health.surely_non_positive(), !s.equity.surely_non_positive()};
  }
  return (*may_fall_low_)[boundary == Boundary::liquidation ? 0 : 1];
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

Result<HealthPoint> PoolCurve::sum_at(Price price, bool equity_only) const {
  // The hot path of every search: plain checked sums of the values (their
  // bounds are the curve's, the same at every price, see make()).
  Money equity = equity_other_, maintenance = maintenance_other_;
  std::optional<Error> failed;
  const auto sum = [&failed](Money& total, Money term) {
    if (!failed && !add_in_place(total, term)) failed = overflow_error();
  };
  positions_.each([&](const PositionValuation& p) {
    if (failed) return;
    if (equity_only) {
      Result<Bounded<Money>> pnl = equity_pnl(*p.market, *p.position, p.constants, price);
      if (!pnl.ok()) return void(failed = std::move(pnl).error());
      return sum(equity, pnl->value);
    }
    Result<PositionHealth> h = position_health(*p.market, *p.position, p.constants, price);
    if (!h.ok()) return void(failed = std::move(h).error());
    sum(equity, h->equity_pnl.value);
    sum(maintenance, h->maintenance_margin.value);
  });
  collateral_.each([&](const CollateralValuation& c) {
    if (failed) return;
    Result<WeightedValue> v = weighted_value(c.balance->amount, price, c.weights.maintenance);
    if (!v.ok()) return void(failed = std::move(v).error());
    sum(equity, v->weighted.value);
  });
  if (isolated_inverse_ != nullptr && !failed) {
    Result<Bounded<Money>> v = isolated_margin_value(*isolated_inverse_, isolated_margin_, price);
    if (!v.ok()) return std::move(v).error();
    sum(equity, v->value);
  }
  // An overflow means the price lies beyond the range the pool can be
  // valued in; the search treats it so.
  if (failed) return std::move(*failed);
  return HealthPoint{equity, maintenance};
}

Result<HealthPoint> PoolCurve::at(Price price) const { return sum_at(price, false); }

Result<Money> PoolCurve::equity_at(Price price) const {
  VMARGIN_TRY(const HealthPoint p, sum_at(price, true));
  return p.equity;
}

Money PoolCurve::rounding_bound(Price /*price*/) const { return bound_; }

}  // namespace vmargin
