// What an account's evaluation reads from the prices (docs/spec.md §15.1):
// the feeds of its markets and collateral assets, the option data of its
// option markets' expiries, and the time only through its instruments'
// expiries. The watch (exchange_book.hpp) re-evaluates an account only when
// one of these changed; everything else in a new snapshot cannot change its
// report but for the report's as_of.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin::watch {

struct ExpiryKey {
  std::string feed;
  std::int64_t expiry_ms = 0;
  // Spelled out: libc++ 14 (Emscripten) has no operator<=> for std::string.
  friend bool operator==(const ExpiryKey& a, const ExpiryKey& b) {
    return a.feed == b.feed && a.expiry_ms == b.expiry_ms;
  }
  friend bool operator<(const ExpiryKey& a, const ExpiryKey& b) {
    return a.feed != b.feed ? a.feed < b.feed : a.expiry_ms < b.expiry_ms;
  }
};

struct MarketInputs {
  std::vector<std::string> feeds;             ///< sorted, unique
  std::vector<ExpiryKey> option_expiries;     ///< sorted, unique
  std::vector<std::int64_t> future_expiries;  ///< dated futures, sorted, unique
  [[nodiscard]] bool reads_time() const noexcept {
    return !option_expiries.empty() || !future_expiries.empty();
  }
};

/// The inputs of `account` under `params`. A reference the parameters do not
/// resolve reads nothing: its evaluation fails whatever the prices.
[[nodiscard]] MarketInputs market_inputs(const RiskParameters& params, const Account& account);

/// How the evaluation time reaches an account (§15.1): per dated future
/// whether it has expired, per option expiry the whole seconds to expiry
/// (or -1 once expired). Equal views at two times: equal reports.
[[nodiscard]] std::vector<std::int64_t> time_view(const MarketInputs& inputs, std::int64_t as_of_ms);

/// What differs between two price sets.
struct PriceChanges {
  std::vector<std::string> feeds;          ///< sorted: added, removed or any field changed
  std::vector<ExpiryKey> option_expiries;  ///< sorted: added, removed or any field changed
  bool time = false;                       ///< as_of differs
  [[nodiscard]] bool empty() const noexcept { return feeds.empty() && option_expiries.empty() && !time; }
};

/// Both price sets validated (sorted, unique keys).
[[nodiscard]] PriceChanges price_changes(const MarketState& before, const MarketState& after);

}  // namespace vmargin::watch
