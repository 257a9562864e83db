// What-if scenarios and the largest order (docs/spec.md §9).
#include "vmargin/whatif/scenario.hpp"

#include <algorithm>
#include <string>

#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

std::string scenario_path(std::string_view member) { return "/scenario/" + std::string(member); }
std::string order_path(std::size_t i, std::string_view field = {}) {
  return "/scenario/orders/" + std::to_string(i) + std::string(field);
}

Error invalid(std::string path, std::string message) {
  return Error(ErrorCode::invalid_value, std::move(message), std::move(path));
}

Status apply_shocks(MarketState& prices, const std::vector<PriceShock>& shocks) {
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const PriceShock& s = shocks[i];
    const std::string path = input_path::child(scenario_path("shocks"), s.feed);
    if (i > 0 && !(shocks[i - 1].feed < s.feed))
      return Error(ErrorCode::duplicate_key, "feed \"" + s.feed + "\" is shocked twice", path);
    auto it = std::find_if(prices.feeds.begin(), prices.feeds.end(),
                           [&](const FeedPrice& f) { return f.feed == s.feed; });
    if (it == prices.feeds.end())
      return Error(ErrorCode::missing_price, "no price for the shocked feed \"" + s.feed + "\"", path);
    if (s.change <= -Ratio::one())
      return invalid(
          path, "a shock of " + to_string(s.change) + " would make the price of " + s.feed + " non-positive");
    VMARGIN_TRY(const Ratio factor, add(Ratio::one(), s.change));
    const auto shock = [&](Price p) -> Result<Price> {
      VMARGIN_TRY(const Price moved, mul(p, factor, Round::down).on_error([&](Error& e) { e.at(path); }));
      if (!moved.is_positive())
        return invalid(path,
                       "the shock of " + to_string(s.change) + " rounds the price of " + s.feed + " to zero");
      return moved;
    };
    VMARGIN_TRY(it->mark, shock(it->mark));
    if (it->stable) {
      VMARGIN_TRY(it->stable, shock(*it->stable));
    }
  }
  return Ok{};
}

// Adds `delta` to the balance of `asset` (created at 0, removed at 0).
Status add_to_balance(Account& account, const std::string& asset, Money delta, const std::string& path) {
  auto it = std::lower_bound(account.collateral.begin(), account.collateral.end(), asset,
                             [](const CollateralBalance& b, const std::string& a) { return b.asset < a; });
  if (it == account.collateral.end() || it->asset != asset)
    it = account.collateral.insert(it, CollateralBalance{asset, Money::zero()});
  VMARGIN_TRY(it->amount,
              add(it->amount, delta).on_error([&](Error& e) { e.at(path).context("balance of " + asset); }));
  if (it->amount.is_zero()) account.collateral.erase(it);
  return Ok{};
}

Status apply_collateral(Account& account, const std::vector<CollateralChange>& changes) {
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const std::string path = input_path::child(scenario_path("collateral"), changes[i].asset);
    if (i > 0 && !(changes[i - 1].asset < changes[i].asset))
      return Error(ErrorCode::duplicate_key, "asset \"" + changes[i].asset + "\" is changed twice", path);
    VMARGIN_CHECK(add_to_balance(account, changes[i].asset, changes[i].delta, path));
  }
  return Ok{};
}

// The PnL of closing `closed` (signed like the order) of a position entered
// at `entry`, filled at `price`: in the market's margin asset (valuation
// currency for linear markets, coins for inverse ones), rounded down.
Result<Money> realized_pnl(const Market& market, Quantity closed, Price entry, Price price) {
  VMARGIN_TRY(const Price move, sub(price, entry));
  if (!is_inverse(market.kind)) {
    VMARGIN_TRY(const Money pnl, mul(-closed, move, Round::down));
    return pnl;
  }
  VMARGIN_TRY(const Money face, mul(-closed, market.contract_size, Round::toward_zero));
  VMARGIN_TRY(const i128 usd, mul_div_raw(face.raw(), move.raw(), entry.raw(), Round::down, "realized PnL"));
  VMARGIN_TRY(const i128 coins,
              mul_div_raw(usd, fixed_scale, price.raw(), Round::down, "realized PnL in coins"));
  return Money::from_raw(coins);
}

