// Validation of the model: every rule of docs/spec.md §3, in the order of
// docs/spec.md §4, so every implementation names the same first error.
#include <algorithm>
#include <string>

#include "vmargin/margin/tiers.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {
namespace {

template <class T, class Key>
const T* find_sorted(const std::vector<T>& items, std::string_view id, Key key) noexcept {
  const auto it = std::lower_bound(items.begin(), items.end(), id,
                                   [&](const T& item, std::string_view k) { return key(item) < k; });
  return it != items.end() && key(*it) == id ? &*it : nullptr;
}

// Keys come from JSON object members, which the codec delivers sorted; a C++
// caller building the model by hand must keep the same order.
template <class T, class Key>
Status check_sorted_unique(const std::vector<T>& items, Key key, std::string_view what, std::string_view root,
                           std::string_view member) {
  const auto path = [&] { return std::string(root) + std::string(member); };
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (key(items[i]).empty()) {
      return Error(ErrorCode::invalid_value, std::string(what) + " ids must not be empty", path());
    }
    if (i > 0 && !(key(items[i - 1]) < key(items[i]))) {
      const bool dup = key(items[i - 1]) == key(items[i]);
      return Error(dup ? ErrorCode::duplicate_key : ErrorCode::invalid_value,
                   dup ? std::string(what) + " \"" + key(items[i]) + "\" appears twice"
                       : std::string(what) + " must be sorted by id: \"" + key(items[i]) + "\" follows \"" +
                             key(items[i - 1]) + "\"",
                   input_path::child(path(), key(items[i])));
    }
  }
  return Ok{};
}

Error invalid(std::string path, std::string message) {
  return Error(ErrorCode::invalid_value, std::move(message), std::move(path));
}

const std::string& market_id(const Market& m) { return m.id; }
const std::string& asset_id(const CollateralAsset& a) { return a.id; }
const std::string& feed_id(const FeedRisk& f) { return f.feed; }

Status validate_asset(const CollateralAsset& a) {
  const auto path = [&a](const char* field) { return input_path::asset(a.id) + field; };
  if (a.feed && a.feed->empty()) return invalid(path("/feed"), "asset " + a.id + " names an empty feed");
  const auto in_unit = [](Ratio r) { return !r.is_negative() && r <= Ratio::one(); };
  if (!in_unit(a.maintenance_weight)) {
    return invalid(path("/maintenance_weight"), "maintenance weight " + to_string(a.maintenance_weight) +
                                                    " of " + a.id + " is outside [0, 1]");
  }
  if (a.initial_weight.is_negative() || a.initial_weight > a.maintenance_weight) {
    return invalid(path("/initial_weight"), "initial weight " + to_string(a.initial_weight) + " of " + a.id +
                                                " is outside [0, maintenance weight " +
                                                to_string(a.maintenance_weight) + "]");
  }
  if (a.maintenance_liability_weight < Ratio::one()) {
    return invalid(path("/maintenance_liability_weight"), "maintenance liability weight " +
                                                              to_string(a.maintenance_liability_weight) +
                                                              " of " + a.id + " is below 1");
  }
  if (a.initial_liability_weight < a.maintenance_liability_weight) {
    return invalid(path("/initial_liability_weight"),
                   "initial liability weight " + to_string(a.initial_liability_weight) + " of " + a.id +
                       " is below its maintenance liability weight " +
                       to_string(a.maintenance_liability_weight));
  }
  if (a.size_factor.is_negative())
    return invalid(path("/size_factor"),
                   "size factor " + to_string(a.size_factor) + " of " + a.id + " is negative");
  if (a.volatility_haircut.is_negative()) {
    return invalid(path("/volatility_haircut"),
                   "volatility haircut " + to_string(a.volatility_haircut) + " of " + a.id + " is negative");
  }
  return Ok{};
}

