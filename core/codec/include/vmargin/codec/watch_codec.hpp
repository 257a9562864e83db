// The watch's events as JSON Lines (docs/formats.md §10): one canonical line
// per account failure, status change and ADL ranking, then the system line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vmargin/error.hpp"
#include "vmargin/watch/exchange_book.hpp"

namespace vmargin::codec {

/// What produced a batch of events: the input (the accounts file or the
/// stream) and its line (1-based), the kind (the first prices loading the
/// book, later prices, an account), and a snapshot's id (signed only).
struct EventSource {
  enum class Input : std::uint8_t { accounts, stream } input = Input::stream;
  std::uint64_t line = 0;
  enum class Kind : std::uint8_t { load, prices, account } kind = Kind::prices;
  std::optional<std::string> snapshot;
};

/// Every line of `events`, each ending in a newline; `book` names accounts.
[[nodiscard]] std::string watch_events_text(const watch::ExchangeBook& book, const watch::BookEvents& events,
                                            const EventSource& source);

/// {"type": "rejected", "line", "error": {...}}: an input line the watch
/// refused; nothing changed.
[[nodiscard]] std::string watch_rejection_text(const EventSource& source, const Error& error);

}  // namespace vmargin::codec
