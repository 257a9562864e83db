#include "vmargin/liquidation/liquidation_plan.hpp"

#include <algorithm>

#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"

namespace vmargin {

Result<Money> liquidation_fee(const PositionValuation& p, Quantity size) {
  if (is_inverse(p.market->kind)) {
    VMARGIN_TRY(const Money face, mul(size, p.market->contract_size, Round::up));
    return mul(face, p.market->liquidation_fee_rate, Round::up);
  }
  VMARGIN_TRY(const Money notional, mul(size, p.feed->mark, Round::up));
  return mul(notional, p.market->liquidation_fee_rate, Round::up);
}

Result<Money> maintenance_at_size(const PositionValuation& p, Quantity remaining) {
  if (remaining.is_zero()) return Money::zero();
  Position reduced = *p.position;
  reduced.quantity = remaining;
  VMARGIN_TRY(const PositionConstants c,
              position_constants(*p.market, reduced, p.constants.volatility_multiplier));
  VMARGIN_TRY(const PositionHealth h, position_health(*p.market, reduced, c, p.feed->mark));
  return h.maintenance_margin.value;
}

namespace {

// equity >= maintenance x (1 + buffer), exactly.
bool restored(Money equity, Money maintenance, Ratio one_plus_buffer) {
  return compare_products(equity.raw(), fixed_scale, maintenance.raw(), one_plus_buffer.raw()) >= 0;
}

struct Outcome {
  Quantity reduce_by;
  Money fee;
  Money maintenance;  // of the position after the reduction
};

}  // namespace

Result<LiquidationPlan> plan_liquidation(const AccountValuation& account, const PoolValuation& pool,
                                         Money equity, Money maintenance) {
  VMARGIN_TRY(const Ratio one_plus_buffer, add(Ratio::one(), account.params->liquidation_buffer_ratio));
  std::vector<const PositionValuation*> order;
  for (const std::size_t i : pool.positions) order.push_back(&account.positions[i]);
  std::stable_sort(order.begin(), order.end(), [](const PositionValuation* a, const PositionValuation* b) {
    if (a->value.requirement.maintenance.value != b->value.requirement.maintenance.value)
      return a->value.requirement.maintenance.value > b->value.requirement.maintenance.value;
    return a->position->key() < b->position->key();  // hedge legs: "<market>:long" first
  });

  LiquidationPlan plan;
  Money eq = equity;
  Money mm = maintenance;
  plan.restores = restored(eq, mm, one_plus_buffer) && !eq.is_negative();
  for (const PositionValuation* p : order) {
    if (plan.restores) break;
    const auto where = [p](Error& e) {
      e.at(input_path::position(p->position->key())).context("liquidation plan for " + p->position->key());
    };
    const Quantity size = p->position->quantity.abs();
    const Quantity lot = p->market->lot_size;
    VMARGIN_TRY(const Money mm_without, sub(mm, p->value.requirement.maintenance.value).on_error(where));
    // Lots needed to close it all; the last may be a partial lot.
    VMARGIN_TRY(const i128 lots, mul_div_raw(size.raw(), 1, lot.raw(), Round::up, "lots in the position"));

    // The pool after reducing by k lots: (restored?, outcome).
    const auto after = [&](i128 k) -> Result<std::pair<bool, Outcome>> {
      const i128 by_raw = k >= lots ? size.raw() : k * lot.raw();
      const Quantity by = Quantity::from_raw(by_raw);
      const Quantity left = p->position->quantity.is_negative() ? Quantity::from_raw(-(size.raw() - by_raw))
                                                                : Quantity::from_raw(size.raw() - by_raw);
      VMARGIN_TRY(const Money fee, liquidation_fee(*p, by));
      VMARGIN_TRY(const Money pos_mm, maintenance_at_size(*p, left));
      VMARGIN_TRY(const Money eq_after, sub(eq, fee));
      VMARGIN_TRY(const Money mm_after, add(mm_without, pos_mm));
      return std::pair{restored(eq_after, mm_after, one_plus_buffer), Outcome{by, fee, pos_mm}};
    };

    VMARGIN_TRY(auto full, after(lots).on_error(where));
    i128 chosen = lots;
    Outcome outcome = full.second;
    if (full.first) {
      // Smallest k in [1, lots] that restores: k = 0 does not (the pool is
      // below target), k = lots does.
      i128 lo = 0, hi = lots;
      while (hi - lo > 1) {
        const i128 mid = lo + (hi - lo) / 2;
        VMARGIN_TRY(const auto r, after(mid).on_error(where));
        if (r.first) {
          hi = mid;
          outcome = r.second;
        } else {
          lo = mid;
        }
      }
      chosen = hi;
      if (chosen == lots) outcome = full.second;
      plan.restores = true;
    }
    (void)chosen;
    LiquidationStep step;
    step.market = p->position->key();  // a hedge leg's key names its side
    step.reduce_by = outcome.reduce_by;
    VMARGIN_TRY(step.remaining, sub(size, outcome.reduce_by).on_error(where));
    if (p->position->quantity.is_negative()) step.remaining = -step.remaining;
    step.fee = outcome.fee;
    VMARGIN_TRY(eq, sub(eq, outcome.fee).on_error(where));
    VMARGIN_TRY(mm, add(mm_without, outcome.maintenance).on_error(where));
    plan.steps.push_back(std::move(step));
  }
  plan.equity_after = eq;
  plan.maintenance_margin_after = mm;
  VMARGIN_TRY(plan.target, mul(mm, one_plus_buffer, Round::up));
  return plan;
}

}  // namespace vmargin
