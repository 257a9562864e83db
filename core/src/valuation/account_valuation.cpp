// Resolving the account against the parameters and prices, and valuing every
// item at the current marks (docs/spec.md §4 step 6, §5).
#include "vmargin/valuation/account_valuation.hpp"

#include <array>
#include <map>
#include <string>

#include "vmargin/margin/scaling.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/keyed.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// Initial figures: assets at the lower, liabilities at the higher of the
// mark and the stable price.
Price initial_price_of(Money balance, Price mark, Price stable) {
  return balance.is_negative() ? max_of(mark, stable) : min_of(mark, stable);
}

// The initial weight of an asset held above its deposit limit (§5.8).
Status apply_deposit_limit(CollateralValuation& c, const MarketState& prices) {
  const std::string& asset = c.asset->id;
  const TotalDeposits* deposits = prices.find_total_deposits(asset);
  if (deposits == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no total deposits for " + asset + ", whose initial weight scales with them",
                 input_path::total_deposits(asset));
  }
  const Price price = c.feed != nullptr ? max_of(c.feed->mark, c.feed->stable_or_mark()) : Price::one();
  const auto where = [&asset](Error& e) {
    e.at(input_path::total_deposits(asset)).context("deposit limit of " + asset);
  };
  VMARGIN_TRY(const Bounded<Money> value,
              rounded_coins_to_value(deposits->amount, price, Round::up).on_error(where));
  c.total_deposits_value = value.value;
  VMARGIN_TRY(c.weights.initial,
              deposit_scaled_weight(c.weights.initial, *c.asset->deposit_weight_scale_start, value.value)
                  .on_error(where));
  return Ok{};
}

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
    c.initial_price = initial_price_of(b.amount, c.mark, c.feed->stable_or_mark());
    VMARGIN_TRY(multiplier,
                volatility_multiplier(params.find_feed(*c.asset->feed), c.feed->volatility).on_error(where));
  } else {
    c.mark = Price::one();
    c.initial_price = Price::one();
  }
  VMARGIN_TRY(c.weights, collateral_weights(*c.asset, b.amount, multiplier).on_error(where));
  if (c.asset->deposit_weight_scale_start && b.amount.is_positive()) {
    VMARGIN_CHECK(apply_deposit_limit(c, prices));
  }
  VMARGIN_TRY(c.value,
              value_collateral(b.amount, c.mark, c.initial_price, c.weights).on_error([&b](Error& e) {
                e.at(input_path::collateral(b.asset)).context("value of " + b.asset);
              }));
  return c;
}

std::string format_time(std::int64_t ms) { return std::to_string(ms) + " ms"; }

// Into `b` (in place: a valuation is large and this runs per position on
// every evaluation).
Status bind_position(const Position& p, const RiskParameters& params, const MarketState& prices,
                     PositionValuation& b) {
  const auto where = [&p](Error& e) {
    e.at(input_path::position(p.key())).context("position in " + p.key());
  };
  b.position = &p;
  b.market = params.find_market(p.market);
  if (b.market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + p.market + "\" is not defined in the risk parameters",
                 input_path::position(p.key()));
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
                 input_path::position(p.key()));
  }
  VMARGIN_TRY(const Ratio multiplier,
              volatility_multiplier(params.find_feed(b.market->feed), b.feed->volatility).on_error(where));
  VMARGIN_TRY(b.constants, position_constants(*b.market, p, multiplier).on_error(where));
  if (b.market->open_interest_scaling) {
    const OpenInterest* oi = prices.find_open_interest(p.market);
    if (oi == nullptr) {
      return Error(ErrorCode::missing_price,
                   "no open interest for " + p.market + ", whose initial margin scales with it",
                   input_path::open_interest(p.market));
    }
    b.constants.open_interest = oi->size;
  }
  VMARGIN_TRY(b.value, value_position(*b.market, p, b.constants, b.feed->mark).on_error(where));
  return Ok{};
}

// In a hedge-mode account every perpetual or future position is a leg
// (§3.3): a net one would say neither which side it is nor how to margin it.
Status check_leg(const Account& account, const Position& p, const RiskParameters& params) {
  if (account.position_mode != PositionMode::hedge || p.leg != PositionLeg::net) return Ok{};
  if (params.find_market(p.market) == nullptr) return Ok{};  // unknown_market, from binding
  return invalid(input_path::position(p.key()), "in a hedge-mode account a position in " + p.market +
                                                    " is a leg, keyed " + p.market + ":long or " + p.market +
                                                    ":short");
}

