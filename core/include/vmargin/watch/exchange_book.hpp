// A whole exchange's accounts revalued on every tick (docs/spec.md §15): the
// core of `vmargin watch`. Each tick re-evaluates exactly the accounts whose
// market inputs (market_inputs.hpp) changed; an account whose inputs did not
// change has the same report, so the events equal those of re-evaluating
// every account, which ExchangeBook::Method::every_account does (the test's
// reference).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/engine/engine.hpp"
#include "vmargin/liquidation/liquidation_plan.hpp"
#include "vmargin/numeric/int256.hpp"
#include "vmargin/watch/market_inputs.hpp"

namespace vmargin::watch {

/// One margin pool of an account as the watch follows it.
struct PoolState {
  std::optional<std::string> isolated_market;  ///< none: the cross pool
  MarginStatus status = MarginStatus::healthy;
  Money equity;
  Money maintenance_margin;
  Money insurance_fund_shortfall;
};

/// A profitable position's auto-deleveraging index (§7.5); the position is
/// an index into the account's positions (its market named there).
struct AdlEntry {
  std::uint32_t position = 0;
  Ratio index;
};

/// An account evaluated at the book's prices: its pools, or why it failed.
struct AccountState {
  std::vector<PoolState> pools;  ///< the cross pool, then isolated pools by market
  std::vector<AdlEntry> adl;     ///< by market
  std::optional<Error> error;
};

/// A pool's status changed, or the pool appeared (from none) or went away
/// (to none: the account was replaced or its evaluation failed).
struct StatusChange {
  std::size_t account = 0;  ///< index in the book (order of first appearance)
  std::optional<std::string> isolated_market;
  std::optional<MarginStatus> from;
  std::optional<MarginStatus> to;
  /// A pool that became liquidatable or bankrupt (from a healthier status or
  /// none): its partial-liquidation plan (§7.3), or unavailable (§13.5).
  std::optional<LiquidationPlan> liquidation_plan;
  bool liquidation_plan_unavailable = false;
  /// A pool that became bankrupt: what the insurance fund must absorb (§7.4).
  std::optional<Money> insurance_fund_draw;
};

/// An account's evaluation failed, or failed with a different error (code or
/// path: a message may name the evaluation time, which moves every tick).
struct AccountFailure {
  std::size_t account = 0;
  Error error;
};

/// The most profitable positions of one market, first to be deleveraged.
struct AdlRanking {
  std::string market;
  struct Entry {
    std::size_t account = 0;
    Ratio index;
    PositionLeg leg = PositionLeg::net;  ///< hedge mode: both legs of an account can rank
  };
  std::vector<Entry> entries;  ///< index descending, then account ascending, then long leg first
};

/// Sums over every pool of every evaluated account. A total outside the
/// fixed-point range is none (it would take about 10^20 units).
struct SystemFigures {
  std::size_t accounts = 0;
  std::array<std::size_t, 4> by_status{};  ///< accounts by their worst pool's status
  std::size_t failed = 0;                  ///< accounts whose evaluation failed
  std::optional<Money> total_equity;
  std::optional<Money> total_maintenance_margin;
  std::optional<Money> total_shortfall;
};

/// What one tick (or one account update) produced.
struct BookEvents {
  std::vector<AccountFailure> failures;  ///< by account
  std::vector<StatusChange> changes;     ///< by account, then pool
  std::vector<AdlRanking> adl;           ///< by market; only while shortfall exceeds the fund
  SystemFigures system;
  /// Not an event: how many accounts were re-evaluated (the metrics).
  std::size_t revalued = 0;
};

/// Which accounts one of several watch processes keeps (docs/spec.md §15.4):
/// those whose id's 64-bit FNV-1a hash modulo `count` is `index`.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  [[nodiscard]] bool holds(std::string_view account_id) const noexcept;
};

struct BookSettings {
  Money insurance_fund;        ///< the balance the shortfall is compared with
  std::size_t adl_depth = 10;  ///< entries per market in an ADL ranking
  Shard shard;                 ///< applied by the input side (signing/watch_session)
  enum class Method : std::uint8_t { incremental, every_account } method = Method::incremental;
};

/// The fund is not negative (/insurance_fund), the shard index below the count (/shard).
[[nodiscard]] Status validate(const BookSettings& settings);

class ExchangeBook {
 public:
  /// Prices validated (model/market_state.hpp); errors under /prices.
  [[nodiscard]] static Result<ExchangeBook> open(ValidatedParameters params, MarketState prices,
                                                 BookSettings settings);

  /// Adds accounts, or replaces those with their ids (the last one of an id
  /// counts); a structural error in any (model/account.hpp, under /account)
  /// changes nothing.
  [[nodiscard]] Result<BookEvents> put_accounts(std::vector<Account> accounts);

  /// Moves the book to new prices; invalid prices change nothing.
  [[nodiscard]] Result<BookEvents> advance(MarketState prices);

  [[nodiscard]] std::size_t size() const noexcept { return slots_.size(); }
  [[nodiscard]] const Account& account(std::size_t i) const { return slots_[i].account; }
  [[nodiscard]] const AccountState& state(std::size_t i) const { return slots_[i].state; }
  [[nodiscard]] const MarketState& prices() const noexcept { return prices_; }
  [[nodiscard]] const ValidatedParameters& parameters() const noexcept { return params_; }
  [[nodiscard]] const BookSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] SystemFigures system() const;

  /// Wide sums (the system totals); public for the codec's tests.
  struct Totals {
    I256 equity, maintenance, shortfall;
  };

 private:
  struct Slot {
    Account account;
    MarketInputs inputs;  ///< feeds dropped once indexed: the index holds them
    std::vector<std::int64_t> time;
    AccountState state;
    std::uint32_t stamp = 0;
  };
  ExchangeBook(ValidatedParameters params, MarketState prices, BookSettings settings)
      : params_(std::move(params)), prices_(std::move(prices)), settings_(settings) {}
  [[nodiscard]] static Status check_accounts(const std::vector<Account>& accounts);
  [[nodiscard]] std::vector<std::size_t> slots_of(const std::vector<Account>& accounts);
  void index(std::size_t i);
  [[nodiscard]] std::vector<std::size_t> candidates(const PriceChanges& changes);
  void revalue(std::size_t i, BookEvents& events);
  void finish(BookEvents& events) const;

  ValidatedParameters params_;
  MarketState prices_;
  BookSettings settings_;
  std::vector<Slot> slots_;
  std::vector<std::pair<std::string, std::vector<std::size_t>>> by_feed_;  ///< sorted by feed
  std::vector<std::pair<ExpiryKey, std::vector<std::size_t>>> by_expiry_;  ///< sorted by key
  std::vector<std::size_t> timed_;                                         ///< accounts reading time
  std::vector<std::pair<std::string, std::size_t>> by_id_;                 ///< sorted by id
  Totals totals_{};
  std::array<std::size_t, 4> by_status_{};
  std::size_t failed_ = 0;
  std::uint32_t stamp_ = 0;
};

}  // namespace vmargin::watch
