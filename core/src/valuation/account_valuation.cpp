// Resolving the account against the parameters and prices, and valuing every
// item at the current marks (docs/spec.md §4 step 6, §5).
#include "vmargin/valuation/account_valuation.hpp"

#include <string>

#include "vmargin/margin/scaling.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

Result<CollateralValuation> bind_collateral(const CollateralBalance& b, const RiskParameters& params,
                                            const MarketState& prices) {
  const auto where = [&b](Error& e) { e.at(input_path::collateral(b.asset)); };
  CollateralValuation c;
  c.balance = &b;
  c.asset = params.find_asset(b.asset);
  if (c.asset == nullptr) {
    return Error(ErrorCode::unknown_asset,
                 "collateral asset \"" + b.asset + "\" is not defined in the risk parameters",
                 input_path::collateral(b.asset));
  }
  Ratio multiplier = Ratio::one();
  if (c.asset->feed) {
    c.feed = prices.find(*c.asset->feed);
    if (c.feed == nullptr) {
      return Error(ErrorCode::missing_price,
                   "no mark price for feed \"" + *c.asset->feed + "\", which prices collateral " + b.asset,
                   input_path::feed_price(*c.asset->feed));
    }
    c.mark = c.feed->mark;
    const Price stable = c.feed->stable_or_mark();
    // Initial figures: assets at the lower, liabilities at the higher price.
    c.initial_price = b.amount.is_negative() ? max_of(c.mark, stable) : min_of(c.mark, stable);
    VMARGIN_TRY(multiplier,
                volatility_multiplier(params.find_feed(*c.asset->feed), c.feed->volatility).on_error(where));
  } else {
    c.mark = Price::one();
    c.initial_price = Price::one();
  }
  VMARGIN_TRY(c.weights, collateral_weights(*c.asset, b.amount, multiplier).on_error(where));
  VMARGIN_TRY(c.value,
              value_collateral(b.amount, c.mark, c.initial_price, c.weights).on_error([&b](Error& e) {
                e.at(input_path::collateral(b.asset)).context("value of " + b.asset);
              }));
  return c;
}

std::string format_time(std::int64_t ms) { return std::to_string(ms) + " ms"; }

Result<PositionValuation> bind_position(const Position& p, const RiskParameters& params,
                                        const MarketState& prices) {
  const auto where = [&p](Error& e) {
    e.at(input_path::position(p.market)).context("position in " + p.market);
  };
  PositionValuation b;
  b.position = &p;
  b.market = params.find_market(p.market);
  if (b.market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + p.market + "\" is not defined in the risk parameters",
                 input_path::position(p.market));
  }
  b.feed = prices.find(b.market->feed);
  if (b.feed == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + b.market->feed + "\", which marks " + p.market,
                 input_path::feed_price(b.market->feed));
  }
  if (b.market->expiry_ms && prices.as_of_ms >= *b.market->expiry_ms) {
    return Error(ErrorCode::contract_expired,
                 p.market + " expired at " + format_time(*b.market->expiry_ms) + "; the evaluation time is " +
                     format_time(prices.as_of_ms) + ", so it can only be settled, not margined",
                 input_path::position(p.market));
  }
  VMARGIN_TRY(const Ratio multiplier,
              volatility_multiplier(params.find_feed(b.market->feed), b.feed->volatility).on_error(where));
  VMARGIN_TRY(b.constants, position_constants(*b.market, p, multiplier).on_error(where));
  VMARGIN_TRY(b.value, value_position(*b.market, p, b.constants, b.feed->mark).on_error(where));
  return b;
}

// Adds "<what> of the <pool>" to an error; builds nothing unless called.
auto in_pool(const char* what, const AccountValuation& a, const PoolValuation& pool) {
  return [what, &a, &pool](Error& e) {
    e.at(input_path::account).context(std::string(what) + " of the " + a.pool_name(pool));
  };
}

}  // namespace