Result<OptionValuation> bind_option(const Position& p, const OptionMarket& market,
                                    const RiskParameters& params, const MarketState& prices) {
  const auto where = [&p](Error& e) {
    e.at(input_path::position(p.key())).context("option position in " + p.market);
  };
  OptionValuation o;
  o.position = &p;
  o.market = &market;
  o.rules = params.find_option_rules(market.feed);  // validated: present
  o.feed = prices.find(market.feed);
  if (o.feed == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + market.feed + "\", the index of " + p.market,
                 input_path::feed_price(market.feed));
  }
  o.expiry = prices.find_expiry(market.feed, market.expiry_ms);
  if (o.expiry == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no option data for " + market.feed + " expiring at " + std::to_string(market.expiry_ms) +
                     " ms, which prices " + p.market,
                 input_path::option_expiry(market.feed, market.expiry_ms));
  }
  if (!p.pending_funding.is_zero()) {
    return Error(ErrorCode::invalid_value, "options accrue no funding; pending_funding must be 0",
                 input_path::position(p.key()) + "/pending_funding");
  }
  VMARGIN_TRY(o.quote, quote_option(market, *o.expiry, prices.as_of_ms).on_error(where));
  VMARGIN_TRY(o.value, value_option_position(market, *o.rules, p, o.quote, o.feed->mark).on_error(where));
  return o;
}

// The expiry groups of a pool (§5.7): options grouped by (feed, expiry) in
// the order of their markets; each group's requirement is the smaller of
// its standard sum and its netted maximum loss.
Status group_options(AccountValuation& a, PoolValuation& pool) {
  for (const std::size_t i : pool.options) {
    const OptionValuation& o = a.options[i];
    ExpiryGroup* group = nullptr;
    for (ExpiryGroup& g : pool.expiry_groups)
      if (g.expiry == o.expiry) group = &g;
    if (group == nullptr) {
      pool.expiry_groups.push_back(ExpiryGroup{o.expiry, o.rules, {}, {}, {}, {}, {}, {}});
      group = &pool.expiry_groups.back();
    }
    group->options.push_back(i);
  }
  for (ExpiryGroup& g : pool.expiry_groups) {
    const auto where = [&](Error& e) {
      e.at(input_path::option_expiry(g.expiry->feed, g.expiry->expiry_ms))
          .context("option requirement of the " + a.pool_name(pool));
    };
    std::vector<ExpiryLeg> legs;
    legs.reserve(g.options.size());
    bool settled = false;
    for (const std::size_t i : g.options) {
      const OptionValuation& o = a.options[i];
      settled = o.quote.settled;
      VMARGIN_TRY(g.standard_initial, add(g.standard_initial, o.value.initial_margin).on_error(where));
      VMARGIN_TRY(g.standard_maintenance,
                  add(g.standard_maintenance, o.value.maintenance_margin).on_error(where));
      legs.push_back(ExpiryLeg{o.market->type, o.market->strike, o.position->quantity});
    }
    if (settled) continue;  // settled options require nothing
    VMARGIN_TRY(g.netted, max_loss_requirement(legs, g.expiry->forward, g.rules->margin).on_error(where));
    g.initial_margin = min_of(g.standard_initial, g.netted.initial);
    g.maintenance_margin = min_of(g.standard_maintenance, g.netted.maintenance);
  }
  return Ok{};
}

// An isolated pool's own margin at its feed's mark (and, for initial
// figures, at min(mark, stable)): coins of the underlying for inverse
// markets, as is for linear ones.
Status value_isolated_margin(PoolValuation& pool, const PositionValuation& b) {
  const Position& p = *b.position;
  const auto where = [&p](Error& e) {
    e.at(input_path::position(p.key()) + "/isolated_margin").context("isolated margin of " + p.market);
  };
  VMARGIN_TRY(pool.isolated_margin_value,
              isolated_margin_value(*b.market, *pool.isolated_margin, b.feed->mark).on_error(where));
  VMARGIN_TRY(
      const Bounded<Money> initial,
      isolated_margin_value(*b.market, *pool.isolated_margin, min_of(b.feed->mark, b.feed->stable_or_mark()))
          .on_error(where));
  pool.isolated_margin_initial_value = initial.value;
  return Ok{};
}