Status apply_order(const RiskParameters& params, const MarketState& prices, Account& account,
                   const Order& order, std::size_t index) {
  const Market* market = params.find_market(order.market);
  if (market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + order.market + "\" is not defined in the risk parameters",
                 order_path(index, "/market"));
  }
  if (order.quantity.is_zero()) return invalid(order_path(index, "/quantity"), "an order of zero size");
  if (order.quantity.raw() % market->lot_size.raw() != 0) {
    return invalid(order_path(index, "/quantity"), "order quantity " + to_string(order.quantity) +
                                                       " is not a multiple of the lot size " +
                                                       to_string(market->lot_size) + " of " + market->id);
  }
  const FeedPrice* feed = prices.find(market->feed);
  if (feed == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + market->feed + "\", which marks " + market->id,
                 input_path::feed_price(market->feed));
  }
  const Price price = order.price.value_or(feed->mark);
  if (!price.is_positive())
    return invalid(order_path(index, "/price"), "order price " + to_string(price) + " is not positive");
  const auto where = [index](Error& e) { e.at(order_path(index)); };

  auto it = std::lower_bound(account.positions.begin(), account.positions.end(), order.market,
                             [](const Position& p, const std::string& m) { return p.market < m; });
  if (it == account.positions.end() || it->market != order.market) {
    account.positions.insert(it, Position{order.market, order.quantity, price, Money::zero(), std::nullopt});
    return Ok{};
  }
  Position& pos = *it;
  const bool same_side = pos.quantity.is_negative() == order.quantity.is_negative();
  if (same_side) {
    // Averaged entry, rounded against the account: up for a long, down for a short.
    VMARGIN_TRY(const Quantity total, add(pos.quantity, order.quantity).on_error(where));
    i128 entry = 0;
    if (const Fault f = sum_of_products_fault(pos.quantity.raw(), pos.entry_price.raw(), order.quantity.raw(),
                                              price.raw(), total.raw(),
                                              total.is_positive() ? Round::up : Round::down, entry);
        f != Fault::none) {
      return arithmetic_error(f, "averaged entry price of " + pos.market).at(order_path(index));
    }
    pos.quantity = total;
    pos.entry_price = Price::from_raw(entry);
    return Ok{};
  }
  // Opposite side: close up to the whole position, then open the rest.
  const bool flips = order.quantity.abs() > pos.quantity.abs();
  const Quantity closing = flips ? -pos.quantity : order.quantity;
  VMARGIN_TRY(Money settled, realized_pnl(*market, closing, pos.entry_price, price).on_error(where));
  VMARGIN_TRY(const Quantity left, add(pos.quantity, closing).on_error(where));
  if (left.is_zero()) {
    VMARGIN_TRY(settled, add(settled, pos.pending_funding).on_error(where));
  }
  if (pos.is_isolated()) {
    VMARGIN_TRY(const Money margin, add(*pos.isolated_margin, settled).on_error(where));
    if (margin.is_negative()) {
      return invalid(order_path(index),
                     "the order's realized loss exceeds the isolated margin of " + pos.market);
    }
    pos.isolated_margin = margin;
  } else {
    VMARGIN_CHECK(add_to_balance(account, market->settlement_asset, settled, order_path(index)));
  }
  if (!left.is_zero()) {
    pos.quantity = left;
    return Ok{};
  }
  if (!flips) {
    // Closed: an isolated position's margin returns to the account's balance.
    if (pos.is_isolated() && !pos.isolated_margin->is_zero())
      VMARGIN_CHECK(
          add_to_balance(account, market->settlement_asset, *pos.isolated_margin, order_path(index)));
    account.positions.erase(it);
    return Ok{};
  }
  VMARGIN_TRY(pos.quantity, sub(order.quantity, closing).on_error(where));
  pos.entry_price = price;
  pos.pending_funding = Money::zero();
  return Ok{};
}

}  // namespace

namespace {

// apply_scenario for parameters already validated.
Result<ScenarioInputs> apply_validated(const RiskParameters& params, const MarketState& prices,
                                       const Account& account, const Scenario& scenario) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));
  ScenarioInputs in{prices, account};
  VMARGIN_CHECK(apply_shocks(in.prices, scenario.shocks));
  VMARGIN_CHECK(apply_collateral(in.account, scenario.collateral));
  for (std::size_t i = 0; i < scenario.orders.size(); ++i)
    VMARGIN_CHECK(apply_order(params, in.prices, in.account, scenario.orders[i], i));
  return in;
}

}  // namespace

