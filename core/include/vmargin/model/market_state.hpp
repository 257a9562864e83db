// The market data an evaluation uses: its time and, per feed, the mark,
// the stable price and the volatility index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct FeedPrice {
  std::string feed;  ///< e.g. "BTC-USD"
  Price mark;        ///< > 0
  /// A slow-moving reference used for initial-margin figures (assets at
  /// min(mark, stable), liabilities at max(mark, stable)); the mark when absent.
  std::optional<Price> stable;
  /// Annualised volatility index (e.g. 0.65); no volatility scaling when absent.
  std::optional<Ratio> volatility;

  [[nodiscard]] Price stable_or_mark() const noexcept { return stable ? *stable : mark; }
};

struct MarketState {
  /// Evaluation time, milliseconds since the Unix epoch (futures expire).
  std::int64_t as_of_ms = 0;
  /// Sorted by feed, feeds unique (validate() checks).
  std::vector<FeedPrice> feeds;

  [[nodiscard]] const FeedPrice* find(std::string_view feed) const noexcept;
};

/// Marks and stable prices positive, volatility non-negative, feeds sorted
/// and unique, time non-negative.
[[nodiscard]] Status validate(const MarketState& prices);

}  // namespace vmargin