Status value_isolated_margin(PoolValuation& pool, const OptionValuation& o) {
  VMARGIN_TRY(pool.isolated_margin_value,
              option_margin_value(*o.market, *pool.isolated_margin, o.feed->mark));
  VMARGIN_TRY(
      const Bounded<Money> initial,
      option_margin_value(*o.market, *pool.isolated_margin, min_of(o.feed->mark, o.feed->stable_or_mark())));
  pool.isolated_margin_initial_value = initial.value;
  return Ok{};
}

// Adds "<what> of the <pool>" to an error; builds nothing unless called.
auto in_pool(const char* what, const AccountValuation& a, const PoolValuation& pool) {
  return [what, &a, &pool](Error& e) {
    e.at(input_path::account).context(std::string(what) + " of the " + a.pool_name(pool));
  };
}

}  // namespace

Result<PoolFigures> pool_figures(const AccountValuation& a, const PoolValuation& pool) {
  // The hot path: plain checked sums; on an overflow, the same sum through
  // add() builds the error that names it.
  const auto sum = [&a, &pool](Money& total, Money term, const char* what) -> Status {
    if (add_in_place(total, term)) return Ok{};
    return add(total, term).on_error(in_pool(what, a, pool)).error();
  };
  PoolFigures r;
  if (pool.isolated_margin) {
    r.collateral_value = pool.isolated_margin_value.value;
    r.maintenance_collateral_value = pool.isolated_margin_value.value;
    r.initial_collateral_value = pool.isolated_margin_initial_value;
  }
  for (const std::size_t i : pool.collateral) {
    const CollateralValue& v = a.collateral[i].value;
    VMARGIN_CHECK(sum(r.collateral_value, v.value, "collateral value"));
    VMARGIN_CHECK(
        sum(r.maintenance_collateral_value, v.maintenance_value.value, "maintenance collateral value"));
    VMARGIN_CHECK(sum(r.initial_collateral_value, v.initial_value, "initial collateral value"));
  }
  Money equity_pnl, initial_pnl;  // what equity and initial equity count of the PnL (§5.10)
  for (const std::size_t i : pool.positions) {
    const PositionValue& v = a.positions[i].value;
    VMARGIN_CHECK(sum(r.unrealized_pnl, v.unrealized_pnl.value, "unrealized PnL"));
    VMARGIN_CHECK(sum(equity_pnl, v.equity_pnl().value, "equity"));
    VMARGIN_CHECK(
        sum(initial_pnl, v.initial_unrealized_pnl.value_or(v.unrealized_pnl.value), "initial equity"));
    VMARGIN_CHECK(sum(r.initial_margin, v.requirement.initial, "initial margin"));
    VMARGIN_CHECK(sum(r.maintenance_margin, v.requirement.maintenance.value, "maintenance margin"));
  }
  for (const std::size_t i : pool.options) {
    VMARGIN_CHECK(sum(r.option_value, a.options[i].value.equity_value, "option value"));
  }
  if (pool.open_orders_margin) {
    r.open_orders_margin = pool.open_orders_margin;
    VMARGIN_CHECK(sum(r.initial_margin, *pool.open_orders_margin, "initial margin"));
  }
  for (const ExpiryGroup& g : pool.expiry_groups) {
    VMARGIN_CHECK(sum(r.initial_margin, g.initial_margin, "initial margin"));
    VMARGIN_CHECK(sum(r.maintenance_margin, g.maintenance_margin, "maintenance margin"));
  }
  r.equity = r.maintenance_collateral_value;
  VMARGIN_CHECK(sum(r.equity, equity_pnl, "equity"));
  VMARGIN_CHECK(sum(r.equity, r.option_value, "equity"));
  r.initial_equity = r.initial_collateral_value;
  VMARGIN_CHECK(sum(r.initial_equity, initial_pnl, "initial equity"));
  VMARGIN_CHECK(sum(r.initial_equity, r.option_value, "initial equity"));
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
  return pool.isolated_margin ? "isolated pool of " + isolated_market(pool) : std::string("cross pool");
}

bool AccountValuation::has_options_on(const PoolValuation& pool, const FeedPrice* feed) const noexcept {
  for (const std::size_t i : pool.options)
    if (options[i].feed == feed) return true;
  return false;
}