Status validate_feed_risk(const FeedRisk& f) {
  const auto path = [&f](const char* field) { return input_path::feed_risk(f.feed) + field; };
  if (!f.volatility_reference.is_positive()) {
    return invalid(
        path("/volatility_reference"),
        "volatility reference " + to_string(f.volatility_reference) + " of " + f.feed + " is not positive");
  }
  if (f.max_volatility_multiplier < Ratio::one()) {
    return invalid(path("/max_volatility_multiplier"), "maximum volatility multiplier " +
                                                           to_string(f.max_volatility_multiplier) + " of " +
                                                           f.feed + " is below 1");
  }
  return Ok{};
}

Status validate_market(const Market& m, const RiskParameters& params) {
  const auto path = [&m](const char* field) { return input_path::market(m.id) + field; };
  if (m.feed.empty()) return invalid(path("/feed"), "market " + m.id + " names no price feed");
  const CollateralAsset* settlement = params.find_asset(m.settlement_asset);
  if (settlement == nullptr) {
    return Error(ErrorCode::unknown_asset,
                 "settlement asset \"" + m.settlement_asset + "\" of " + m.id + " is not a collateral asset",
                 path("/settlement_asset"));
  }
  if (is_inverse(m.kind)) {
    if (!settlement->feed || *settlement->feed != m.feed) {
      return invalid(path("/settlement_asset"), "inverse market " + m.id +
                                                    " must settle in the asset its feed " + m.feed +
                                                    " prices, not in " + m.settlement_asset);
    }
    // A whole face value keeps quantity x contract size exact.
    if (!m.contract_size.is_positive() || m.contract_size.raw() % fixed_scale != 0) {
      return invalid(path("/contract_size"), "contract size " + to_string(m.contract_size) + " of " + m.id +
                                                 " is not a positive whole number");
    }
  } else if (settlement->feed) {
    return invalid(path("/settlement_asset"),
                   "linear market " + m.id +
                       " must settle in an asset pegged to the valuation currency, "
                       "not in " +
                       m.settlement_asset);
  }
  if (!m.tick_size.is_positive())
    return invalid(path("/tick_size"),
                   "tick size " + to_string(m.tick_size) + " of " + m.id + " is not positive");
  if (!m.lot_size.is_positive())
    return invalid(path("/lot_size"),
                   "lot size " + to_string(m.lot_size) + " of " + m.id + " is not positive");
  if (m.expiry_ms && *m.expiry_ms < 0)
    return invalid(path("/expiry"), "expiry of " + m.id + " is before 1970");
  VMARGIN_CHECK(validate_tiers(m.tiers, m.id, input_path::market(m.id) + "/tiers"));
  if (m.size_premium_factor.is_negative()) {
    return invalid(path("/size_premium_factor"), "size premium factor " + to_string(m.size_premium_factor) +
                                                     " of " + m.id + " is negative");
  }
  // Closing a position must improve its pool's health: the fee must stay
  // below the smallest marginal maintenance rate (0.8 x the first tier's
  // rate, the floor of the size premium). docs/spec.md §7.3.
  const Ratio base = m.tiers.front().maintenance_rate;
  if (m.liquidation_fee_rate.is_negative() ||
      (!m.liquidation_fee_rate.is_zero() &&
       compare_products(m.liquidation_fee_rate.raw(), 5, base.raw(), 4) >= 0)) {
    return invalid(path("/liquidation_fee_rate"),
                   "liquidation fee rate " + to_string(m.liquidation_fee_rate) + " of " + m.id +
                       " is not below 0.8 x its first maintenance rate " + to_string(base));
  }
  return Ok{};
}

}  // namespace

std::string_view market_kind_name(MarketKind kind) noexcept {
  switch (kind) {
    case MarketKind::linear_perpetual:
      return "linear_perpetual";
    case MarketKind::inverse_perpetual:
      return "inverse_perpetual";
    case MarketKind::linear_future:
      return "linear_future";
    case MarketKind::inverse_future:
      return "inverse_future";
  }
  return "unknown";
}

const Market* RiskParameters::find_market(std::string_view id) const noexcept {
  return find_sorted(markets, id, market_id);
}
const CollateralAsset* RiskParameters::find_asset(std::string_view id) const noexcept {
  return find_sorted(assets, id, asset_id);
}
const FeedRisk* RiskParameters::find_feed(std::string_view id) const noexcept {
  return find_sorted(feeds, id, feed_id);
}

