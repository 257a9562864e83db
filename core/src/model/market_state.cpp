// Prices: lookup and rules (docs/spec.md §3.2, in the order of §4 step 4).
#include "vmargin/model/market_state.hpp"

#include "vmargin/model/keyed.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {

const FeedPrice* MarketState::find(std::string_view feed) const noexcept {
  return find_sorted(feeds, feed, [](const FeedPrice& f) -> const std::string& { return f.feed; });
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

}  // namespace vmargin
