#include "vmargin/market/oracle_quorum.hpp"

#include <algorithm>

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin::market {

namespace {

constexpr std::string_view drop_names[] = {"unknown_feed", "not_a_source", "non_positive_price",
                                           "stale",        "future",       "confidence",
                                           "outside_band", "not_fresher",  "duplicate_source"};

std::string ms(std::int64_t v) { return std::to_string(v) + " ms"; }

template <class T>
T median_of(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values[(values.size() - 1) / 2];
}

const PreviousStable* find_stable(const std::vector<PreviousStable>& stable, std::string_view feed) {
  const auto it =
      std::find_if(stable.begin(), stable.end(), [&](const PreviousStable& s) { return s.feed == feed; });
  return it == stable.end() ? nullptr : &*it;
}

const OracleRules* find_rules(const std::vector<OracleRules>& rules, std::string_view feed) {
  const auto it =
      std::find_if(rules.begin(), rules.end(), [&](const OracleRules& r) { return r.feed == feed; });
  return it == rules.end() ? nullptr : &*it;
}

Verdict drop(DropReason reason, std::string detail) { return Verdict{reason, std::move(detail)}; }

// Steps 8-12 of §6.1: the message's own values against its feed's rules.
std::optional<Verdict> check_values(const AggregationContext& c, const OracleRules& rules,
                                    const OracleMessage& m) {
  if (!m.price.is_positive())
    return drop(DropReason::non_positive_price, "price " + to_string(m.price) + " is not positive");
  if (c.as_of_ms - m.publish_time_ms > rules.max_age_ms) {
    return drop(DropReason::stale, "published " + ms(c.as_of_ms - m.publish_time_ms) +
                                       " before the snapshot; the maximum age is " + ms(rules.max_age_ms));
  }
  if (m.publish_time_ms - c.as_of_ms > rules.max_future_ms) {
    return drop(DropReason::future, "published " + ms(m.publish_time_ms - c.as_of_ms) +
                                        " after the snapshot; the maximum skew is " +
                                        ms(rules.max_future_ms));
  }
  // confidence / price > max ratio, compared exactly.
  if (m.confidence && compare_products(m.confidence->raw(), fixed_scale, m.price.raw(),
                                       rules.max_confidence_ratio.raw()) > 0) {
    return drop(DropReason::confidence, "confidence " + to_string(*m.confidence) + " is more than " +
                                            to_string(rules.max_confidence_ratio) + " of the price " +
                                            to_string(m.price));
  }
  if (const PreviousStable* previous = find_stable(c.stable, m.feed)) {
    const Price prev = previous->price;
    const i128 deviation =
        m.price.raw() > prev.raw() ? m.price.raw() - prev.raw() : prev.raw() - m.price.raw();
    if (compare_products(deviation, fixed_scale, prev.raw(), rules.max_deviation_ratio.raw()) > 0) {
      return drop(DropReason::outside_band, "price " + to_string(m.price) + " is more than " +
                                                to_string(rules.max_deviation_ratio) +
                                                " away from the previous stable price " + to_string(prev));
    }
  }
  return std::nullopt;
}

// Step 13: a replayed or reordered message.
std::optional<Verdict> check_fresher(const AggregationContext& c, const OracleMessage& m) {
  const SourceState* last = find_source(c.history, m.source, m.feed);
  if (last == nullptr || (m.sequence > last->sequence && m.publish_time_ms > last->publish_time_ms))
    return std::nullopt;
  return drop(DropReason::not_fresher,
              "sequence " + std::to_string(m.sequence) + " at " + ms(m.publish_time_ms) +
                  " is not after the last accepted, sequence " + std::to_string(last->sequence) + " at " +
                  ms(last->publish_time_ms));
}

// The used messages of each feed (indexes into the messages), in rules order.
using UsedByFeed = std::vector<std::vector<std::size_t>>;

Verdict judge(const AggregationContext& c, const std::vector<OracleMessage>& messages, std::size_t i,
              UsedByFeed& used) {
  const OracleMessage& m = messages[i];
  const OracleRules* rules = find_rules(c.rules, m.feed);
  if (rules == nullptr)
    return drop(DropReason::unknown_feed, "the risk parameters have no oracle rules for " + m.feed);
  if (!rules->has_source(m.source))
    return drop(DropReason::not_a_source, "key \"" + m.key_id + "\" is not a source of " + m.feed);
  if (auto v = check_values(c, *rules, m)) return std::move(*v);
  if (auto v = check_fresher(c, m)) return std::move(*v);
  auto& feed_used = used[static_cast<std::size_t>(rules - c.rules.data())];
  if (std::any_of(feed_used.begin(), feed_used.end(),
                  [&](std::size_t u) { return messages[u].source == m.source; }))
    return drop(DropReason::duplicate_source,
                "the key of \"" + m.key_id + "\" already counted for " + m.feed);
  feed_used.push_back(i);
  return Verdict{};
}

Result<FeedOutcome> feed_outcome(const AggregationContext& c, const OracleRules& rules,
                                 const std::vector<OracleMessage>& messages,
                                 const std::vector<std::size_t>& used, std::vector<SourceState>& accepted) {
  if (used.size() < rules.quorum) {
    return Error(ErrorCode::quorum_not_met,
                 "feed " + rules.feed + " has " + std::to_string(used.size()) +
                     " distinct trusted source(s) whose messages pass the rules; its quorum is " +
                     std::to_string(rules.quorum),
                 std::string(c.messages_path));
  }
  FeedOutcome out;
  out.feed = rules.feed;
  out.quorum = rules.quorum;
  out.sources_used = used.size();
  std::vector<Price> prices;
  std::vector<Ratio> volatilities;
  for (const std::size_t u : used) {
    const OracleMessage& m = messages[u];
    prices.push_back(m.price);
    if (m.volatility) volatilities.push_back(*m.volatility);
    accepted.push_back(SourceState{m.source, rules.feed, m.sequence, m.publish_time_ms});
  }
  out.mark = median(std::move(prices));
  if (!volatilities.empty()) out.volatility = median(std::move(volatilities));
  out.stable = out.mark;
  if (const PreviousStable* previous = find_stable(c.stable, rules.feed)) {
    out.previous_stable = previous->price;
    VMARGIN_TRY(out.stable, next_stable_price(previous->price, out.mark, rules.stable_price_rate));
  }
  return out;
}

}  // namespace

std::string_view drop_reason_name(DropReason reason) noexcept {
  return drop_names[static_cast<std::size_t>(reason)];
}

const SourceState* find_source(const std::vector<SourceState>& history, const SourceKey& key,
                               std::string_view feed) noexcept {
  for (const SourceState& s : history) {
    if (s.key == key && s.feed == feed) return &s;
  }
  return nullptr;
}

Price median(std::vector<Price> values) { return median_of(std::move(values)); }
Ratio median(std::vector<Ratio> values) { return median_of(std::move(values)); }

Result<Price> next_stable_price(Price previous, Price mark, Ratio rate) {
  // The step rounds down: the stable price moves slowly.
  VMARGIN_TRY(const Price step, mul(previous, rate, Round::down));
  const Price low = Price::from_raw(previous.raw() - step.raw());
  VMARGIN_TRY(const Price high, add(previous, step));
  return std::clamp(mark, low, high);
}

Result<Aggregation> aggregate_oracles(const AggregationContext& context,
                                      const std::vector<OracleMessage>& messages) {
  Aggregation result;
  UsedByFeed used(context.rules.size());
  result.verdicts.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i)
    result.verdicts.push_back(judge(context, messages, i, used));
  for (std::size_t f = 0; f < context.rules.size(); ++f) {
    VMARGIN_TRY(FeedOutcome out, feed_outcome(context, context.rules[f], messages, used[f], result.accepted));
    result.feeds.push_back(std::move(out));
  }
  return result;
}

}  // namespace vmargin::market