Result<Bounded<Money>> isolated_margin_value(const Market& market, Money margin, Price price) {
  if (!is_inverse(market.kind)) return Bounded<Money>::exact(margin);
  return rounded_coins_to_value(margin, price, Round::down);
}

Result<Bounded<Money>> option_margin_value(const OptionMarket& market, Money margin, Price price) {
  if (!market.inverse) return Bounded<Money>::exact(margin);
  return rounded_coins_to_value(margin, price, Round::down).on_error([&](Error& e) {
    e.at(input_path::position(market.id) + "/isolated_margin").context("isolated margin of " + market.id);
  });
}

namespace {

// --- open orders (docs/spec.md §5.9) ---

// The order's market must be a (non-option) market with a price, not expired.
Result<const Market*> bind_order_market(const OpenOrder& o, std::size_t i, const RiskParameters& params,
                                        const MarketState& prices) {
  const std::string path = input_path::open_order(i);
  if (params.find_option_market(o.market) != nullptr) {
    return Error(ErrorCode::invalid_value,
                 "open order " + std::to_string(i) + " is in the option market " + o.market +
                     "; open orders in option markets are not supported yet",
                 path + "/market");
  }
  const Market* market = params.find_market(o.market);
  if (market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + o.market + "\" of open order " + std::to_string(i) +
                     " is not defined in the risk parameters",
                 path + "/market");
  }
  if (prices.find(market->feed) == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + market->feed + "\", which marks " + o.market,
                 input_path::feed_price(market->feed));
  }
  if (market->expiry_ms && prices.as_of_ms >= *market->expiry_ms) {
    return Error(ErrorCode::contract_expired,
                 o.market + " expired at " + format_time(*market->expiry_ms) +
                     "; an order in it cannot rest at the evaluation time " + format_time(prices.as_of_ms),
                 path + "/market");
  }
  if (market->open_interest_scaling && prices.find_open_interest(o.market) == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no open interest for " + o.market + ", whose initial margin scales with it",
                 input_path::open_interest(o.market));
  }
  return market;
}

// What filling the order at its limit loses against the mark: max(0, -PnL)
// of a position of its size entered at its limit (§5.1's PnL, one formula).
Result<Money> fill_loss(const Market& market, const OpenOrder& o, Price mark) {
  const Position filled{o.market, o.buy ? o.quantity : -o.quantity, o.price, Money::zero(), std::nullopt};
  VMARGIN_TRY(const PositionConstants c, position_constants(market, filled, Ratio::one()));
  VMARGIN_TRY(const Bounded<Money> pnl, unrealized_pnl(market, filled, c, mark));
  return pnl.value.is_negative() ? -pnl.value : Money::zero();
}

// One market's orders of one side, if they all filled.
struct SideFill {
  Quantity quantity;
  Money loss;
};
struct MarketOrders {
  std::size_t first = 0;  // the first order's index, where errors point
  SideFill buys, sells;
};

// max(0, IM(q + fill) - IM(q)) + the fills' losses, in the pool of the
// market's position (its requirement as it stands) or the cross pool.
Result<Money> side_cost(const AccountValuation& a, std::string_view market, const PositionValuation* position,
                        const SideFill& fill, bool buy) {
  if (fill.quantity.is_zero()) return Money::zero();
  const Quantity held = position != nullptr ? position->position->quantity : Quantity::zero();
  VMARGIN_TRY(const Quantity after, add(held, buy ? fill.quantity : -fill.quantity));
  Money initial_after = Money::zero();
  if (!after.is_zero()) {
    const Price mark = a.prices->find(a.params->find_market(market)->feed)->mark;
    const Position filled{std::string(market), after, mark, Money::zero(), std::nullopt};
    PositionValuation b;
    VMARGIN_CHECK(bind_position(filled, *a.params, *a.prices, b));
    initial_after = b.value.requirement.initial;
  }
  const Money initial_now = position != nullptr ? position->value.requirement.initial : Money::zero();
  VMARGIN_TRY(const Money added, sub(initial_after, initial_now));
  return add(max_of(added, Money::zero()), fill.loss);
}

