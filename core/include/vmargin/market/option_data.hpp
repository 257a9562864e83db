// The option market data of docs/formats.md §6.2: each authenticated option
// expiry message used or dropped under its feed's option data rules, then
// per required (feed, expiry) the surface k distinct sources agree on.
//
// Pure: the caller (vmargin::signing) has already checked each message's
// envelope, trust, role and signature and decoded its payload; it hands over
// the messages that passed, in bundle order, with their source's key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/market/oracle_rules.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin::market {

/// Who may publish a feed's option market data (docs/formats.md §4).
struct OptionDataRules {
  std::string feed;
  std::vector<SourceKey> sources;  ///< sorted, distinct
  std::uint64_t quorum = 1;        ///< distinct sources agreeing on one surface, 1..sources
  std::int64_t max_age_ms = 0;
  std::int64_t max_future_ms = 0;
  Ratio max_confidence;  ///< >= 0: a message whose confidence is above this is dropped

  [[nodiscard]] bool has_source(const SourceKey& key) const noexcept;
};

/// 1 <= quorum <= number of sources (invalid_value without a path).
[[nodiscard]] Status check_quorum(const OptionDataRules& rules);
/// max_confidence >= 0.
[[nodiscard]] Status check_max_confidence(const OptionDataRules& rules);
/// Every rule, located relative to the rules object; sources sorted and distinct.
[[nodiscard]] Status validate(const OptionDataRules& rules);

/// An authenticated, decoded option expiry message (docs/formats.md §5.1).
struct OptionMessage {
  std::size_t index = 0;  ///< its place in the bundle's option messages
  SourceKey source{};
  std::string key_id;
  OptionExpiry surface;  ///< feed, expiry, forward, rate, svi, settlement price
  std::optional<Ratio> confidence;
  std::int64_t publish_time_ms = 0;
  std::uint64_t sequence = 0;
};

/// Every payload field but publish time and sequence equal (as numbers).
[[nodiscard]] bool same_surface(const OptionMessage& x, const OptionMessage& y) noexcept;

/// forward > 0, rate >= 0, settlement price > 0, the SVI rules of spec
/// §12.3: invalid_value located at the payload field ("/forward", "/svi/rho").
[[nodiscard]] Status check_surface(const OptionExpiry& surface);

/// The last option message accepted from a source for a (feed, expiry).
struct OptionSourceState {
  SourceKey key{};
  std::string feed;
  std::int64_t expiry_ms = 0;
  std::uint64_t sequence = 0;
  std::int64_t publish_time_ms = 0;
};

[[nodiscard]] const OptionSourceState* find_option_source(const std::vector<OptionSourceState>& history,
                                                          const SourceKey& key, std::string_view feed,
                                                          std::int64_t expiry_ms) noexcept;

/// A (feed, expiry) the parameters' option markets need.
struct ExpiryKey {
  std::string feed;
  std::int64_t expiry_ms = 0;
  // Written out: Emscripten 3.1.6's libc++ has no operator<=> for strings.
  friend bool operator==(const ExpiryKey& a, const ExpiryKey& b) noexcept {
    return a.feed == b.feed && a.expiry_ms == b.expiry_ms;
  }
  friend bool operator<(const ExpiryKey& a, const ExpiryKey& b) noexcept {
    return a.feed != b.feed ? a.feed < b.feed : a.expiry_ms < b.expiry_ms;
  }
};

/// Why the rules drop an authenticated option message, in the order tried.
enum class OptionDropReason : std::uint8_t {
  unknown_feed,      ///< no option data rules for the feed
  unknown_expiry,    ///< no option market on this (feed, expiry)
  not_a_source,      ///< the key is not one of the feed's option data sources
  invalid_surface,   ///< forward, rate, settlement price or smile invalid
  stale,             ///< published more than max_age before as_of
  future,            ///< published more than max_future after as_of
  confidence,        ///< confidence above max_confidence
  not_fresher,       ///< sequence or publish time not above the last accepted
  duplicate_source,  ///< this source's key already counted for the (feed, expiry)
  disagrees,         ///< passed the rules, but its surface is not the agreed one
};
[[nodiscard]] std::string_view option_drop_reason_name(OptionDropReason reason) noexcept;

struct OptionVerdict {
  std::optional<OptionDropReason> dropped;
  std::string detail;
};

/// The agreed surface of one required (feed, expiry).
struct ExpiryOutcome {
  OptionExpiry surface;
  std::uint64_t quorum = 0;
  std::size_t sources_used = 0;  ///< distinct sources of the chosen surface
};

struct OptionAggregation {
  std::vector<OptionVerdict> verdicts;      ///< one per message, in the order given
  std::vector<ExpiryOutcome> expiries;      ///< one per required (feed, expiry), ascending
  std::vector<OptionSourceState> accepted;  ///< each message of a chosen surface
};

struct OptionAggregationContext {
  std::int64_t as_of_ms = 0;
  const std::vector<OptionDataRules>& rules;      ///< sorted by feed, unique
  const std::vector<ExpiryKey>& required;         ///< sorted, unique; each feed has rules
  const std::vector<OptionSourceState>& history;  ///< the last accepted per (key, feed, expiry)
  std::string_view messages_path;                 ///< where the caller holds the messages
};

/// Every message's verdict, then every required expiry's surface. A
/// required expiry whose largest group of equal surfaces has fewer sources
/// than the quorum, or shares its size with another group, is the error
/// quorum_not_met at context.messages_path (the first in ascending order).
[[nodiscard]] Result<OptionAggregation> aggregate_option_expiries(const OptionAggregationContext& context,
                                                                  const std::vector<OptionMessage>& messages);

}  // namespace vmargin::market