const FeedPrice* MarketState::find(std::string_view feed) const noexcept {
  return find_sorted(feeds, feed, [](const FeedPrice& f) -> const std::string& { return f.feed; });
}

Status validate(const RiskParameters& params) {
  const std::string_view root = input_path::risk_parameters;
  if (params.margin_call_ratio < Ratio::one()) {
    return invalid(std::string(root) + "/margin_call_ratio",
                   "margin call ratio " + to_string(params.margin_call_ratio) +
                       " is below 1; a margin call must come before liquidation");
  }
  if (params.liquidation_buffer_ratio.is_negative()) {
    return invalid(std::string(root) + "/liquidation_buffer_ratio",
                   "liquidation buffer ratio " + to_string(params.liquidation_buffer_ratio) + " is negative");
  }
  VMARGIN_CHECK(check_sorted_unique(params.assets, asset_id, "asset", root, "/assets"));
  for (const CollateralAsset& a : params.assets) VMARGIN_CHECK(validate_asset(a));
  VMARGIN_CHECK(check_sorted_unique(params.feeds, feed_id, "feed", root, "/feeds"));
  for (const FeedRisk& f : params.feeds) VMARGIN_CHECK(validate_feed_risk(f));
  VMARGIN_CHECK(check_sorted_unique(params.markets, market_id, "market", root, "/markets"));
  for (const Market& m : params.markets) VMARGIN_CHECK(validate_market(m, params));
  return Ok{};
}

Result<ValidatedParameters> ValidatedParameters::make(RiskParameters params) {
  VMARGIN_CHECK(validate(params));
  return ValidatedParameters(std::move(params));
}

Status validate(const MarketState& prices) {
  if (prices.as_of_ms < 0) {
    return invalid(std::string(input_path::prices) + "/as_of",
                   "evaluation time " + std::to_string(prices.as_of_ms) + " is before 1970");
  }
  VMARGIN_CHECK(check_sorted_unique(
      prices.feeds, [](const FeedPrice& f) -> const std::string& { return f.feed; }, "feed",
      input_path::prices, "/feeds"));
  for (const FeedPrice& f : prices.feeds) {
    const auto path = [&f](const char* field) { return input_path::feed_price(f.feed) + field; };
    if (!f.mark.is_positive())
      return invalid(path("/mark"), "mark price " + to_string(f.mark) + " of " + f.feed + " is not positive");
    if (f.stable && !f.stable->is_positive()) {
      return invalid(path("/stable"),
                     "stable price " + to_string(*f.stable) + " of " + f.feed + " is not positive");
    }
    if (f.volatility && f.volatility->is_negative()) {
      return invalid(path("/volatility"),
                     "volatility " + to_string(*f.volatility) + " of " + f.feed + " is negative");
    }
  }
  return Ok{};
}

Status validate(const Account& account) {
  VMARGIN_CHECK(check_sorted_unique(
      account.collateral, [](const CollateralBalance& b) -> const std::string& { return b.asset; },
      "collateral asset", input_path::account, "/collateral"));
  VMARGIN_CHECK(check_sorted_unique(
      account.positions, [](const Position& p) -> const std::string& { return p.market; }, "position market",
      input_path::account, "/positions"));
  for (const Position& p : account.positions) {
    // Paths are built only on the error path: validation runs on every evaluation.
    const auto path = [&p](const char* field) { return input_path::position(p.market) + field; };
    if (p.quantity.is_zero())
      return invalid(path("/quantity"), "position in " + p.market + " has a zero quantity");
    if (!p.entry_price.is_positive()) {
      return invalid(path("/entry_price"),
                     "entry price " + to_string(p.entry_price) + " of " + p.market + " is not positive");
    }
    if (p.isolated_margin && p.isolated_margin->is_negative()) {
      return invalid(path("/isolated_margin"),
                     "isolated margin " + to_string(*p.isolated_margin) + " of " + p.market + " is negative");
    }
  }
  return Ok{};
}

}  // namespace vmargin
