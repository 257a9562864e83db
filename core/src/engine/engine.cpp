// The evaluation: value the account, then the liquidation figures, then the
// report (docs/spec.md §5-§8).
#include "vmargin/engine/engine.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "vmargin/liquidation/adl.hpp"
#include "vmargin/liquidation/liquidation_plan.hpp"
#include "vmargin/liquidation/liquidation_prices.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/portfolio/portfolio_margin.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {
namespace {

PositionReport position_report(const PositionValuation& p) {
  PositionReport r;
  const Position& pos = *p.position;
  r.market = pos.key();  // the report's key: a hedge leg's names its side
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
  r.open_interest_margin = p.value.open_interest_margin;
  r.initial_unrealized_pnl = p.value.initial_unrealized_pnl;
  if (p.value.maintenance_unrealized_pnl)
    r.maintenance_unrealized_pnl = p.value.maintenance_unrealized_pnl->value;
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
  r.has_deposit_limit = c.asset->deposit_weight_scale_start.has_value();
  r.total_deposits_value = c.total_deposits_value;
  return r;
}

// The pools' figures: the cross pool, then each isolated pool.
Status report_pools(const AccountValuation& a, AccountReport& report) {
  VMARGIN_TRY(static_cast<PoolFigures&>(report.cross), pool_figures(a, a.cross));
  if (report.margin_mode == MarginMode::portfolio) {  // §14: the cross pool's requirements
    VMARGIN_TRY(report.portfolio_margin, portfolio_margin(a, a.cross));
    VMARGIN_CHECK(
        apply_portfolio_requirements(report.cross, report.portfolio_margin, a.params->margin_call_ratio));
    report.cross.liquidation_prices_unavailable = true;
  }
  report.isolated.reserve(a.isolated.size());
  for (const PoolValuation& pool : a.isolated) {
    IsolatedPoolReport r{a.isolated_market(pool), {}};
    VMARGIN_TRY(static_cast<PoolFigures&>(r.pool), pool_figures(a, pool));
    report.isolated.push_back(std::move(r));
  }
  return Ok{};
}

Result<AccountReport> report_of(const RiskParameters& params, const MarketState& prices,
                                const Account& account, const EvaluationOptions& options);

// §7.1: whether the account can be valued with one feed's mark moved to a
// side's reported price and to its unsafe price U. Usually a bound
// settles it for every price from the mark to U at once: each term the
// pools' sums add is, as a function of the price, affine (PnL, values),
// convex (requirements, coin amounts) or monotone (initial values at
// min(mark, stable)), so its magnitude between the mark and U is at most
// its magnitude at one of the two; with the sum of both ends in range, no
// pool figure overflows in between, and nor does the ADL ratio of mark
// and entry when it stays below 2^40 at both ends. Otherwise (options on the feed, portfolio
// margin, large accounts) the account is evaluated at both prices.
class ValuedAtPrice final : public AccountValuedAt {
 public:
  explicit ValuedAtPrice(const AccountValuation& account) : a_(account) {}

  [[nodiscard]] Result<Valued> at(const FeedPrice& feed, Price reported, Price unsafe) const override {
    VMARGIN_TRY(const bool stretch, fits_up_to(feed, unsafe));
    if (stretch) return Valued::up_to_unsafe;
    for (const Price price : {unsafe, reported}) {
      VMARGIN_TRY(const bool ok, evaluates_at(feed, price));
      if (!ok) return Valued::no;
    }
    return Valued::at_both;
  }

 private:
  // Overflow means "no"; any other error is passed on.
  static Result<bool> fits(const Status& s) {
    if (s.ok()) return true;
    if (s.error().code() == ErrorCode::overflow) return false;
    return s.error();
  }

