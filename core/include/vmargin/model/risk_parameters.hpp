// The exchange's published risk parameters: markets with their tier tables,
// collateral assets with their weights, per-feed volatility scaling and the
// liquidation rules. Value types; validate() enforces every rule of
// docs/spec.md §3.1 and the engine only accepts validated parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/options/option_margin.hpp"

namespace vmargin {

enum class MarketKind : std::uint8_t {
  linear_perpetual,   ///< size in base units; value and PnL in the valuation currency
  inverse_perpetual,  ///< size in contracts of a fixed face value; margined in the base coin
  linear_future,      ///< linear, with an expiry
  inverse_future,     ///< inverse, with an expiry
};

[[nodiscard]] std::string_view market_kind_name(MarketKind kind) noexcept;
[[nodiscard]] constexpr bool is_inverse(MarketKind k) noexcept {
  return k == MarketKind::inverse_perpetual || k == MarketKind::inverse_future;
}
[[nodiscard]] constexpr bool is_future(MarketKind k) noexcept {
  return k == MarketKind::linear_future || k == MarketKind::inverse_future;
}

/// One row of a tier table: requirement = notional x rate - amount for a
/// tier notional up to `max_notional` (inclusive). Notional is counted in the
/// market's margin asset (the valuation currency for linear markets, the
/// coin for inverse ones).
struct Tier {
  std::optional<Money> max_notional;  ///< none for the last tier
  Ratio initial_rate;
  Ratio maintenance_rate;
  Money initial_amount;
  Money maintenance_amount;
};

/// The finest tick a market (or an options feed's index grid) may have:
/// 10^-12. Liquidation prices are searched on the tick grid, and the search
/// proves its answer only where one tick moves a pool's health by more than
/// the rounding of its figures (10^-18 each, times the price for coin
/// amounts): finer grids leave valid accounts without a report (docs/spec.md
/// §3.1 and §7.1, docs/liquidation.md "Limits").
inline constexpr Price minimum_tick_size = Price::from_raw(1'000'000);

/// dYdX v4's open-interest margin (docs/spec.md §5.7): the initial margin
/// rises linearly from the tiered one, at an open-interest notional of
/// `lower_cap`, to the whole notional at `upper_cap`. Caps in the market's
/// margin asset, like tier caps.
struct OpenInterestScaling {
  Money lower_cap;  ///< >= 0
  Money upper_cap;  ///< > lower_cap
};

struct Market {
  std::string id;  ///< e.g. "BTC-PERP"
  MarketKind kind = MarketKind::linear_perpetual;
  std::string feed;                       ///< the price feed that marks it, e.g. "BTC-USD"
  std::string settlement_asset;           ///< where realized PnL settles (a collateral asset)
  Money contract_size;                    ///< inverse: face value of one contract in the valuation currency
  Price tick_size;                        ///< liquidation prices are on this grid
  Quantity lot_size;                      ///< partial liquidations and order sizes are multiples of this
  std::optional<std::int64_t> expiry_ms;  ///< futures: milliseconds since the Unix epoch
  std::vector<Tier> tiers;                ///< at least one; see validate()
  Ratio size_premium_factor;              ///< "imf": 0 switches the size premium off
  Ratio liquidation_fee_rate;
  std::optional<OpenInterestScaling> open_interest_scaling;  ///< none: open interest changes nothing
  /// Profit in initial equity (docs/spec.md §5.10): a position's positive
  /// PnL counts at this weight (Mango 0.95, Binance 0) ...
  std::optional<Ratio> initial_profit_weight;
  /// ... capped by Drift's size discount of the profit ("unrealized PnL imf").
  std::optional<Ratio> profit_size_factor;
  /// Profit in (maintenance) equity (§5.10): at least the initial weight,
  /// never size-discounted (Mango 0.98, Drift's maintenance weight).
  std::optional<Ratio> maintenance_profit_weight;
  [[nodiscard]] bool weighs_profit() const noexcept { return initial_profit_weight || profit_size_factor; }
};

struct CollateralAsset {
  std::string id;                   ///< e.g. "BTC"
  std::optional<std::string> feed;  ///< none: pegged, worth exactly 1 unit of valuation currency
  Ratio initial_weight;
  Ratio maintenance_weight;
  Ratio initial_liability_weight;
  Ratio maintenance_liability_weight;
  Ratio size_factor;         ///< "imf" of size discounts (assets) and premiums (liabilities)
  Ratio volatility_haircut;  ///< weight change per unit of volatility above reference
  /// Mango's deposit limit (docs/spec.md §5.8): once the exchange's total
  /// deposits of the asset are worth more than this (valuation currency),
  /// its initial weight falls in proportion. None: no limit.
  std::optional<Money> deposit_weight_scale_start;
};

/// Volatility scaling of one feed: multiplier = clamp(sigma / reference, 1, max).
struct FeedRisk {
  std::string feed;
  Ratio volatility_reference;       ///< > 0
  Ratio max_volatility_multiplier;  ///< >= 1
};

/// A European, cash-settled option on the index of `feed` (docs/spec.md
/// §3.1.5). Linear: premium and payoff in the valuation currency, settled
/// in a pegged asset. Inverse (Deribit style): the same values, margined and
/// reported in the coin the feed prices.
struct OptionMarket {
  std::string id;  ///< e.g. "BTC-20261225-60000-C"
  std::string feed;
  std::string settlement_asset;
  OptionType type = OptionType::call;
  bool inverse = false;
  std::int64_t expiry_ms = 0;  ///< milliseconds since the Unix epoch
  Price strike;                ///< > 0
  Quantity lot_size;           ///< order and liquidation sizes are multiples of this
};

/// The option rules of one underlying feed: standard margin rates and how
/// much of a long option's value counts toward equity.
struct OptionRules {
  std::string feed;
  OptionMarginRates margin;
  Ratio long_value_weight;  ///< in [0, 1]; 0: a long option is not collateral (Derive)
  Price index_tick_size;    ///< > 0: the grid of the pools' price boundaries on this feed
};

/// Portfolio margin of one underlying feed (docs/spec.md §14.1): the
/// scenario grid (spot moves x volatility shocks), the factors applied to
/// the worst loss and the contingency rates.
struct PortfolioMarginParameters {
  std::string feed;
  Ratio price_range;                ///< R in (0, 1): the largest spot move, both sides
  std::uint64_t buckets = 1;        ///< B in [1, 50]: moves per side
  Ratio volatility_range_up;        ///< u in [0, 10]
  Ratio volatility_range_down;      ///< d in [0, 1]
  Ratio short_term_power;           ///< p for expiries up to 30 days, in [0, 1]
  Ratio long_term_power;            ///< p beyond 30 days, in [0, 1]
  Ratio min_volatility_up;          ///< floor of the shocked-up volatility, in [0, 10]
  Ratio mm_factor;                  ///< in [0, 1]
  Ratio im_factor;                  ///< in [mm_factor, 10]
  Ratio option_contingency_rate;    ///< per naked short option per strike, times the index
  Ratio future_contingency_rate;    ///< per perpetual or future, times its notional
  bool collateral_offsets = false;  ///< collateral priced by the feed moves in the scenarios
};

struct RiskParameters {
  std::uint64_t version = 0;
  /// Status is "margin_call" while equity / maintenance < this (>= 1).
  Ratio margin_call_ratio;
  /// A partial liquidation restores equity >= maintenance x (1 + this).
  Ratio liquidation_buffer_ratio;
  /// All sorted by id, ids unique (validate() checks).
  std::vector<CollateralAsset> assets;
  std::vector<FeedRisk> feeds;
  std::vector<Market> markets;
  /// Sorted by feed / by id; option market ids differ from market ids.
  std::vector<OptionRules> option_rules;
  std::vector<OptionMarket> option_markets;
  /// Sorted by feed, unique (docs/spec.md §14.1).
  std::vector<PortfolioMarginParameters> portfolio_margin;

