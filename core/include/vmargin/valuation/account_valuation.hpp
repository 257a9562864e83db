// An account valued at one set of prices: every reference resolved (markets,
// assets, feeds), every price-independent constant computed once, every
// position and balance valued, and the pools' figures (docs/spec.md §4 step
// 6, §5-§6). A public snapshot with pure queries, in the spirit of Mango's
// HealthCache: the engine reports from it, the liquidation searches revalue
// one feed of it at other prices, what-if evaluates changed copies.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/margin/collateral.hpp"
#include "vmargin/margin/health.hpp"
#include "vmargin/margin/option_position.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/bounded.hpp"

namespace vmargin {

/// PositionValuation::pool of a position in the cross pool.
inline constexpr std::size_t cross_pool = static_cast<std::size_t>(-1);

struct CollateralValuation {
  const CollateralBalance* balance = nullptr;
  const CollateralAsset* asset = nullptr;
  const FeedPrice* feed = nullptr;  ///< none: pegged at exactly 1
  Price mark;
  Price initial_price;  ///< assets at min(mark, stable), liabilities at max
  CollateralWeights weights;
  CollateralValue value;
  /// up(total deposits x max(mark, stable)) of an asset with a deposit
  /// limit and a positive balance (§5.8); none otherwise.
  std::optional<Money> total_deposits_value;
};

struct PositionValuation {
  const Position* position = nullptr;
  const Market* market = nullptr;
  const FeedPrice* feed = nullptr;
  std::size_t pool = cross_pool;  ///< cross_pool or the index of its isolated pool
  PositionConstants constants;
  PositionValue value;
};

struct OptionValuation {
  const Position* position = nullptr;
  const OptionMarket* market = nullptr;
  const OptionRules* rules = nullptr;
  const FeedPrice* feed = nullptr;  ///< the underlying's index: S of the margin formulas
  const OptionExpiry* expiry = nullptr;
  std::size_t pool = cross_pool;
  OptionQuote quote;
  OptionPositionValue value;
};

/// The options of one pool with one underlying and expiry: their standard
/// requirements summed, the netted (max-loss) requirement, and the one that
/// applies, the smaller (docs/spec.md §5.7).
struct ExpiryGroup {
  const OptionExpiry* expiry = nullptr;
  const OptionRules* rules = nullptr;
  std::vector<std::size_t> options;  ///< into AccountValuation::options
  Money standard_initial;
  Money standard_maintenance;
  NettedRequirement netted;
  Money initial_margin;
  Money maintenance_margin;
};

struct PoolValuation {
  std::size_t index = cross_pool;
  std::vector<std::size_t> positions;  ///< into AccountValuation::positions
  std::vector<std::size_t> options;    ///< into AccountValuation::options
  std::vector<ExpiryGroup> expiry_groups;
  std::vector<std::size_t> collateral;  ///< into AccountValuation::collateral (cross only)
  // Isolated pools: their own margin, in the market's margin asset.
  std::optional<Money> isolated_margin;
  Bounded<Money> isolated_margin_value;  ///< at the mark
  Money isolated_margin_initial_value;   ///< at min(mark, stable)
  /// What the account's open orders add to the initial margin (§5.9); none
  /// when the account has no open orders.
  std::optional<Money> open_orders_margin;
};

/// A pool's figures (docs/spec.md §5.6, §6).
/// Invariant: maintenance_margin <= initial_margin.
struct PoolFigures {
  Money collateral_value;              ///< unweighted, at marks
  Money maintenance_collateral_value;  ///< weighted, at marks
  Money initial_collateral_value;      ///< weighted, assets at min(mark, stable), liabilities at max
  Money unrealized_pnl;
  Money option_value;    ///< what the pool's options count toward equity (shorts negative)
  Money equity;          ///< maintenance collateral value + unrealized PnL + option value
  Money initial_equity;  ///< initial collateral value + unrealized PnL + option value
  Money initial_margin;  ///< including open_orders_margin
  Money maintenance_margin;
  /// Open orders' part of initial_margin (§5.9); none without open orders.
  std::optional<Money> open_orders_margin;
  Money free_collateral;              ///< max(initial_equity - initial_margin, 0)
  Money health;                       ///< equity - maintenance_margin
  std::optional<Ratio> margin_ratio;  ///< equity / maintenance_margin; none without a requirement
  MarginStatus status = MarginStatus::healthy;
  Money insurance_fund_shortfall;  ///< max(-equity, 0)
};

struct AccountValuation {
  const RiskParameters* params = nullptr;
  const MarketState* prices = nullptr;
  const Account* account = nullptr;
  std::vector<CollateralValuation> collateral;
  std::vector<PositionValuation> positions;
  std::vector<OptionValuation> options;
  PoolValuation cross;
  std::vector<PoolValuation> isolated;

