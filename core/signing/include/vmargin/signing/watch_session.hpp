// The watch's input side (docs/formats.md §10): accounts, then a stream of
// lines, each a snapshot (new prices) or an account update, turned into the
// book's events. Signed: envelopes verified as `vmargin eval --trust` does,
// with the acceptance state advanced per accepted snapshot (a replayed or
// older snapshot is rejected). Plain: {"prices": ...} and {"account": ...}
// lines, for books whose inputs are trusted already. A rejected line is a
// "rejected" event and changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmargin/codec/watch_codec.hpp"
#include "vmargin/signing/signed_inputs.hpp"
#include "vmargin/signing/trust_store.hpp"
#include "vmargin/watch/exchange_book.hpp"

namespace vmargin::signing {

class WatchSession {
 public:
  /// Trust store, acceptance state ("" for none) and parameters envelope
  /// (errors under /trust, /state, /params).
  [[nodiscard]] static Result<WatchSession> open_signed(std::string_view trust, std::string_view state,
                                                        std::string_view parameters,
                                                        watch::BookSettings settings);
  /// Plain risk parameters (errors under /risk_parameters).
  [[nodiscard]] static Result<WatchSession> open_plain(std::string_view risk_parameters,
                                                       watch::BookSettings settings);

  /// One line of the accounts file: a statement envelope (signed) or an
  /// account document (plain). Before the first prices the account waits;
  /// after, it is an update. Returns the events (or the rejection) as text.
  [[nodiscard]] std::string account_line(
      std::string_view line, std::uint64_t number,
      codec::EventSource::Input input = codec::EventSource::Input::accounts);

  /// One stream line: signed, a snapshot or statement envelope; plain,
  /// {"prices": {...}} or {"account": {...}}. Returns the events as text.
  [[nodiscard]] std::string stream_line(std::string_view line, std::uint64_t number);

  /// Accounts waiting for the first prices.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  /// None until the first prices were accepted.
  [[nodiscard]] const std::optional<watch::ExchangeBook>& book() const noexcept { return book_; }
  /// The acceptance state after the last accepted snapshot (signed only):
  /// what a checkpoint keeps.
  [[nodiscard]] std::string state_text() const;
  /// Accounts re-evaluated by the last line (the metrics).
  [[nodiscard]] std::size_t last_revalued() const noexcept { return last_revalued_; }

 private:
  struct PendingAccount {
    codec::EventSource::Input input = codec::EventSource::Input::accounts;
    std::uint64_t line = 0;
    Account account;
    std::optional<VerifiedStatement> statement;  ///< signed only
  };
  WatchSession(ValidatedParameters params, watch::BookSettings settings)
      : params_(std::move(params)), settings_(settings) {}

  [[nodiscard]] Result<PendingAccount> decode_account_line(std::string_view line, std::uint64_t number,
                                                           codec::EventSource::Input input) const;
  [[nodiscard]] std::string put(PendingAccount account, const codec::EventSource& source);
  /// Whether the prices were accepted, and the events (or the rejection).
  [[nodiscard]] std::pair<bool, std::string> prices(MarketState prices, codec::EventSource source);
  [[nodiscard]] std::string snapshot_line(std::string_view line, std::uint64_t number);

  ValidatedParameters params_;
  watch::BookSettings settings_;
  // Signed only.
  std::optional<TrustStore> trust_;
  AcceptanceState state_;
  std::optional<VerifiedParameters> verified_;
  std::optional<VerifiedMarket> market_;  ///< the last accepted snapshot
  std::vector<PendingAccount> pending_;
  std::optional<watch::ExchangeBook> book_;
  std::size_t last_revalued_ = 0;
};

}  // namespace vmargin::signing
