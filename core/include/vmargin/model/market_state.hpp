// The prices an evaluation uses: one mark per feed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct FeedPrice {
  std::string feed;  ///< e.g. "BTC-USD"
  Price mark;
};

struct MarketState {
  /// Sorted by feed, feeds unique (validate() checks).
  std::vector<FeedPrice> feeds;

  [[nodiscard]] const FeedPrice* find(std::string_view feed) const noexcept;
};

/// Every mark is positive; feeds sorted and unique.
[[nodiscard]] Status validate(const MarketState& prices);

}  // namespace vmargin