  [[nodiscard]] const Market* find_market(std::string_view id) const noexcept;
  [[nodiscard]] const OptionMarket* find_option_market(std::string_view id) const noexcept;
  [[nodiscard]] const OptionRules* find_option_rules(std::string_view feed) const noexcept;
  [[nodiscard]] const PortfolioMarginParameters* find_portfolio_margin(std::string_view feed) const noexcept;
  [[nodiscard]] const CollateralAsset* find_asset(std::string_view id) const noexcept;
  [[nodiscard]] const FeedRisk* find_feed(std::string_view id) const noexcept;
};

/// Checks every rule on the parameters (ranges, tier tables, references);
/// the first violation is returned with the path of the offending field.
[[nodiscard]] Status validate(const RiskParameters& params);

/// Parameters that passed validate(): the type proves it, so evaluations can
/// skip the checks. An exchange or a session validates once per version.
class ValidatedParameters {
 public:
  [[nodiscard]] static Result<ValidatedParameters> make(RiskParameters params);
  [[nodiscard]] const RiskParameters& get() const noexcept { return params_; }
  const RiskParameters* operator->() const noexcept { return &params_; }
  /// The parameters back, without a copy (the validated value is spent).
  [[nodiscard]] RiskParameters release() && noexcept { return std::move(params_); }

 private:
  explicit ValidatedParameters(RiskParameters params) : params_(std::move(params)) {}
  RiskParameters params_;
};

}  // namespace vmargin