// The open orders by market (ascending id), reduce-only ones left out.
Result<std::map<std::string_view, MarketOrders>> group_orders(const AccountValuation& a) {
  std::map<std::string_view, MarketOrders> by_market;
  const std::vector<OpenOrder>& orders = a.account->open_orders;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const OpenOrder& o = orders[i];
    VMARGIN_TRY(const Market* market, bind_order_market(o, i, *a.params, *a.prices));
    if (o.reduce_only) continue;
    const auto where = [i, &o](Error& e) {
      e.at(input_path::open_order(i)).context("open order " + std::to_string(i) + " in " + o.market);
    };
    VMARGIN_TRY(const Money loss, fill_loss(*market, o, a.prices->find(market->feed)->mark).on_error(where));
    const auto [it, fresh] = by_market.try_emplace(o.market, MarketOrders{i, {}, {}});
    SideFill& side = o.buy ? it->second.buys : it->second.sells;
    VMARGIN_TRY(side.quantity, add(side.quantity, o.quantity).on_error(where));
    VMARGIN_TRY(side.loss, add(side.loss, loss).on_error(where));
  }
  return by_market;
}

// Each pool's open_orders_margin: the worse of all its bids filled and all
// its asks filled (§5.9). Nothing to do without open orders.
Status value_open_orders(AccountValuation& a) {
  if (a.account->open_orders.empty()) return Ok{};
  if (a.account->margin_mode == MarginMode::portfolio) {
    return Error(ErrorCode::invalid_value, "open orders are not supported under portfolio margin yet",
                 std::string(input_path::account) + "/open_orders");
  }
  VMARGIN_TRY(const auto by_market, group_orders(a));
  // [pool][side]: the cross pool last.
  std::vector<std::array<Money, 2>> costs(a.isolated.size() + 1);
  for (const auto& entry : by_market) {
    // Named, not structured bindings: lambdas below capture them (clang 14).
    const std::string_view market = entry.first;
    const MarketOrders& orders = entry.second;
    // Bids fill the long leg and asks the short one in hedge mode (§5.9);
    // legs are cross-margined.
    const auto held = [&a, market](bool buy) -> const PositionValuation* {
      const PositionLeg leg = buy ? PositionLeg::long_leg : PositionLeg::short_leg;
      for (const PositionValuation& p : a.positions) {
        if (p.position->market == market && (p.position->leg == PositionLeg::net || p.position->leg == leg))
          return &p;
      }
      return nullptr;
    };
    const PositionValuation* position = held(true) != nullptr ? held(true) : held(false);
    const std::size_t pool =
        position != nullptr && position->pool != cross_pool ? position->pool : a.isolated.size();
    const auto where = [&orders](Error& e) {
      e.at(input_path::open_order(orders.first)).context("open orders in the pool");
    };
    for (const bool buy : {true, false}) {
      VMARGIN_TRY(const Money cost,
                  side_cost(a, market, held(buy), buy ? orders.buys : orders.sells, buy).on_error(where));
      Money& total = costs[pool][buy ? 0 : 1];
      VMARGIN_TRY(total, add(total, cost).on_error(where));
    }
  }
  for (std::size_t i = 0; i <= a.isolated.size(); ++i) {
    PoolValuation& pool = i < a.isolated.size() ? a.isolated[i] : a.cross;
    pool.open_orders_margin = max_of(costs[i][0], costs[i][1]);
  }
  return Ok{};
}

}  // namespace

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
    if (const OptionMarket* om = params.find_option_market(p.market)) {
      if (p.leg != PositionLeg::net) {
        return invalid(input_path::position(p.key()),
                       "option market " + p.market + " has no hedge legs; hold it as " + p.market);
      }
      VMARGIN_TRY(OptionValuation o, bind_option(p, *om, params, prices));
      const std::size_t index = a.options.size();
      if (p.is_isolated()) {
        PoolValuation pool;
        pool.index = a.isolated.size();
        pool.options.push_back(index);
        pool.isolated_margin = p.isolated_margin;
        VMARGIN_CHECK(value_isolated_margin(pool, o));
        o.pool = pool.index;
        a.isolated.push_back(std::move(pool));
      } else {
        a.cross.options.push_back(index);
      }
      a.options.push_back(o);
      continue;
    }
    VMARGIN_CHECK(check_leg(account, p, params));
    const std::size_t index = a.positions.size();
    PositionValuation& b = a.positions.emplace_back();  // reserved: stays put
    VMARGIN_CHECK(bind_position(p, params, prices, b));
    if (p.is_isolated()) {
      PoolValuation pool;
      pool.index = a.isolated.size();
      pool.positions.push_back(index);
      pool.isolated_margin = p.isolated_margin;
      VMARGIN_CHECK(value_isolated_margin(pool, b));
      b.pool = pool.index;
      a.isolated.push_back(std::move(pool));
    } else {
      a.cross.positions.push_back(index);
    }
  }
  VMARGIN_CHECK(group_options(a, a.cross));
  for (PoolValuation& pool : a.isolated) VMARGIN_CHECK(group_options(a, pool));
  VMARGIN_CHECK(value_open_orders(a));
  return a;
}