  [[nodiscard]] Result<bool> fits_up_to(const FeedPrice& feed, Price unsafe) const {
    if (a_.account->margin_mode == MarginMode::portfolio)
      return false;  // §14's requirements are not bounded here
    FeedPrice at = feed;
    at.mark = unsafe;
    const Result<std::optional<u128>> moved = feed_terms_magnitude(a_, feed, at);
    if (!moved.ok()) return fits(moved.error());
    if (!*moved) return false;  // options on the feed
    if (!total_) total_ = pool_terms_magnitude(a_);
    // Half the range: room for the few units of rounding between the ends.
    // Each at most that, so their sum does not wrap.
    constexpr u128 half = static_cast<u128>(fixed_max_raw) / 2;
    return *total_ <= half && **moved <= half && *total_ + **moved <= half && adl_ratios_fit(feed, unsafe);
  }

  // §7.5's first step, P / E or E / P, surely in range (a ratio below 2^40)
  // at every price from the mark to `price`: checked at both ends, since it
  // is monotone in the price and a position whose pool is bankrupt at the
  // mark has not computed it there.
  [[nodiscard]] bool adl_ratios_fit(const FeedPrice& feed, Price price) const {
    constexpr i128 limit = i128{1} << 40;
    const i128 high = std::max(price.raw(), feed.mark.raw());
    const i128 low = std::min(price.raw(), feed.mark.raw());
    for (const PositionValuation& p : a_.positions) {
      if (p.feed != &feed) continue;
      const i128 entry = p.position->entry_price.raw();
      if (high / entry >= limit || entry / low >= limit) return false;
    }
    return true;
  }

  // Exactly: the evaluation at that price, without searches and plans.
  [[nodiscard]] Result<bool> evaluates_at(const FeedPrice& feed, Price price) const {
    const Result<MarketState> moved = with_feed_at(*a_.prices, feed.feed, price);
    if (!moved.ok()) return fits(moved.error());
    EvaluationOptions figures_only;
    figures_only.liquidation_prices = false;
    figures_only.liquidation_plans = false;
    const Result<AccountReport> r = report_of(*a_.params, *moved, *a_.account, figures_only);
    return fits(r.ok() ? Status(Ok{}) : Status(r.error()));
  }

  const AccountValuation& a_;
  mutable std::optional<u128> total_;  // pool_terms_magnitude, once
};

const PoolReport& pool_report_of(const PositionValuation& p, const AccountReport& report) {
  return p.pool == cross_pool ? report.cross : report.isolated[p.pool].pool;
}

// Positions, with their liquidation and bankruptcy prices (§7.1-§7.2) and
// ADL index (§7.5). Positions of one pool on one feed with one tick share
// their boundaries: they move together.
Status report_positions(const AccountValuation& a, const EvaluationOptions& options, OptionCurves& curves,
                        const AccountValuedAt& valued, AccountReport& report) {
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
    if (options.liquidation_prices && !figures.liquidation_prices_unavailable) {
      const Shared* found = nullptr;
      for (const Shared& s : shared) {
        if (s.pool == p.pool && s.feed == p.feed && s.tick == p.market->tick_size) found = &s;
      }
      if (found == nullptr) {
        VMARGIN_TRY(const Boundaries b, liquidation_boundaries(a, a.pool_of(p), figures, p,
                                                               options.search_budget, &curves, &valued)
                                            .on_error([&](Error& e) {
                                              e.at(input_path::position(p.position->key()))
                                                  .context("liquidation price of " + p.position->key());
                                            }));
        shared.push_back(Shared{p.pool, p.feed, p.market->tick_size, b});
        found = &shared.back();
      }
      r.liquidation_price = found->boundaries.liquidation;
      r.bankruptcy_price = found->boundaries.bankruptcy;
    }
    VMARGIN_TRY(r.adl_index, adl_index(p, figures).on_error([&](Error& e) {
      e.at(input_path::position(p.position->key()));
    }));
    report.positions.push_back(std::move(r));
  }
  return Ok{};
}

