#include "vmargin/market/option_data.hpp"

#include <algorithm>

#include "vmargin/numeric/decimal.hpp"

namespace vmargin::market {

namespace {

constexpr std::string_view drop_names[] = {
    "unknown_feed", "unknown_expiry", "not_a_source", "invalid_surface",  "stale",
    "future",       "confidence",     "not_fresher",  "duplicate_source", "disagrees"};

Error invalid(std::string message) { return Error(ErrorCode::invalid_value, std::move(message)); }

Status located(Status status, std::string_view path) {
  return std::move(status).on_error([&](Error& e) { e.at(path); });
}

std::string ms(std::int64_t v) { return std::to_string(v) + " ms"; }

std::string expiry_name(std::string_view feed, std::int64_t expiry_ms) {
  return std::string(feed) + " at " + ms(expiry_ms);
}

OptionVerdict drop(OptionDropReason reason, std::string detail) { return {reason, std::move(detail)}; }

const OptionDataRules* find_rules(const std::vector<OptionDataRules>& rules, std::string_view feed) {
  const auto it = std::lower_bound(rules.begin(), rules.end(), feed,
                                   [](const OptionDataRules& r, std::string_view f) { return r.feed < f; });
  return it != rules.end() && it->feed == feed ? &*it : nullptr;
}

// The index of (feed, expiry) among the required expiries, or npos.
std::size_t find_required(const std::vector<ExpiryKey>& required, const OptionExpiry& s) {
  const auto it =
      std::lower_bound(required.begin(), required.end(), s, [](const ExpiryKey& k, const auto& e) {
        return k.feed != e.feed ? k.feed < e.feed : k.expiry_ms < e.expiry_ms;
      });
  if (it == required.end() || it->feed != s.feed || it->expiry_ms != s.expiry_ms) return std::string::npos;
  return static_cast<std::size_t>(it - required.begin());
}

// Steps 9-13 of §6.2: the message's own values against its feed's rules.
std::optional<OptionVerdict> check_values(const OptionAggregationContext& c, const OptionDataRules& rules,
                                          const OptionMessage& m) {
  if (const Status s = check_surface(m.surface); !s.ok())
    return drop(OptionDropReason::invalid_surface, s.error().path() + ": " + s.error().message());
  if (c.as_of_ms - m.publish_time_ms > rules.max_age_ms) {
    return drop(OptionDropReason::stale, "published " + ms(c.as_of_ms - m.publish_time_ms) +
                                             " before the snapshot; the maximum age is " +
                                             ms(rules.max_age_ms));
  }
  if (m.publish_time_ms - c.as_of_ms > rules.max_future_ms) {
    return drop(OptionDropReason::future, "published " + ms(m.publish_time_ms - c.as_of_ms) +
                                              " after the snapshot; the maximum skew is " +
                                              ms(rules.max_future_ms));
  }
  if (m.confidence && *m.confidence > rules.max_confidence) {
    return drop(OptionDropReason::confidence, "confidence " + to_string(*m.confidence) +
                                                  " is above the maximum " + to_string(rules.max_confidence));
  }
  const OptionSourceState* last =
      find_option_source(c.history, m.source, m.surface.feed, m.surface.expiry_ms);
  if (last != nullptr && !(m.sequence > last->sequence && m.publish_time_ms > last->publish_time_ms)) {
    return drop(OptionDropReason::not_fresher,
                "sequence " + std::to_string(m.sequence) + " at " + ms(m.publish_time_ms) +
                    " is not after the last accepted, sequence " + std::to_string(last->sequence) + " at " +
                    ms(last->publish_time_ms));
  }
  return std::nullopt;
}

// The used messages of each required expiry (indexes into the messages).
using UsedByExpiry = std::vector<std::vector<std::size_t>>;

OptionVerdict judge(const OptionAggregationContext& c, const std::vector<OptionMessage>& messages,
                    std::size_t i, UsedByExpiry& used) {
  const OptionMessage& m = messages[i];
  const std::string& feed = m.surface.feed;
  const OptionDataRules* rules = find_rules(c.rules, feed);
  if (rules == nullptr)
    return drop(OptionDropReason::unknown_feed, "the risk parameters have no option data rules for " + feed);
  const std::size_t r = find_required(c.required, m.surface);
  if (r == std::string::npos) {
    return drop(OptionDropReason::unknown_expiry,
                "the risk parameters have no option market on " + expiry_name(feed, m.surface.expiry_ms));
  }
  if (!rules->has_source(m.source))
    return drop(OptionDropReason::not_a_source,
                "key \"" + m.key_id + "\" is not an option data source of " + feed);
  if (auto v = check_values(c, *rules, m)) return std::move(*v);
  if (std::any_of(used[r].begin(), used[r].end(),
                  [&](std::size_t u) { return messages[u].source == m.source; })) {
    return drop(OptionDropReason::duplicate_source, "the key of \"" + m.key_id + "\" already counted for " +
                                                        expiry_name(feed, m.surface.expiry_ms));
  }
  used[r].push_back(i);
  return OptionVerdict{};
}

// Groups the used messages by equal surfaces (in bundle order of their
// first message) and picks the largest; the others' messages disagree.
Result<ExpiryOutcome> choose_surface(const OptionAggregationContext& c, const ExpiryKey& key,
                                     const std::vector<OptionMessage>& messages,
                                     const std::vector<std::size_t>& used, OptionAggregation& out) {
  std::vector<std::vector<std::size_t>> groups;
  for (const std::size_t u : used) {
    const auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& group) {
      return same_surface(messages[group[0]], messages[u]);
    });
    if (g == groups.end()) {
      groups.push_back({u});
    } else {
      g->push_back(u);
    }
  }
  std::size_t best = 0, ties = 0, chosen = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() > best) {
      best = groups[g].size();
      ties = 1;
      chosen = g;
    } else if (groups[g].size() == best) {
      ++ties;
    }
  }
  const OptionDataRules* rules = find_rules(c.rules, key.feed);
  const std::uint64_t quorum = rules == nullptr ? 1 : rules->quorum;  // signing checks every feed has rules
  const std::string name = "option expiry " + expiry_name(key.feed, key.expiry_ms);
  if (best < quorum) {
    return Error(ErrorCode::quorum_not_met,
                 name + " has " + std::to_string(used.size()) +
                     " distinct trusted source(s) whose messages pass the rules, at most " +
                     std::to_string(best) + " of them on one surface; its quorum is " +
                     std::to_string(quorum),
                 std::string(c.messages_path));
  }
  if (ties > 1) {
    return Error(ErrorCode::quorum_not_met,
                 name + ": " + std::to_string(ties) + " different surfaces are each published by " +
                     std::to_string(best) + " sources; the quorum of " + std::to_string(quorum) +
                     " needs one surface with more sources than any other",
                 std::string(c.messages_path));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const std::size_t u : groups[g]) {
      const OptionMessage& m = messages[u];
      if (g == chosen) {
        out.accepted.push_back(
            OptionSourceState{m.source, key.feed, key.expiry_ms, m.sequence, m.publish_time_ms});
      } else {
        out.verdicts[u] = drop(OptionDropReason::disagrees, "its surface differs from the one " +
                                                                std::to_string(best) + " source(s) agree on");
      }
    }
  }
  return ExpiryOutcome{messages[groups[chosen][0]].surface, quorum, best};
}

}  // namespace

