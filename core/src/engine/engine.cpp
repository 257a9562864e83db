// The evaluation: bind, value the pools, then the liquidation figures
// (docs/spec.md §5-§7).
#include "vmargin/engine/engine.hpp"

#include <algorithm>
#include <string>

#include "vmargin/liquidation/liquidation_plan.hpp"
#include "vmargin/liquidation/pool_curve.hpp"
#include "vmargin/margin/health.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {
namespace {

using detail::BoundAccount;
using detail::BoundCollateral;
using detail::BoundPool;
using detail::BoundPosition;

std::string pool_name(const BoundAccount& a, const BoundPool& pool) {
  return pool.isolated_margin ? "isolated pool of " + a.positions[pool.positions.front()].position->market
                              : std::string("cross pool");
}

// Adds "<what> of the <pool>" to an error; builds nothing unless called.
auto in_pool(const char* what, const BoundAccount& a, const BoundPool& pool) {
  return [what, &a, &pool](Error& e) {
    e.at(input_path::account).context(std::string(what) + " of the " + pool_name(a, pool));
  };
}

// Sums and status of one pool (§6.2).
Result<PoolReport> value_pool(const BoundAccount& a, const BoundPool& pool, Ratio margin_call_ratio) {
  PoolReport r;
  if (pool.isolated_margin) {
    r.collateral_value = pool.isolated_margin_value;
    r.maintenance_collateral_value = pool.isolated_margin_value;
    r.initial_collateral_value = pool.isolated_margin_initial_value;
  }
  for (const std::size_t i : pool.collateral) {
    const BoundCollateral& c = a.collateral[i];
    VMARGIN_TRY(r.collateral_value,
                add(r.collateral_value, c.value.value).on_error(in_pool("collateral value", a, pool)));
    VMARGIN_TRY(r.maintenance_collateral_value,
                add(r.maintenance_collateral_value, c.value.maintenance_value)
                    .on_error(in_pool("maintenance collateral value", a, pool)));
    VMARGIN_TRY(r.initial_collateral_value, add(r.initial_collateral_value, c.value.initial_value)
                                                .on_error(in_pool("initial collateral value", a, pool)));
  }
  for (const std::size_t i : pool.positions) {
    const BoundPosition& p = a.positions[i];
    VMARGIN_TRY(r.unrealized_pnl,
                add(r.unrealized_pnl, p.value.unrealized_pnl).on_error(in_pool("unrealized PnL", a, pool)));
    VMARGIN_TRY(r.initial_margin,
                add(r.initial_margin, p.value.initial_margin).on_error(in_pool("initial margin", a, pool)));
    VMARGIN_TRY(r.maintenance_margin, add(r.maintenance_margin, p.value.maintenance_margin)
                                          .on_error(in_pool("maintenance margin", a, pool)));
  }
  VMARGIN_TRY(r.equity,
              add(r.maintenance_collateral_value, r.unrealized_pnl).on_error(in_pool("equity", a, pool)));
  VMARGIN_TRY(r.initial_equity,
              add(r.initial_collateral_value, r.unrealized_pnl).on_error(in_pool("initial equity", a, pool)));
  VMARGIN_TRY(const Money free,
              sub(r.initial_equity, r.initial_margin).on_error(in_pool("free collateral", a, pool)));
  r.free_collateral = max_of(free, Money::zero());
  VMARGIN_TRY(r.health, sub(r.equity, r.maintenance_margin).on_error(in_pool("health", a, pool)));
  r.margin_ratio = margin_ratio(r.equity, r.maintenance_margin);
  r.status = classify(r.equity, r.maintenance_margin, margin_call_ratio);
  r.insurance_fund_shortfall = r.equity.is_negative() ? -r.equity : Money::zero();
  return r;
}

PositionReport position_report(const BoundPosition& p) {
  PositionReport r;
  const Position& pos = *p.position;
  r.market = pos.market;
  r.kind = p.market->kind;
  r.isolated = pos.is_isolated();
  r.quantity = pos.quantity;
  r.entry_price = pos.entry_price;
  r.mark_price = p.feed->mark;
  r.notional = p.value.notional;
  r.tier_notional = p.value.tier_notional;
  r.pending_funding = pos.pending_funding;
  r.unrealized_pnl = p.value.unrealized_pnl;
  r.tier = p.value.requirement.tier;
  if (p.constants.premium) {
    r.size_premium_initial_rate = p.constants.premium->initial_rate;
    r.size_premium_maintenance_rate = p.constants.premium->maintenance_rate;
  }
  r.initial_from_size_premium = p.value.requirement.initial_from_premium;
  r.maintenance_from_size_premium = p.value.requirement.maintenance_from_premium;
  r.volatility_multiplier = p.constants.volatility_multiplier;
  r.initial_margin = p.value.initial_margin;
  r.maintenance_margin = p.value.maintenance_margin;
  return r;
}

// The nearest of the boundaries below and above the mark (§7.1): ties go
// to the lower price.
std::optional<Price> nearest(Price mark, const std::optional<Price>& below,
                             const std::optional<Price>& above) {
  if (!below) return above;
  if (!above) return below;
  const i128 down = mark.raw() - below->raw();
  const i128 up = above->raw() - mark.raw();
  return up < down ? above : below;
}

struct Boundaries {
  std::optional<Price> liquidation;
  std::optional<Price> bankruptcy;
};

// Liquidation and bankruptcy prices for the pool as one feed moves.
Result<Boundaries> boundaries(const BoundAccount& a, const BoundPool& pool, const PoolReport& pr,
                              const BoundPosition& p, const EvaluationOptions& options) {
  VMARGIN_TRY(const detail::PoolCurve curve,
              detail::PoolCurve::make(a, pool, *p.feed, HealthPoint{pr.equity, pr.maintenance_margin}));
  BoundarySearch s;
  s.mark = p.feed->mark;
  s.tick = p.market->tick_size;
  s.budget = options.search_budget;
  s.at_mark = HealthPoint{pr.equity, pr.maintenance_margin};
  Boundaries b;
  std::optional<Direction> side;
  const bool liquidatable = pr.equity < pr.maintenance_margin;
  if (!liquidatable) {
    s.boundary = Boundary::liquidation;
    s.direction = Direction::below;
    VMARGIN_TRY(const std::optional<Price> below, find_boundary(curve, s));
    s.direction = Direction::above;
    VMARGIN_TRY(const std::optional<Price> above, find_boundary(curve, s));
    b.liquidation = nearest(s.mark, below, above);
    if (b.liquidation) side = (b.liquidation == below) ? Direction::below : Direction::above;
    if (below && above && *below == *above) side = Direction::below;
  }
  if (!is_bankrupt(pr.equity, pr.maintenance_margin)) {
    // Bankruptcy lies beyond liquidation on the same side; with the pool
    // already liquidatable, the nearer side.
    s.boundary = Boundary::bankruptcy;
    if (side) {
      s.direction = *side;
      VMARGIN_TRY(b.bankruptcy, find_boundary(curve, s));
    } else if (liquidatable) {
      s.direction = Direction::below;
      VMARGIN_TRY(const std::optional<Price> below, find_boundary(curve, s));
      s.direction = Direction::above;
      VMARGIN_TRY(const std::optional<Price> above, find_boundary(curve, s));
      b.bankruptcy = nearest(s.mark, below, above);
    }
  }
  return b;
}

// (mark / entry) for longs, (entry / mark) for shorts, x notional / equity.
Result<std::optional<Ratio>> adl_index(const BoundPosition& p, const PoolReport& pool) {
  if (!p.value.unrealized_pnl.is_positive() || !pool.equity.is_positive()) return std::optional<Ratio>{};
  const Position& pos = *p.position;
  const Price mark = p.feed->mark;
  VMARGIN_TRY(const Ratio gain, pos.quantity.is_positive() ? div(mark, pos.entry_price, Round::down)
                                                           : div(pos.entry_price, mark, Round::down));
  VMARGIN_TRY(const Ratio index, mul_div(gain, p.value.notional, pool.equity, Round::down));
  return std::optional<Ratio>{index};
}

CollateralReport collateral_report(const BoundCollateral& c) {
  CollateralReport r;
  r.asset = c.balance->asset;
  r.balance = c.balance->amount;
  r.price = c.mark;
  r.value = c.value.value;
  r.maintenance_weight = c.weights.maintenance;
  r.maintenance_value = c.value.maintenance_value;
  r.initial_weight = c.weights.initial;
  r.initial_value = c.value.initial_value;
  return r;
}

Result<AccountReport> evaluate_validated(const RiskParameters& params, const MarketState& prices,
                                         const Account& account, const EvaluationOptions& options);

}  // namespace

