// The evaluation: value the account, then the liquidation figures, then the
// report (docs/spec.md §5-§8).
#include "vmargin/engine/engine.hpp"

#include <string>
#include <utility>
#include <vector>

#include "vmargin/liquidation/adl.hpp"
#include "vmargin/liquidation/liquidation_plan.hpp"
#include "vmargin/liquidation/liquidation_prices.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {
namespace {

PositionReport position_report(const PositionValuation& p) {
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
  r.unrealized_pnl = p.value.unrealized_pnl.value;
  r.tier = p.value.requirement.tier;
  if (p.constants.premium) {
    r.size_premium_initial_rate = p.constants.premium->initial_rate;
    r.size_premium_maintenance_rate = p.constants.premium->maintenance_rate;
  }
  r.initial_from_size_premium = p.value.requirement.initial_from_premium;
  r.maintenance_from_size_premium = p.value.requirement.maintenance_from_premium;
  r.volatility_multiplier = p.constants.volatility_multiplier;
  r.initial_margin = p.value.requirement.initial;
  r.maintenance_margin = p.value.requirement.maintenance.value;
  return r;
}

CollateralReport collateral_report(const CollateralValuation& c) {
  CollateralReport r;
  r.asset = c.balance->asset;
  r.balance = c.balance->amount;
  r.price = c.mark;
  r.value = c.value.value;
  r.maintenance_weight = c.weights.maintenance;
  r.maintenance_value = c.value.maintenance_value.value;
  r.initial_weight = c.weights.initial;
  r.initial_value = c.value.initial_value;
  return r;
}

// The pools' figures: the cross pool, then each isolated pool.
Status report_pools(const AccountValuation& a, AccountReport& report) {
  VMARGIN_TRY(static_cast<PoolFigures&>(report.cross), pool_figures(a, a.cross));
  report.isolated.reserve(a.isolated.size());
  for (const PoolValuation& pool : a.isolated) {
    IsolatedPoolReport r{a.positions[pool.positions.front()].position->market, {}};
    VMARGIN_TRY(static_cast<PoolFigures&>(r.pool), pool_figures(a, pool));
    report.isolated.push_back(std::move(r));
  }
  return Ok{};
}

const PoolReport& pool_report_of(const PositionValuation& p, const AccountReport& report) {
  return p.pool == cross_pool ? report.cross : report.isolated[p.pool].pool;
}

// Positions, with their liquidation and bankruptcy prices (§7.1-§7.2) and
// ADL index (§7.5). Positions of one pool on one feed with one tick share
// their boundaries: they move together.
Status report_positions(const AccountValuation& a, const EvaluationOptions& options, AccountReport& report) {
  struct Shared {
    std::size_t pool;
    const FeedPrice* feed;
    Price tick;
    Boundaries boundaries;
  };
  std::vector<Shared> shared;
  report.positions.reserve(a.positions.size());
  for (const PositionValuation& p : a.positions) {
    PositionReport r = position_report(p);
    const PoolReport& figures = pool_report_of(p, report);
    const std::string& market = p.position->market;
    if (options.liquidation_prices) {
      const Shared* found = nullptr;
      for (const Shared& s : shared) {
        if (s.pool == p.pool && s.feed == p.feed && s.tick == p.market->tick_size) found = &s;
      }
      if (found == nullptr) {
        VMARGIN_TRY(const Boundaries b,
                    liquidation_boundaries(a, a.pool_of(p), figures, p, options.search_budget)
                        .on_error([&](Error& e) {
                          e.at(input_path::position(market)).context("liquidation price of " + market);
                        }));
        shared.push_back(Shared{p.pool, p.feed, p.market->tick_size, b});
        found = &shared.back();
      }
      r.liquidation_price = found->boundaries.liquidation;
      r.bankruptcy_price = found->boundaries.bankruptcy;
    }
    VMARGIN_TRY(r.adl_index,
                adl_index(p, figures).on_error([&](Error& e) { e.at(input_path::position(market)); }));
    report.positions.push_back(std::move(r));
  }
  return Ok{};
}

// Partial-liquidation plans of liquidatable and bankrupt pools (§7.3).
Status report_plans(const AccountValuation& a, AccountReport& report) {
  const auto plan = [&](const PoolValuation& pool, PoolReport& pr) -> Status {
    if (pr.status != MarginStatus::liquidatable && pr.status != MarginStatus::bankrupt) return Ok{};
    VMARGIN_TRY(pr.liquidation_plan, plan_liquidation(a, pool, pr.equity, pr.maintenance_margin));
    return Ok{};
  };
  VMARGIN_CHECK(plan(a.cross, report.cross));
  for (std::size_t i = 0; i < a.isolated.size(); ++i)
    VMARGIN_CHECK(plan(a.isolated[i], report.isolated[i].pool));
  return Ok{};
}

Result<AccountReport> evaluate_validated(const RiskParameters& params, const MarketState& prices,
                                         const Account& account, const EvaluationOptions& options) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));
  VMARGIN_TRY(const AccountValuation a, value_account(params, prices, account));
  AccountReport report;
  report.account = account.id;
  report.as_of_ms = prices.as_of_ms;
  VMARGIN_CHECK(report_pools(a, report));
  VMARGIN_CHECK(report_positions(a, options, report));
  if (options.liquidation_plans) VMARGIN_CHECK(report_plans(a, report));
  report.collateral.reserve(a.collateral.size());
  for (const CollateralValuation& c : a.collateral) report.collateral.push_back(collateral_report(c));
  return report;
}

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

}  // namespace vmargin