bool OptionDataRules::has_source(const SourceKey& key) const noexcept {
  return std::binary_search(sources.begin(), sources.end(), key);
}

Status check_quorum(const OptionDataRules& rules) {
  if (rules.quorum >= 1 && rules.quorum <= rules.sources.size()) return Ok{};
  return invalid("quorum " + std::to_string(rules.quorum) + " of the option data of " + rules.feed +
                 " must be between 1 and its " + std::to_string(rules.sources.size()) + " sources");
}

Status check_max_confidence(const OptionDataRules& rules) {
  if (!rules.max_confidence.is_negative()) return Ok{};
  return invalid("maximum confidence of the option data of " + rules.feed + " is negative");
}

Status validate(const OptionDataRules& rules) {
  if (rules.sources.empty())
    return invalid("the option data sources of " + rules.feed + " are empty").at("/sources");
  if (std::adjacent_find(rules.sources.begin(), rules.sources.end(), std::greater_equal<>()) !=
      rules.sources.end())
    return invalid("the option data sources of " + rules.feed + " are not sorted and distinct")
        .at("/sources");
  VMARGIN_CHECK(located(check_quorum(rules), "/quorum"));
  return located(check_max_confidence(rules), "/max_confidence");
}

bool same_surface(const OptionMessage& x, const OptionMessage& y) noexcept {
  const OptionExpiry& a = x.surface;
  const OptionExpiry& b = y.surface;
  const SviParameters& s = a.svi;
  const SviParameters& t = b.svi;
  return a.feed == b.feed && a.expiry_ms == b.expiry_ms && a.forward == b.forward && a.rate == b.rate &&
         a.settlement_price == b.settlement_price && s.a == t.a && s.b == t.b && s.rho == t.rho &&
         s.m == t.m && s.sigma == t.sigma && s.forward == t.forward && s.tau == t.tau &&
         x.confidence == y.confidence;
}

Status check_surface(const OptionExpiry& s) {
  if (!s.forward.is_positive())
    return invalid("forward " + to_string(s.forward) + " is not positive").at("/forward");
  if (s.rate.is_negative()) return invalid("rate " + to_string(s.rate) + " is negative").at("/rate");
  if (s.settlement_price && !s.settlement_price->is_positive()) {
    return invalid("settlement price " + to_string(*s.settlement_price) + " is not positive")
        .at("/settlement_price");
  }
  return validate(s.svi).on_error([](Error& e) { e.within("/svi"); });
}

const OptionSourceState* find_option_source(const std::vector<OptionSourceState>& history,
                                            const SourceKey& key, std::string_view feed,
                                            std::int64_t expiry_ms) noexcept {
  for (const OptionSourceState& s : history) {
    if (s.key == key && s.feed == feed && s.expiry_ms == expiry_ms) return &s;
  }
  return nullptr;
}

std::string_view option_drop_reason_name(OptionDropReason reason) noexcept {
  return drop_names[static_cast<std::size_t>(reason)];
}

Result<OptionAggregation> aggregate_option_expiries(const OptionAggregationContext& context,
                                                    const std::vector<OptionMessage>& messages) {
  OptionAggregation result;
  UsedByExpiry used(context.required.size());
  result.verdicts.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i)
    result.verdicts.push_back(judge(context, messages, i, used));
  for (std::size_t r = 0; r < context.required.size(); ++r) {
    VMARGIN_TRY(ExpiryOutcome out, choose_surface(context, context.required[r], messages, used[r], result));
    result.expiries.push_back(std::move(out));
  }
  return result;
}

}  // namespace vmargin::market