namespace {

void add_magnitude(u128& total, i128 x) {
  const u128 m = magnitude(x);
  total = total > ~u128{0} - m ? ~u128{0} : total + m;
}

void add_terms(u128& g, const CollateralValue& v) {
  add_magnitude(g, v.value.raw());
  add_magnitude(g, v.maintenance_value.value.raw());
  add_magnitude(g, v.initial_value.raw());
}

void add_terms(u128& g, const PositionValue& v) {
  add_magnitude(g, v.unrealized_pnl.value.raw());
  add_magnitude(g, v.requirement.initial.raw());
  add_magnitude(g, v.requirement.maintenance.value.raw());
}

// An isolated pool's own margin starts its collateral value, its
// maintenance collateral value and its initial collateral value.
void add_terms(u128& g, const PoolValuation& pool) {
  add_magnitude(g, pool.isolated_margin_value.value.raw());
  add_magnitude(g, pool.isolated_margin_value.value.raw());
  add_magnitude(g, pool.isolated_margin_initial_value.raw());
}

}  // namespace

u128 pool_terms_magnitude(const AccountValuation& a) {
  u128 g = 0;
  for (const OptionValuation& o : a.options) add_magnitude(g, o.value.equity_value.raw());
  const auto pool_terms = [&g](const PoolValuation& pool) {
    for (const ExpiryGroup& e : pool.expiry_groups) {
      add_magnitude(g, e.initial_margin.raw());
      add_magnitude(g, e.maintenance_margin.raw());
    }
    if (pool.isolated_margin) add_terms(g, pool);
    if (pool.open_orders_margin) add_magnitude(g, pool.open_orders_margin->raw());
  };
  pool_terms(a.cross);
  for (const PoolValuation& pool : a.isolated) pool_terms(pool);
  for (const CollateralValuation& c : a.collateral) add_terms(g, c.value);
  for (const PositionValuation& p : a.positions) add_terms(g, p.value);
  return g;
}

Result<std::optional<u128>> feed_terms_magnitude(const AccountValuation& a, const FeedPrice& feed,
                                                 const FeedPrice& at) {
  for (const OptionValuation& o : a.options) {
    if (o.feed == &feed) return std::optional<u128>{};
  }
  // Open orders' margin and deposit-limited weights (§5.8, §5.9) are not
  // valued again here: no bound, the caller evaluates in full.
  if (!a.account->open_orders.empty()) return std::optional<u128>{};
  u128 moved = 0;
  for (const CollateralValuation& c : a.collateral) {
    if (c.feed != &feed) continue;
    if (c.total_deposits_value) return std::optional<u128>{};
    // Weights depend on the balance and the volatility, not on the mark.
    const Money balance = c.balance->amount;
    VMARGIN_TRY(const CollateralValue v,
                value_collateral(balance, at.mark, initial_price_of(balance, at.mark, at.stable_or_mark()),
                                 c.weights));
    add_terms(moved, v);
  }
  for (const PositionValuation& p : a.positions) {
    if (p.feed != &feed) continue;
    // Nor do a position's constants (size premium, volatility multiplier).
    VMARGIN_TRY(const PositionValue v, value_position(*p.market, *p.position, p.constants, at.mark));
    add_terms(moved, v);
    if (p.pool == cross_pool) continue;
    const PoolValuation& pool = a.isolated[p.pool];
    PoolValuation margin;
    margin.isolated_margin = pool.isolated_margin;
    PositionValuation moved_position = p;
    moved_position.feed = &at;
    VMARGIN_CHECK(value_isolated_margin(margin, moved_position));
    add_terms(moved, margin);
  }
  return std::optional<u128>{moved};
}

}  // namespace vmargin
