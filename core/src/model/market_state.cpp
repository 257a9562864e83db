// Prices: lookup and rules (docs/spec.md §3.2, in the order of §4 step 4).
#include "vmargin/model/market_state.hpp"

#include <algorithm>
#include <utility>

#include "vmargin/model/keyed.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {

const FeedPrice* MarketState::find(std::string_view feed) const noexcept {
  return find_sorted(feeds, feed, [](const FeedPrice& f) -> const std::string& { return f.feed; });
}

const OpenInterest* MarketState::find_open_interest(std::string_view market) const noexcept {
  return find_sorted(open_interest, market,
                     [](const OpenInterest& o) -> const std::string& { return o.market; });
}

const TotalDeposits* MarketState::find_total_deposits(std::string_view asset) const noexcept {
  return find_sorted(total_deposits, asset,
                     [](const TotalDeposits& t) -> const std::string& { return t.asset; });
}

Result<Price> moved_forward(Price forward, Price price, Price mark) {
  return mul_div_to<Price>(forward, price, mark, Round::down);
}

namespace {

// The feed's mark at `price` and its expiries' forwards moved, in `moved`.
Status move_feed(MarketState& moved, std::string_view feed, Price mark, Price price) {
  for (FeedPrice& f : moved.feeds) {
    if (f.feed == feed) f.mark = price;
  }
  for (OptionExpiry& e : moved.option_expiries) {
    if (e.feed != feed) continue;
    VMARGIN_TRY(e.forward, moved_forward(e.forward, price, mark));
  }
  return Ok{};
}

Error no_feed(std::string_view feed) {
  return Error(ErrorCode::missing_price, "no price for feed " + std::string(feed));
}

}  // namespace

Result<MarketState> with_feed_at(const MarketState& prices, std::string_view feed, Price price) {
  const FeedPrice* old = prices.find(feed);
  if (old == nullptr) return no_feed(feed);
  MarketState moved = prices;
  VMARGIN_CHECK(move_feed(moved, feed, old->mark, price));
  return moved;
}

const OptionExpiry* MarketState::find_expiry(std::string_view feed, std::int64_t expiry_ms) const noexcept {
  const auto it =
      std::lower_bound(option_expiries.begin(), option_expiries.end(), std::pair{feed, expiry_ms},
                       [](const OptionExpiry& e, const std::pair<std::string_view, std::int64_t>& k) {
                         return std::pair<std::string_view, std::int64_t>{e.feed, e.expiry_ms} < k;
                       });
  return it != option_expiries.end() && it->feed == feed && it->expiry_ms == expiry_ms ? &*it : nullptr;
}

namespace {

Status validate_expiry(const OptionExpiry& e) {
  const std::string at = input_path::option_expiry(e.feed, e.expiry_ms);
  if (e.feed.empty()) return invalid(std::string(input_path::prices) + "/option_expiries", "empty feed id");
  if (e.expiry_ms < 0) return invalid(at, "expiry of " + e.feed + " is before 1970");
  if (!e.forward.is_positive())
    return invalid(at + "/forward", "forward " + to_string(e.forward) + " of " + e.feed + " is not positive");
  if (e.rate.is_negative())
    return invalid(at + "/rate", "rate " + to_string(e.rate) + " of " + e.feed + " is negative");
  if (e.settlement_price && !e.settlement_price->is_positive()) {
    return invalid(at + "/settlement_price", "settlement price " + to_string(*e.settlement_price) + " of " +
                                                 e.feed + " is not positive");
  }
  return validate(e.svi).on_error([&](Error& err) { err.within(at + "/svi"); });
}

}  // namespace

Status validate_market_totals(const MarketState& prices, std::string_view root) {
  VMARGIN_CHECK(check_sorted_unique(
      prices.open_interest, [](const OpenInterest& o) -> const std::string& { return o.market; },
      "open interest market", root, "/open_interest"));
  for (const OpenInterest& o : prices.open_interest) {
    if (o.size.is_negative()) {
      return invalid(input_path::child(std::string(root) + "/open_interest", o.market),
                     "open interest " + to_string(o.size) + " of " + o.market + " is negative");
    }
  }
  VMARGIN_CHECK(check_sorted_unique(
      prices.total_deposits, [](const TotalDeposits& t) -> const std::string& { return t.asset; },
      "total deposits asset", root, "/total_deposits"));
  for (const TotalDeposits& t : prices.total_deposits) {
    if (t.amount.is_negative()) {
      return invalid(input_path::child(std::string(root) + "/total_deposits", t.asset),
                     "total deposits " + to_string(t.amount) + " of " + t.asset + " are negative");
    }
  }
  return Ok{};
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
  for (std::size_t i = 0; i < prices.option_expiries.size(); ++i) {
    const OptionExpiry& e = prices.option_expiries[i];
    if (i > 0) {
      const OptionExpiry& before = prices.option_expiries[i - 1];
      const bool ordered = before.feed < e.feed || (before.feed == e.feed && before.expiry_ms < e.expiry_ms);
      if (!ordered) {
        const bool dup = before.feed == e.feed && before.expiry_ms == e.expiry_ms;
        return Error(
            dup ? ErrorCode::duplicate_key : ErrorCode::invalid_value,
            dup ? "option expiry appears twice" : "option expiries must be sorted by feed and expiry",
            input_path::option_expiry(e.feed, e.expiry_ms));
      }
    }
    VMARGIN_CHECK(validate_expiry(e));
  }
  return validate_market_totals(prices, input_path::prices);
}

}  // namespace vmargin
