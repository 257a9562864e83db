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
    for (OptionExpiry& e : prices.option_expiries) {
      if (e.feed == s.feed) {
        VMARGIN_TRY(e.forward, shock(e.forward));
      }
    }
  }
  return Ok{};
}

Status apply_volatility_shocks(MarketState& prices, const std::vector<VolatilityShock>& shocks) {
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const VolatilityShock& s = shocks[i];
    const std::string path = input_path::child(scenario_path("volatility_shocks"), s.feed);
    if (i > 0 && !(shocks[i - 1].feed < s.feed))
      return Error(ErrorCode::duplicate_key, "feed \"" + s.feed + "\" is shocked twice", path);
    bool found = false;
    VMARGIN_TRY(
        const Ratio shift,
        div(s.points, Ratio::from_units(100), Round::toward_zero).on_error([&](Error& e) { e.at(path); }));
    for (OptionExpiry& e : prices.option_expiries) {
      if (e.feed != s.feed) continue;
      found = true;
      VMARGIN_TRY(e.volatility_shift,
                  add(e.volatility_shift, shift).on_error([&](Error& err) { err.at(path); }));
    }
    if (!found)
      return Error(ErrorCode::missing_price,
                   "no option expiries for the volatility-shocked feed \"" + s.feed + "\"", path);
  }
  return Ok{};
}

Status apply_time(MarketState& prices, std::int64_t days) {
  constexpr std::int64_t day_ms = 86'400'000;
  constexpr std::int64_t max_days = 1'000'000;  // ~2,700 years: keeps the time within 64 bits
  if (days < 0 || days > max_days)
    return invalid(scenario_path("days_forward"),
                   "days_forward " + std::to_string(days) + " is outside [0, 1000000]");
  prices.as_of_ms += days * day_ms;
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

// The order checked against the parameters and prices: its market and
// fill price (§9 step 3).
Result<Price> fill_price(const RiskParameters& params, const MarketState& prices, const Order& order,
                         std::size_t index, const Market*& market) {
  market = params.find_market(order.market);
  if (market == nullptr && params.find_option_market(order.market) != nullptr) {
    return invalid(
        order_path(index, "/market"),
        order.market + " is an option market; what-if orders in option markets are not supported yet");
  }
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
  return price;
}

// Same side: q + d at the averaged entry, rounded against the account (up
// for a long, down for a short).
Status add_to_position(Position& pos, const Order& order, Price price, std::size_t index) {
  VMARGIN_TRY(const Quantity total,
              add(pos.quantity, order.quantity).on_error([index](Error& e) { e.at(order_path(index)); }));
  i128 entry = 0;
  if (const Fault f =
          sum_of_products_fault(pos.quantity.raw(), pos.entry_price.raw(), order.quantity.raw(), price.raw(),
                                total.raw(), total.is_positive() ? Round::up : Round::down, entry);
      f != Fault::none) {
    return arithmetic_error(f, "averaged entry price of " + pos.market).at(order_path(index));
  }
  pos.quantity = total;
  pos.entry_price = Price::from_raw(entry);
  return Ok{};
}

// Opposite side: close up to the whole position (realized PnL and, when it
// closes, funding settled), then open the rest at the fill price.
Status reduce_position(const Market& market, Account& account, std::vector<Position>::iterator it,
                       const Order& order, Price price, std::size_t index) {
  Position& pos = *it;
  const auto where = [index](Error& e) { e.at(order_path(index)); };
  const bool flips = order.quantity.abs() > pos.quantity.abs();
  const Quantity closing = flips ? -pos.quantity : order.quantity;
  VMARGIN_TRY(Money settled, realized_pnl(market, closing, pos.entry_price, price).on_error(where));
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
    VMARGIN_CHECK(add_to_balance(account, market.settlement_asset, settled, order_path(index)));
  }
  if (!left.is_zero()) {
    pos.quantity = left;
    return Ok{};
  }
  if (!flips) {
    // Closed: an isolated position's margin returns to the account's balance.
    if (pos.is_isolated() && !pos.isolated_margin->is_zero())
      VMARGIN_CHECK(
          add_to_balance(account, market.settlement_asset, *pos.isolated_margin, order_path(index)));
    account.positions.erase(it);
    return Ok{};
  }
  VMARGIN_TRY(pos.quantity, sub(order.quantity, closing).on_error(where));
  pos.entry_price = price;
  pos.pending_funding = Money::zero();
  return Ok{};
}

}  // namespace

Status apply_order(const RiskParameters& params, const MarketState& prices, Account& account,
                   const Order& order, std::size_t index) {
  const Market* market = nullptr;
  VMARGIN_TRY(const Price price, fill_price(params, prices, order, index, market));
  if (account.position_mode == PositionMode::hedge) {
    // Binance's hedge mode: a buy opens or adds to the long leg, a sell to
    // the short one (§9); closing a leg is not an order of this form.
    Position opened{
        order.market, order.quantity,
        price,        Money::zero(),
        std::nullopt, order.quantity.is_positive() ? PositionLeg::long_leg : PositionLeg::short_leg};
    const std::string key = opened.key();
    auto at = std::lower_bound(account.positions.begin(), account.positions.end(), key,
                               [](const Position& p, const std::string& k) { return p.key() < k; });
    if (at == account.positions.end() || at->key() != key) {
      account.positions.insert(at, std::move(opened));
      return Ok{};
    }
    return add_to_position(*at, order, price, index);
  }
  auto it = std::lower_bound(account.positions.begin(), account.positions.end(), order.market,
                             [](const Position& p, const std::string& m) { return p.market < m; });
  if (it == account.positions.end() || it->market != order.market) {
    account.positions.insert(it, Position{order.market, order.quantity, price, Money::zero(), std::nullopt});
    return Ok{};
  }
  if (it->quantity.is_negative() == order.quantity.is_negative())
    return add_to_position(*it, order, price, index);
  return reduce_position(*market, account, it, order, price, index);
}

Result<ScenarioInputs> apply_scenario_validated(const RiskParameters& params, const MarketState& prices,
                                                const Account& account, const Scenario& scenario) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));
  ScenarioInputs in{prices, account};
  VMARGIN_CHECK(apply_shocks(in.prices, scenario.shocks));
  VMARGIN_CHECK(apply_volatility_shocks(in.prices, scenario.volatility_shocks));
  VMARGIN_CHECK(apply_time(in.prices, scenario.days_forward));
  VMARGIN_CHECK(apply_collateral(in.account, scenario.collateral));
  for (std::size_t i = 0; i < scenario.orders.size(); ++i)
    VMARGIN_CHECK(apply_order(params, in.prices, in.account, scenario.orders[i], i));
  return in;
}

Result<ScenarioInputs> apply_scenario(const RiskParameters& params, const MarketState& prices,
                                      const Account& account, const Scenario& scenario) {
  VMARGIN_CHECK(validate(params));
  return apply_scenario_validated(params, prices, account, scenario);
}

}  // namespace vmargin