Result<AccountReport> evaluate(const RiskParameters& params, const MarketState& prices,
                               const Account& account, const EvaluationOptions& options) {
  VMARGIN_CHECK(validate(params));
  return evaluate_validated(params, prices, account, options);
}

Result<AccountReport> evaluate(const ValidatedParameters& params, const MarketState& prices,
                               const Account& account, const EvaluationOptions& options) {
  return evaluate_validated(params.get(), prices, account, options);
}

namespace {

Result<AccountReport> evaluate_validated(const RiskParameters& params, const MarketState& prices,
                                         const Account& account, const EvaluationOptions& options) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));
  VMARGIN_TRY(const BoundAccount a, detail::bind(params, prices, account));

  AccountReport report;
  report.account = account.id;
  report.as_of_ms = prices.as_of_ms;
  VMARGIN_TRY(report.cross, value_pool(a, a.cross, params.margin_call_ratio));
  report.isolated.reserve(a.isolated.size());
  for (const BoundPool& pool : a.isolated) {
    VMARGIN_TRY(PoolReport pr, value_pool(a, pool, params.margin_call_ratio));
    report.isolated.push_back(
        IsolatedPoolReport{a.positions[pool.positions.front()].position->market, std::move(pr)});
  }
  const auto pool_of = [&](const BoundPosition& p) -> std::pair<const BoundPool*, PoolReport*> {
    if (p.pool == detail::cross_pool) return {&a.cross, &report.cross};
    return {&a.isolated[p.pool], &report.isolated[p.pool].pool};
  };

  report.positions.reserve(a.positions.size());
  // Positions of one pool on one feed with one tick share their boundaries.
  struct Shared {
    std::size_t pool;
    const FeedPrice* feed;
    i128 tick;
    Boundaries boundaries;
  };
  std::vector<Shared> shared;
  if (options.liquidation_prices) shared.reserve(a.positions.size());
  for (const BoundPosition& p : a.positions) {
    PositionReport r = position_report(p);
    const auto [pool, pool_report] = pool_of(p);
    const auto where = [&p](Error& e) { e.at(input_path::position(p.position->market)); };
    if (options.liquidation_prices) {
      const i128 tick = p.market->tick_size.raw();
      const Shared* found = nullptr;
      for (const Shared& sh : shared) {
        if (sh.pool == p.pool && sh.feed == p.feed && sh.tick == tick) found = &sh;
      }
      if (found == nullptr) {
        VMARGIN_TRY(Boundaries b, boundaries(a, *pool, *pool_report, p, options).on_error([&](Error& e) {
          e.at(input_path::position(p.position->market))
              .context("liquidation price of " + p.position->market);
        }));
        shared.push_back(Shared{p.pool, p.feed, tick, b});
        found = &shared.back();
      }
      r.liquidation_price = found->boundaries.liquidation;
      r.bankruptcy_price = found->boundaries.bankruptcy;
    }
    VMARGIN_TRY(r.adl_index, adl_index(p, *pool_report).on_error(where));
    report.positions.push_back(std::move(r));
  }

  if (options.liquidation_plans) {
    const auto plan = [&](const BoundPool& pool, PoolReport& pr) -> Status {
      if (pr.status != MarginStatus::liquidatable && pr.status != MarginStatus::bankrupt) return Ok{};
      VMARGIN_TRY(pr.liquidation_plan, detail::plan_liquidation(a, pool, pr.equity, pr.maintenance_margin));
      return Ok{};
    };
    VMARGIN_CHECK(plan(a.cross, report.cross));
    for (std::size_t i = 0; i < a.isolated.size(); ++i)
      VMARGIN_CHECK(plan(a.isolated[i], report.isolated[i].pool));
  }

  report.collateral.reserve(a.collateral.size());
  for (const BoundCollateral& c : a.collateral) report.collateral.push_back(collateral_report(c));
  return report;
}

}  // namespace
}  // namespace vmargin
