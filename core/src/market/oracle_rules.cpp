#include "vmargin/market/oracle_rules.hpp"

#include <algorithm>

#include "vmargin/numeric/decimal.hpp"

namespace vmargin::market {

namespace {

Error invalid(std::string message) { return Error(ErrorCode::invalid_value, std::move(message)); }

Status located(Status status, std::string_view path) {
  return std::move(status).on_error([&](Error& e) { e.at(path); });
}

}  // namespace

bool OracleRules::has_source(const SourceKey& key) const noexcept {
  return std::binary_search(sources.begin(), sources.end(), key);
}

Status check_quorum(const OracleRules& rules) {
  if (rules.quorum >= 1 && rules.quorum <= rules.sources.size()) return Ok{};
  return invalid("quorum " + std::to_string(rules.quorum) + " of " + rules.feed +
                 " must be between 1 and its " + std::to_string(rules.sources.size()) + " sources");
}

Status check_max_confidence_ratio(const OracleRules& rules) {
  if (!rules.max_confidence_ratio.is_negative()) return Ok{};
  return invalid("maximum confidence ratio of " + rules.feed + " is negative");
}

Status check_max_deviation_ratio(const OracleRules& rules) {
  if (!rules.max_deviation_ratio.is_negative()) return Ok{};
  return invalid("maximum deviation ratio of " + rules.feed + " is negative");
}

Status check_stable_price_rate(const OracleRules& rules) {
  if (!rules.stable_price_rate.is_negative() && rules.stable_price_rate <= Ratio::from_units(1)) return Ok{};
  return invalid("stable price rate " + to_string(rules.stable_price_rate) + " of " + rules.feed +
                 " is outside [0, 1]");
}

Status validate(const OracleRules& rules) {
  if (rules.sources.empty()) return invalid("the sources of " + rules.feed + " are empty").at("/sources");
  if (std::adjacent_find(rules.sources.begin(), rules.sources.end(), std::greater_equal<>()) !=
      rules.sources.end())
    return invalid("the sources of " + rules.feed + " are not sorted and distinct").at("/sources");
  VMARGIN_CHECK(located(check_quorum(rules), "/quorum"));
  VMARGIN_CHECK(located(check_max_confidence_ratio(rules), "/max_confidence_ratio"));
  VMARGIN_CHECK(located(check_max_deviation_ratio(rules), "/max_deviation_ratio"));
  return located(check_stable_price_rate(rules), "/stable_price_rate");
}

}  // namespace vmargin::market