// Per pool, the price boundaries of each underlying its options are on (§13.5).
Status report_option_boundaries(const AccountValuation& a, const EvaluationOptions& options,
                                OptionCurves& curves, const AccountValuedAt& valued, AccountReport& report) {
  const auto of_pool = [&](const PoolValuation& pool, PoolReport& pr) -> Status {
    if (pr.liquidation_prices_unavailable) return Ok{};  // §14.5
    std::vector<const OptionValuation*> firsts;          // one option per feed, sorted by feed
    for (const std::size_t i : pool.options) {
      const OptionValuation& o = a.options[i];
      const auto it = std::lower_bound(
          firsts.begin(), firsts.end(), o.market->feed,
          [](const OptionValuation* x, const std::string& f) { return x->market->feed < f; });
      if (it == firsts.end() || (*it)->market->feed != o.market->feed) firsts.insert(it, &o);
    }
    for (const OptionValuation* o : firsts) {
      VMARGIN_TRY(PriceBoundaries b, option_price_boundaries(a, pool, pr, *o->feed, o->rules->index_tick_size,
                                                             options.search_budget, &curves, &valued)
                                         .on_error([&](Error& e) {
                                           e.at(input_path::account)
                                               .context("price boundaries of " + o->market->feed +
                                                        " in the " + a.pool_name(pool));
                                         }));
      pr.price_boundaries.push_back(std::move(b));
    }
    return Ok{};
  };
  VMARGIN_CHECK(of_pool(a.cross, report.cross));
  for (std::size_t i = 0; i < a.isolated.size(); ++i)
    VMARGIN_CHECK(of_pool(a.isolated[i], report.isolated[i].pool));
  return Ok{};
}

// Partial-liquidation plans of liquidatable and bankrupt pools (§7.3).
Status report_plans(const AccountValuation& a, AccountReport& report) {
  const auto plan = [&](const PoolValuation& pool, PoolReport& pr) -> Status {
    if (pr.status != MarginStatus::liquidatable && pr.status != MarginStatus::bankrupt) return Ok{};
    if (!pool.options.empty() || pr.liquidation_prices_unavailable) {
      pr.liquidation_plan_unavailable = true;
      return Ok{};
    }
    VMARGIN_TRY(pr.liquidation_plan, plan_liquidation(a, pool, pr.equity, pr.maintenance_margin));
    return Ok{};
  };
  VMARGIN_CHECK(plan(a.cross, report.cross));
  for (std::size_t i = 0; i < a.isolated.size(); ++i)
    VMARGIN_CHECK(plan(a.isolated[i], report.isolated[i].pool));
  return Ok{};
}

Status add_greeks(OptionGreeks& sum, const OptionGreeks& g) {
  VMARGIN_TRY(sum.delta, add(sum.delta, g.delta));
  VMARGIN_TRY(sum.gamma, add(sum.gamma, g.gamma));
  VMARGIN_TRY(sum.vega, add(sum.vega, g.vega));
  VMARGIN_TRY(sum.vega_per_point, add(sum.vega_per_point, g.vega_per_point));
  VMARGIN_TRY(sum.theta_per_year, add(sum.theta_per_year, g.theta_per_year));
  VMARGIN_TRY(sum.theta_per_day, add(sum.theta_per_day, g.theta_per_day));
  return Ok{};
}

