// Resolving the account against the parameters and prices, and valuing every
// item at the current marks (docs/spec.md §4 step 6, §5).
#include "vmargin/valuation/account_valuation.hpp"

#include "vmargin/margin/scaling.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin::detail {
namespace {

Result<BoundCollateral> bind_collateral(const CollateralBalance& b, const RiskParameters& params,
                                        const MarketState& prices) {
  const auto where = [&b](Error& e) { e.at(input_path::collateral(b.asset)); };
  BoundCollateral c;
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

Result<BoundPosition> bind_position(const Position& p, const RiskParameters& params,
                                    const MarketState& prices) {
  const auto where = [&p](Error& e) {
    e.at(input_path::position(p.market)).context("position in " + p.market);
  };
  BoundPosition b;
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

}  // namespace

Result<Money> isolated_margin_value(const BoundPosition& p, Money margin, Price price) {
  if (!is_inverse(p.market->kind)) return margin;
  return to_valuation_currency(margin, price, Round::down);
}

Result<BoundAccount> bind(const RiskParameters& params, const MarketState& prices, const Account& account) {
  BoundAccount a;
  a.params = &params;
  a.prices = &prices;
  a.account = &account;
  a.collateral.reserve(account.collateral.size());
  for (const CollateralBalance& b : account.collateral) {
    VMARGIN_TRY(BoundCollateral c, bind_collateral(b, params, prices));
    a.cross.collateral.push_back(a.collateral.size());
    a.collateral.push_back(c);
  }
  a.positions.reserve(account.positions.size());
  for (const Position& p : account.positions) {
    VMARGIN_TRY(BoundPosition b, bind_position(p, params, prices));
    const std::size_t index = a.positions.size();
    if (p.is_isolated()) {
      BoundPool pool;
      pool.index = a.isolated.size();
      pool.positions.push_back(index);
      pool.isolated_margin = p.isolated_margin;
      const auto where = [&p](Error& e) {
        e.at(input_path::position(p.market) + "/isolated_margin").context("isolated margin of " + p.market);
      };
      VMARGIN_TRY(pool.isolated_margin_value,
                  isolated_margin_value(b, *p.isolated_margin, b.feed->mark).on_error(where));
      VMARGIN_TRY(pool.isolated_margin_initial_value,
                  isolated_margin_value(b, *p.isolated_margin, min_of(b.feed->mark, b.feed->stable_or_mark()))
                      .on_error(where));
      b.pool = pool.index;
      a.isolated.push_back(std::move(pool));
    } else {
      a.cross.positions.push_back(index);
    }
    a.positions.push_back(b);
  }
  return a;
}

}  // namespace vmargin::detail
