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
#include "vmargin/options/svi.hpp"

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

/// The option market data of one (underlying feed, expiry): the forward,
/// the rate that discounts to it, the fitted volatility smile, and after
/// expiry the settlement price (docs/spec.md §3.2).
struct OptionExpiry {
  std::string feed;
  std::int64_t expiry_ms = 0;
  Price forward;  ///< > 0
  Ratio rate;     ///< >= 0, continuously compounded, annualised
  SviParameters svi;
  std::optional<Price> settlement_price;  ///< required to value the expiry from its expiry time on
  /// Added to every implied volatility of the expiry (floored at 0): set by
  /// what-if volatility shocks only, never part of a prices document.
  Ratio volatility_shift;
};

/// The exchange's open interest in one market: the size of all longs (=
/// all shorts), in base units or contracts (docs/spec.md §3.2, §5.7).
struct OpenInterest {
  std::string market;
  Quantity size;  ///< >= 0
};

/// The exchange's total deposits of one collateral asset, in its units
/// (docs/spec.md §3.2, §5.8).
struct TotalDeposits {
  std::string asset;
  Money amount;  ///< >= 0
};

struct MarketState {
  /// Evaluation time, milliseconds since the Unix epoch (futures expire).
  std::int64_t as_of_ms = 0;
  /// Sorted by feed, feeds unique (validate() checks).
  std::vector<FeedPrice> feeds;
  /// Sorted by (feed, expiry), unique.
  std::vector<OptionExpiry> option_expiries;
  /// Exchange-wide totals, sorted by id, unique: they scale initial figures only.
  std::vector<OpenInterest> open_interest;
  std::vector<TotalDeposits> total_deposits;

  [[nodiscard]] const FeedPrice* find(std::string_view feed) const noexcept;
  [[nodiscard]] const OpenInterest* find_open_interest(std::string_view market) const noexcept;
  [[nodiscard]] const TotalDeposits* find_total_deposits(std::string_view asset) const noexcept;
  [[nodiscard]] const OptionExpiry* find_expiry(std::string_view feed, std::int64_t expiry_ms) const noexcept;
};

/// An option expiry's forward when its feed's mark moves from `mark` to
/// `price`: down(forward x price / mark), the basis moving in proportion to
/// the index (docs/spec.md §13.5). An overflow when it does not fit.
[[nodiscard]] Result<Price> moved_forward(Price forward, Price price, Price mark);

/// The market with one feed's mark at `price` (its stable price and
/// volatility unchanged) and that feed's option expiries' forwards moved
/// (moved_forward); every other feed and expiry unchanged: "the pool at
/// price Q of feed F" (docs/spec.md §7, §13.5). An overflow when a forward
/// does not fit.
[[nodiscard]] Result<MarketState> with_feed_at(const MarketState& prices, std::string_view feed, Price price);

/// Open interest and total deposits sorted by id, unique, non-negative;
/// paths under `root` ("/prices", or a signed snapshot's payload).
[[nodiscard]] Status validate_market_totals(const MarketState& prices, std::string_view root);

/// Marks and stable prices positive, volatility non-negative, feeds sorted
/// and unique, time non-negative; option expiries sorted and unique, forward
/// positive, rate non-negative, smiles valid (options/svi.hpp); open
/// interest and total deposits sorted, unique and non-negative.
[[nodiscard]] Status validate(const MarketState& prices);

}  // namespace vmargin