// Option positions with their Greeks, the expiry groups of every pool and
// the Greeks per underlying (§8.3).
Status report_options(const AccountValuation& a, AccountReport& report) {
  std::vector<OptionGreeks> greeks;
  greeks.reserve(a.options.size());
  for (const OptionValuation& o : a.options) {
    const auto where = [&](Error& e) {
      e.at(input_path::position(o.position->market)).context("Greeks of " + o.position->market);
    };
    VMARGIN_TRY(const OptionGreeks g,
                position_greeks(*o.market, *o.expiry, *o.position, o.quote).on_error(where));
    greeks.push_back(g);
    OptionPositionReport r;
    r.market = o.position->market;
    r.feed = o.market->feed;
    r.type = o.market->type;
    r.inverse = o.market->inverse;
    r.isolated = o.position->is_isolated();
    r.strike = o.market->strike;
    r.expiry_ms = o.market->expiry_ms;
    r.quantity = o.position->quantity;
    r.entry_price = o.position->entry_price;
    r.index_price = o.feed->mark;
    r.forward = o.quote.forward;
    r.volatility = o.quote.volatility;
    r.seconds_to_expiry = o.quote.seconds_to_expiry;
    r.settled = o.quote.settled;
    r.mark_price = o.quote.value;
    r.value = o.value.value;
    r.equity_value = o.value.equity_value;
    r.unrealized_pnl = o.value.unrealized_pnl;
    r.initial_margin = o.value.initial_margin;
    r.maintenance_margin = o.value.maintenance_margin;
    r.greeks = g;
    report.option_positions.push_back(std::move(r));
  }
  const auto groups = [&](const PoolValuation& pool) -> Status {
    for (const ExpiryGroup& g : pool.expiry_groups) {
      OptionExpiryReport r;
      if (pool.isolated_margin) r.isolated_market = a.isolated_market(pool);
      r.feed = g.expiry->feed;
      r.expiry_ms = g.expiry->expiry_ms;
      r.forward = g.expiry->forward;
      r.standard_initial = g.standard_initial;
      r.standard_maintenance = g.standard_maintenance;
      r.netted_initial = g.netted.initial;
      r.netted_maintenance = g.netted.maintenance;
      r.initial_margin = g.initial_margin;
      r.maintenance_margin = g.maintenance_margin;
      for (const std::size_t i : g.options) VMARGIN_CHECK(add_greeks(r.greeks, greeks[i]));
      report.option_expiries.push_back(std::move(r));
    }
    return Ok{};
  };
  VMARGIN_CHECK(groups(a.cross));
  for (const PoolValuation& pool : a.isolated) VMARGIN_CHECK(groups(pool));
  for (std::size_t i = 0; i < a.options.size(); ++i) {
    const std::string& feed = a.options[i].market->feed;
    auto it =
        std::lower_bound(report.option_underlyings.begin(), report.option_underlyings.end(), feed,
                         [](const UnderlyingGreeksReport& u, const std::string& f) { return u.feed < f; });
    if (it == report.option_underlyings.end() || it->feed != feed)
      it = report.option_underlyings.insert(it, UnderlyingGreeksReport{feed, {}});
    VMARGIN_CHECK(add_greeks(it->greeks, greeks[i]));
  }
  return Ok{};
}

// The report of validated inputs.
Result<AccountReport> report_of(const RiskParameters& params, const MarketState& prices,
                                const Account& account, const EvaluationOptions& options) {
  VMARGIN_TRY(const AccountValuation a, value_account(params, prices, account));
  if (account.margin_mode == MarginMode::portfolio) VMARGIN_CHECK(check_portfolio_pool(a, a.cross));
  AccountReport report;
  report.margin_mode = account.margin_mode;
  report.account = account.id;
  report.as_of_ms = prices.as_of_ms;
  VMARGIN_CHECK(report_pools(a, report));
  // The searches of a pool holding options share its curve per feed: the
  // positions' prices on their market's grid, the boundaries on the index's.
  OptionCurves curves;
  const ValuedAtPrice valued(a);
  VMARGIN_CHECK(report_positions(a, options, curves, valued, report));
  if (options.liquidation_prices) VMARGIN_CHECK(report_option_boundaries(a, options, curves, valued, report));
  if (options.liquidation_plans) VMARGIN_CHECK(report_plans(a, report));
  VMARGIN_CHECK(report_options(a, report));
  report.collateral.reserve(a.collateral.size());
  for (const CollateralValuation& c : a.collateral) report.collateral.push_back(collateral_report(c));
  return report;
}

Result<AccountReport> evaluate_validated(const RiskParameters& params, const MarketState& prices,
                                         const Account& account, const EvaluationOptions& options) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));
  return report_of(params, prices, account, options);
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
