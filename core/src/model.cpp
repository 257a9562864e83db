#include <algorithm>
#include <string>

#include "vmargin/model/account.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
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

}  // namespace

const Market* RiskParameters::find_market(std::string_view id) const noexcept {
  return find_sorted(markets, id, [](const Market& m) -> const std::string& { return m.id; });
}

const FeedPrice* MarketState::find(std::string_view feed) const noexcept {
  return find_sorted(feeds, feed, [](const FeedPrice& f) -> const std::string& { return f.feed; });
}

Status validate(const RiskParameters& params) {
  const std::string_view root = input_path::risk_parameters;
  if (params.settlement_asset.empty())
    return invalid(std::string(root) + "/settlement_asset", "the settlement asset must not be empty");
  if (params.margin_call_ratio < Ratio::one()) {
    return invalid(std::string(root) + "/margin_call_ratio",
                   "margin call ratio " + to_string(params.margin_call_ratio) +
                       " is below 1; a margin call must come before liquidation");
  }
  VMARGIN_CHECK(check_sorted_unique(
      params.markets, [](const Market& m) -> const std::string& { return m.id; }, "market", root,
      "/markets"));
  for (const Market& m : params.markets) {
    // Paths are built only on the error path: validation runs on every evaluation.
    const auto path = [&m](const char* field) { return input_path::market(m.id) + field; };
    if (m.feed.empty()) return invalid(path("/feed"), "market " + m.id + " names no price feed");
    if (m.maintenance_rate.is_negative() || m.maintenance_rate > Ratio::one()) {
      return invalid(path("/maintenance_rate"), "maintenance rate " + to_string(m.maintenance_rate) + " of " +
                                                    m.id + " is outside [0, 1]");
    }
    if (m.initial_rate > Ratio::one()) {
      return invalid(path("/initial_rate"),
                     "initial rate " + to_string(m.initial_rate) + " of " + m.id + " is above 1");
    }
    if (m.initial_rate < m.maintenance_rate) {
      return invalid(path("/initial_rate"), "initial rate " + to_string(m.initial_rate) + " of " + m.id +
                                                " is below its maintenance rate " +
                                                to_string(m.maintenance_rate));
    }
  }
  return Ok{};
}

Status validate(const MarketState& prices) {
  VMARGIN_CHECK(check_sorted_unique(
      prices.feeds, [](const FeedPrice& f) -> const std::string& { return f.feed; }, "feed",
      input_path::prices, "/feeds"));
  for (const FeedPrice& f : prices.feeds) {
    if (!f.mark.is_positive()) {
      return invalid(input_path::feed_price(f.feed) + "/mark",
                     "mark price " + to_string(f.mark) + " of " + f.feed + " is not positive");
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
  }
  return Ok{};
}

}  // namespace vmargin