Result<ScenarioInputs> apply_scenario(const RiskParameters& params, const MarketState& prices,
                                      const Account& account, const Scenario& scenario) {
  VMARGIN_CHECK(validate(params));
  return apply_validated(params, prices, account, scenario);
}

namespace {

struct Trial {
  bool passes = false;
  std::optional<PoolReport> pool;
};

}  // namespace

Result<LargestOrder> largest_order(const RiskParameters& params, const MarketState& prices,
                                   const Account& account, const Scenario& scenario,
                                   const OrderQuery& query) {
  VMARGIN_TRY(const ValidatedParameters validated, ValidatedParameters::make(params));
  VMARGIN_TRY(const ScenarioInputs base, apply_validated(params, prices, account, scenario));
  const Market* market = params.find_market(query.market);
  if (market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + query.market + "\" is not defined in the risk parameters", "/query/market");
  }
  const FeedPrice* feed = base.prices.find(market->feed);
  if (feed == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + market->feed + "\", which marks " + market->id,
                 input_path::feed_price(market->feed));
  }
  if (query.price && !query.price->is_positive())
    return invalid("/query/price", "order price " + to_string(*query.price) + " is not positive");

  LargestOrder out;
  out.market = query.market;
  out.side = query.side;
  out.price = query.price.value_or(feed->mark);
  const i128 lot = market->lot_size.raw();
  const i128 sign = query.side == OrderSide::buy ? 1 : -1;

  // Lots that only reduce an opposite position always pass.
  i128 reducing = 0;
  for (const Position& p : base.account.positions) {
    if (p.market != query.market) continue;
    if ((p.quantity.is_positive() ? 1 : -1) != sign) reducing = p.quantity.abs().raw() / lot;
  }

  EvaluationOptions options;
  options.liquidation_prices = false;
  options.liquidation_plans = false;
  const auto trial = [&](i128 n) -> Result<Trial> {
    Account acc = base.account;
    if (n > 0) {
      i128 q = 0;
      if (__builtin_mul_overflow(n, lot * sign, &q) || !is_fixed_raw(q)) return Trial{};
      const Status applied =
          apply_order(params, base.prices, acc, Order{query.market, Quantity::from_raw(q), out.price}, 0);
      if (!applied.ok()) {
        if (applied.error().code() == ErrorCode::overflow ||
            applied.error().code() == ErrorCode::invalid_value)
          return Trial{};
        return applied.error();
      }
    }
    Result<AccountReport> r = evaluate(validated, base.prices, acc, options);
    if (!r.ok()) {
      if (r.error().code() == ErrorCode::overflow || r.error().code() == ErrorCode::invalid_value)
        return Trial{};
      return std::move(r).error();
    }
    PoolReport pool = r->cross;
    for (const IsolatedPoolReport& p : r->isolated) {
      if (p.market == query.market) pool = p.pool;
    }
    return Trial{n <= reducing || pool.initial_equity >= pool.initial_margin, pool};
  };

  // Doubling past the reducing part until an order fails, then halving.
  i128 good = reducing;
  VMARGIN_TRY(Trial best, trial(good));
  i128 step = 1;
  i128 bad = 0;
  while (true) {
    i128 n = 0;
    if (__builtin_add_overflow(good, step, &n)) break;
    VMARGIN_TRY(const Trial t, trial(n));
    if (!t.passes) {
      bad = n;
      break;
    }
    good = n;
    best = t;
    if (step > (i128{1} << 100)) break;
    step *= 2;
  }
  while (bad - good > 1) {
    const i128 mid = good + (bad - good) / 2;
    VMARGIN_TRY(const Trial t, trial(mid));
    if (t.passes) {
      good = mid;
      best = t;
    } else {
      bad = mid;
    }
  }
  out.quantity = Quantity::from_raw(good * lot * sign);
  if (best.pool) out.pool_after = *best.pool;
  return out;
}

}  // namespace vmargin
