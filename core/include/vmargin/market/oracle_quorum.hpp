// The aggregation of docs/formats.md §6.1, steps 6-14 and the marks: each
// authenticated oracle message used or dropped under its feed's rules, then
// per feed the quorum, the median mark and volatility and the stable price.
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
#include "vmargin/numeric/fixed.hpp"

namespace vmargin::market {

/// An authenticated, decoded oracle message (docs/formats.md §5).
struct OracleMessage {
  std::size_t index = 0;  ///< its place in the bundle
  SourceKey source{};     ///< the key that signed it
  std::string key_id;     ///< the trust store's name for that key (the detail texts)
  std::string feed;
  Price price;
  std::optional<Price> confidence;
  std::optional<Ratio> volatility;
  std::int64_t publish_time_ms = 0;
  std::uint64_t sequence = 0;
};

/// The last message accepted from a source for a feed (the replay state).
struct SourceState {
  SourceKey key{};
  std::string feed;
  std::uint64_t sequence = 0;
  std::int64_t publish_time_ms = 0;
};

/// The entry of `history` for (key, feed), or nullptr.
[[nodiscard]] const SourceState* find_source(const std::vector<SourceState>& history, const SourceKey& key,
                                             std::string_view feed) noexcept;

/// A feed's stable price after the previous snapshot.
struct PreviousStable {
  std::string feed;
  Price price;  ///< > 0
};

/// Why the rules drop an authenticated message, in the order they are tried.
enum class DropReason : std::uint8_t {
  unknown_feed,        ///< the parameters have no oracle rules for the feed
  not_a_source,        ///< the key is not one of the feed's sources
  non_positive_price,  ///< price <= 0
  stale,               ///< published more than max_age before as_of
  future,              ///< published more than max_future after as_of
  confidence,          ///< confidence interval too wide for the price
  outside_band,        ///< too far from the previous stable price
  not_fresher,         ///< sequence or publish time not above the last accepted
  duplicate_source,    ///< this source's key already counted for the feed
};
[[nodiscard]] std::string_view drop_reason_name(DropReason reason) noexcept;

/// A message's fate: used (no reason), or dropped with why, in words.
struct Verdict {
  std::optional<DropReason> dropped;
  std::string detail;
};

struct FeedOutcome {
  std::string feed;
  std::uint64_t quorum = 0;
  std::size_t sources_used = 0;  ///< distinct keys
  Price mark;                    ///< the median of the used prices
  Price stable;                  ///< the new stable price
  std::optional<Price> previous_stable;
  std::optional<Ratio> volatility;  ///< median of the used volatility indexes
};

struct Aggregation {
  std::vector<Verdict> verdicts;      ///< one per message, in the order given
  std::vector<FeedOutcome> feeds;     ///< one per rules, in the order given
  std::vector<SourceState> accepted;  ///< per feed, each used message's (sequence, publish time)
};

/// What the aggregation reads besides the messages.
struct AggregationContext {
  std::int64_t as_of_ms = 0;                  ///< the snapshot's time
  const std::vector<OracleRules>& rules;      ///< every feed's rules, sorted by feed, unique
  const std::vector<PreviousStable>& stable;  ///< at most one per feed
  const std::vector<SourceState>& history;    ///< the last accepted per (key, feed)
  std::string_view messages_path;             ///< where the caller holds the messages: quorum errors' path
};

/// The median of a non-empty list: the middle value, for an even count the
/// lower of the two middle ones (always one of the values, never rounded).
[[nodiscard]] Price median(std::vector<Price> values);
[[nodiscard]] Ratio median(std::vector<Ratio> values);

/// The mark clamped to [previous - step, previous + step], with
/// step = down(previous x rate): the stable price follows the mark slowly.
[[nodiscard]] Result<Price> next_stable_price(Price previous, Price mark, Ratio rate);

/// Every message's verdict, then every feed's outcome. A feed with fewer
/// used distinct sources than its quorum is the error quorum_not_met at
/// context.messages_path (the first such feed in rules order).
[[nodiscard]] Result<Aggregation> aggregate_oracles(const AggregationContext& context,
                                                    const std::vector<OracleMessage>& messages);

}  // namespace vmargin::market