Result<PoolFigures> pool_figures(const AccountValuation& a, const PoolValuation& pool) {
  PoolFigures r;
  if (pool.isolated_margin) {
    r.collateral_value = pool.isolated_margin_value.value;
    r.maintenance_collateral_value = pool.isolated_margin_value.value;
    r.initial_collateral_value = pool.isolated_margin_initial_value;
  }
  for (const std::size_t i : pool.collateral) {
    const CollateralValuation& c = a.collateral[i];
    VMARGIN_TRY(r.collateral_value,
                add(r.collateral_value, c.value.value).on_error(in_pool("collateral value", a, pool)));
    VMARGIN_TRY(r.maintenance_collateral_value,
                add(r.maintenance_collateral_value, c.value.maintenance_value.value)
                    .on_error(in_pool("maintenance collateral value", a, pool)));
    VMARGIN_TRY(r.initial_collateral_value, add(r.initial_collateral_value, c.value.initial_value)
                                                .on_error(in_pool("initial collateral value", a, pool)));
  }
  for (const std::size_t i : pool.positions) {
    const PositionValuation& p = a.positions[i];
    VMARGIN_TRY(
        r.unrealized_pnl,
        add(r.unrealized_pnl, p.value.unrealized_pnl.value).on_error(in_pool("unrealized PnL", a, pool)));
    VMARGIN_TRY(
        r.initial_margin,
        add(r.initial_margin, p.value.requirement.initial).on_error(in_pool("initial margin", a, pool)));
    VMARGIN_TRY(r.maintenance_margin, add(r.maintenance_margin, p.value.requirement.maintenance.value)
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
  r.status = classify(r.equity, r.maintenance_margin, a.params->margin_call_ratio);
  r.insurance_fund_shortfall = r.equity.is_negative() ? -r.equity : Money::zero();
  return r;
}

std::string AccountValuation::pool_name(const PoolValuation& pool) const {
  return pool.isolated_margin ? "isolated pool of " + positions[pool.positions.front()].position->market
                              : std::string("cross pool");
}

Result<Bounded<Money>> isolated_margin_value(const Market& market, Money margin, Price price) {
  if (!is_inverse(market.kind)) return Bounded<Money>::exact(margin);
  return rounded_coins_to_value(margin, price, Round::down);
}

Result<AccountValuation> value_account(const RiskParameters& params, const MarketState& prices,
                                       const Account& account) {
  AccountValuation a;
  a.params = &params;
  a.prices = &prices;
  a.account = &account;
  a.collateral.reserve(account.collateral.size());
  for (const CollateralBalance& b : account.collateral) {
    VMARGIN_TRY(CollateralValuation c, bind_collateral(b, params, prices));
    a.cross.collateral.push_back(a.collateral.size());
    a.collateral.push_back(c);
  }
  a.positions.reserve(account.positions.size());
  for (const Position& p : account.positions) {
    VMARGIN_TRY(PositionValuation b, bind_position(p, params, prices));
    const std::size_t index = a.positions.size();
    if (p.is_isolated()) {
      PoolValuation pool;
      pool.index = a.isolated.size();
      pool.positions.push_back(index);
      pool.isolated_margin = p.isolated_margin;
      const auto where = [&p](Error& e) {
        e.at(input_path::position(p.market) + "/isolated_margin").context("isolated margin of " + p.market);
      };
      VMARGIN_TRY(pool.isolated_margin_value,
                  isolated_margin_value(*b.market, *p.isolated_margin, b.feed->mark).on_error(where));
      VMARGIN_TRY(
          const Bounded<Money> initial,
          isolated_margin_value(*b.market, *p.isolated_margin, min_of(b.feed->mark, b.feed->stable_or_mark()))
              .on_error(where));
      pool.isolated_margin_initial_value = initial.value;
      b.pool = pool.index;
      a.isolated.push_back(std::move(pool));
    } else {
      a.cross.positions.push_back(index);
    }
    a.positions.push_back(b);
  }
  return a;
}

}  // namespace vmargin
