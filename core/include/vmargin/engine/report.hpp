// What an evaluation produces. Every field is defined in docs/spec.md §6
// ("Report"); the JSON encoding is the codec's. Amounts are in the valuation
// currency unless a field says otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vmargin/liquidation/liquidation_plan.hpp"
#include "vmargin/liquidation/liquidation_prices.hpp"
#include "vmargin/margin/health.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/portfolio/portfolio_margin.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

struct PositionReport {
  std::string market;  ///< the position's key: the market id, or a hedge leg's "<market>:long"
  MarketKind kind = MarketKind::linear_perpetual;
  bool isolated = false;
  Quantity quantity;
  Price entry_price;
  Price mark_price;
  Money notional;
  Money tier_notional;    ///< in the margin asset (coins for inverse markets)
  Money pending_funding;  ///< as stated, in the margin asset
  Money unrealized_pnl;   ///< including pending funding
  std::size_t tier = 0;   ///< 0-based; reported 1-based
  std::optional<Ratio> size_premium_initial_rate;
  std::optional<Ratio> size_premium_maintenance_rate;
  bool initial_from_size_premium = false;
  bool maintenance_from_size_premium = false;
  Ratio volatility_multiplier = Ratio::one();
  Money initial_margin;  ///< including open_interest_margin
  Money maintenance_margin;
  /// What the market's open interest adds to the initial margin (§5.7);
  /// none (and not reported) when the market does not scale with it.
  std::optional<Money> open_interest_margin;
  /// The PnL the pool's initial equity counts (§5.10); none (and not
  /// reported) when the market does not weigh profit.
  std::optional<Money> initial_unrealized_pnl;
  std::optional<Money> maintenance_unrealized_pnl;  ///< markets with a maintenance profit weight (§5.10)
  /// Where the position's pool reaches equity = maintenance as this
  /// position's feed moves (docs/spec.md §7.1); none when no positive price
  /// does, or when the pool is already liquidatable.
  std::optional<Price> liquidation_price;
  /// Where the pool's equity reaches zero, on the same side (§7.2).
  std::optional<Price> bankruptcy_price;
  /// (mark/entry or entry/mark) x notional / pool equity, for profitable
  /// positions of pools with positive equity (§7.5).
  std::optional<Ratio> adl_index;
};

/// An option position (docs/spec.md §8.3): per-unit quote, position
/// figures in the valuation currency, Greeks per position.
struct OptionPositionReport {
  std::string market;
  std::string feed;
  OptionType type = OptionType::call;
  bool inverse = false;
  bool isolated = false;
  Price strike;
  std::int64_t expiry_ms = 0;
  Quantity quantity;
  Price entry_price;  ///< premium per unit paid (long) or received (short)
  Price index_price;
  Price forward;
  Ratio volatility;
  std::int64_t seconds_to_expiry = 0;
  bool settled = false;
  Price mark_price;  ///< per unit: the call or put value (intrinsic once settled)
  Money value;
  Money equity_value;
  Money unrealized_pnl;
  Money initial_margin;  ///< standard, before netting
  Money maintenance_margin;
  OptionGreeks greeks;
};

/// One pool's options of one underlying and expiry (§5.7).
struct OptionExpiryReport {
  std::optional<std::string> isolated_market;  ///< none: the cross pool
  std::string feed;
  std::int64_t expiry_ms = 0;
  Price forward;
  Money standard_initial;
  Money standard_maintenance;
  Money netted_initial;
  Money netted_maintenance;
  Money initial_margin;  ///< the smaller of standard and netted
  Money maintenance_margin;
  OptionGreeks greeks;  ///< summed over the group
};

/// Greeks summed per underlying over all pools.
struct UnderlyingGreeksReport {
  std::string feed;
  OptionGreeks greeks;
};

struct CollateralReport {
  std::string asset;
  Money balance;
  Price price;  ///< mark (1 for pegged assets)
  Money value;  ///< down(balance x price)
  Ratio maintenance_weight;
  Money maintenance_value;
  Ratio initial_weight;  ///< after the deposit limit, if any
  Money initial_value;
  /// Assets with a deposit limit (§5.8): reported, null unless the balance
  /// is positive (then the limit applies and this is what it compared).
  bool has_deposit_limit = false;
  std::optional<Money> total_deposits_value;
};

/// A margin pool: collateral and positions that stand for each other, its
/// figures (valuation/account_valuation.hpp) and its liquidation plan.
struct PoolReport : PoolFigures {
  std::optional<LiquidationPlan> liquidation_plan;  ///< liquidatable or bankrupt pools only
  /// A liquidatable pool holding options gets no plan (docs/spec.md §13.5).
  bool liquidation_plan_unavailable = false;
  /// Per underlying of the pool's options, sorted by feed (§13.5).
  std::vector<PriceBoundaries> price_boundaries;
  /// The cross pool of a portfolio-margin account: liquidation prices are
  /// not defined yet under portfolio margin (docs/spec.md §14.5).
  bool liquidation_prices_unavailable = false;
};

struct IsolatedPoolReport {
  std::string market;
  PoolReport pool;
};

struct AccountReport {
  std::string account;
  std::int64_t as_of_ms = 0;
  PoolReport cross;
  std::vector<IsolatedPoolReport> isolated;            ///< sorted by market
  std::vector<PositionReport> positions;               ///< sorted by market
  std::vector<CollateralReport> collateral;            ///< sorted by asset
  std::vector<OptionPositionReport> option_positions;  ///< sorted by market
  std::vector<OptionExpiryReport> option_expiries;  ///< cross pool first, then isolated, by feed and expiry
  std::vector<UnderlyingGreeksReport> option_underlyings;  ///< sorted by feed
  MarginMode margin_mode = MarginMode::standard;
  /// Portfolio accounts: the cross pool's figures per underlying (§14.5).
  PortfolioMargin portfolio_margin;
};

}  // namespace vmargin