  [[nodiscard]] const PoolValuation& pool_of(const PositionValuation& p) const noexcept {
    return p.pool == cross_pool ? cross : isolated[p.pool];
  }
  [[nodiscard]] const PoolValuation& pool_of(const OptionValuation& o) const noexcept {
    return o.pool == cross_pool ? cross : isolated[o.pool];
  }
  /// The market of an isolated pool's one position (linear or option).
  [[nodiscard]] const std::string& isolated_market(const PoolValuation& pool) const noexcept {
    return pool.positions.empty() ? options[pool.options.front()].position->market
                                  : positions[pool.positions.front()].position->market;
  }
  /// Whether the pool holds options on `feed` (whose price then moves them).
  [[nodiscard]] bool has_options_on(const PoolValuation& pool, const FeedPrice* feed) const noexcept;
  /// "cross pool" or "isolated pool of <market>", for messages.
  [[nodiscard]] std::string pool_name(const PoolValuation& pool) const;
};

/// Resolves every reference and values everything at the current prices.
/// Preconditions: validated parameters, prices and account (evaluate()
/// checks them); errors name the input at fault.
[[nodiscard]] Result<AccountValuation> value_account(const RiskParameters& params, const MarketState& prices,
                                                     const Account& account);

/// A bound on every pool figure (§5.6): the sum of the magnitudes of all
/// the terms the pools' sums add (collateral values, PnL, requirements,
/// isolated margins, option values and groups), saturating. At most the
/// fixed range's largest value: no pool figure (no partial sum either) can
/// overflow.
[[nodiscard]] u128 pool_terms_magnitude(const AccountValuation& account);

/// The same sum over the items on `feed` (an element of account.prices)
/// valued at `at` (that feed with another mark), for a bound over a
/// stretch of prices: every term is affine, convex or monotone in the
/// price, so between the mark and `at` its magnitude stays within a few
/// units of the last place of the larger of its two ends, and
/// pool_terms_magnitude + this (with room to spare) bounds every pool
/// figure at every price in between. Costs one valuation of the items on
/// the feed. None when options are on the feed (their groups are not
/// valued again here), when the account has open orders or holds a
/// deposit-limited asset priced by the feed (§5.8-§5.9: not valued again
/// here either); an error when an item cannot be valued at `at`.
[[nodiscard]] Result<std::optional<u128>> feed_terms_magnitude(const AccountValuation& account,
                                                               const FeedPrice& feed, const FeedPrice& at);

/// Sums, ratio and status of one pool.
[[nodiscard]] Result<PoolFigures> pool_figures(const AccountValuation& account, const PoolValuation& pool);

/// An isolated margin's value at `price`: coins at the price for inverse
/// markets (rounded down: credited), as is for linear ones.
[[nodiscard]] Result<Bounded<Money>> isolated_margin_value(const Market& market, Money margin, Price price);
/// The same for an isolated option position (inverse: coins of the underlying).
[[nodiscard]] Result<Bounded<Money>> option_margin_value(const OptionMarket& market, Money margin,
                                                         Price price);

}  // namespace vmargin
