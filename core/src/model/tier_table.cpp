// The rules of a tier table (docs/spec.md §3.1 "Tier", "Continuity").
#include "vmargin/model/tier_table.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

namespace {

// cap x (r_k - r_{k-1}) must be exact: otherwise no amount at 18 decimals
// makes the table continuous.
Result<Money> exact_amount_step(Money cap, Ratio rate_step) {
  VMARGIN_TRY(const Money down, mul(cap, rate_step, Round::down));
  VMARGIN_TRY(const Money up, mul(cap, rate_step, Round::up));
  if (down != up) return Error(ErrorCode::invalid_value, "");
  return down;
}

}  // namespace

Status validate_tiers(const std::vector<Tier>& tiers, std::string_view market_id, const std::string& path) {
  const std::string id(market_id);
  const auto at = [&path](std::size_t k, const char* field) {
    return path + "/" + std::to_string(k) + field;
  };
  const auto invalid = [](std::string where, std::string message) {
    return Error(ErrorCode::invalid_value, std::move(message), std::move(where));
  };
  if (tiers.empty()) return invalid(path, "market " + id + " has no tiers");
  for (std::size_t k = 0; k < tiers.size(); ++k) {
    const Tier& t = tiers[k];
    const std::string n = "tier " + std::to_string(k + 1) + " of " + id;
    const bool last = k + 1 == tiers.size();
    if (last && t.max_notional) {
      return invalid(at(k, "/max_notional"),
                     n + " is the last tier and must be uncapped (max_notional null), not " +
                         to_string(*t.max_notional));
    }
    if (!last && !t.max_notional) return invalid(at(k, "/max_notional"), n + " needs a max_notional");
    if (t.max_notional && !t.max_notional->is_positive())
      return invalid(at(k, "/max_notional"),
                     n + " has a cap of " + to_string(*t.max_notional) + ", not positive");
    if (k > 0 && t.max_notional && *t.max_notional <= *tiers[k - 1].max_notional) {
      return invalid(at(k, "/max_notional"), n + " has a cap of " + to_string(*t.max_notional) +
                                                 ", not above the previous cap " +
                                                 to_string(*tiers[k - 1].max_notional));
    }
    if (t.maintenance_rate.is_negative() || t.maintenance_rate > Ratio::one()) {
      return invalid(at(k, "/maintenance_rate"),
                     n + " has a maintenance rate of " + to_string(t.maintenance_rate) + ", outside [0, 1]");
    }
    if (t.initial_rate > Ratio::one()) {
      return invalid(at(k, "/initial_rate"),
                     n + " has an initial rate of " + to_string(t.initial_rate) + ", above 1");
    }
    if (t.initial_rate < t.maintenance_rate) {
      return invalid(at(k, "/initial_rate"), n + " has an initial rate of " + to_string(t.initial_rate) +
                                                 ", below its maintenance rate " +
                                                 to_string(t.maintenance_rate));
    }
    if (k == 0) {
      if (!t.maintenance_amount.is_zero())
        return invalid(at(k, "/maintenance_amount"), n + " must have a maintenance amount of 0");
      if (!t.initial_amount.is_zero())
        return invalid(at(k, "/initial_amount"), n + " must have an initial amount of 0");
      continue;
    }
    const Tier& prev = tiers[k - 1];
    if (t.maintenance_rate < prev.maintenance_rate) {
      return invalid(at(k, "/maintenance_rate"),
                     n + " has a maintenance rate of " + to_string(t.maintenance_rate) +
                         ", below the previous tier's " + to_string(prev.maintenance_rate));
    }
    if (t.initial_rate < prev.initial_rate) {
      return invalid(at(k, "/initial_rate"), n + " has an initial rate of " + to_string(t.initial_rate) +
                                                 ", below the previous tier's " +
                                                 to_string(prev.initial_rate));
    }
    // Continuity: amount_k = amount_{k-1} + cap_{k-1} x (rate_k - rate_{k-1}).
    struct Check {
      Money amount, prev_amount;
      Ratio rate, prev_rate;
      const char* field;
      const char* name;
    };
    const Check checks[] = {
        {t.maintenance_amount, prev.maintenance_amount, t.maintenance_rate, prev.maintenance_rate,
         "/maintenance_amount", "a maintenance"},
        {t.initial_amount, prev.initial_amount, t.initial_rate, prev.initial_rate, "/initial_amount",
         "an initial"},
    };
    for (const Check& c : checks) {
      const Money cap = *prev.max_notional;
      VMARGIN_TRY(const Ratio step,
                  sub(c.rate, c.prev_rate).on_error([&](Error& e) { e.at(at(k, c.field)); }));
      const Result<Money> delta = exact_amount_step(cap, step);
      Result<Money> expected = delta.ok() ? add(c.prev_amount, delta.value()) : delta;
      if (!expected.ok() || expected.value() != c.amount) {
        std::string want = expected.ok() ? to_string(expected.value()) : "not representable with 18 decimals";
        return invalid(at(k, c.field), n + " has " + c.name + " amount of " + to_string(c.amount) +
                                           "; continuity at the cap " + to_string(cap) + " requires " +
                                           to_string(c.prev_amount) + " + " + to_string(cap) + " x (" +
                                           to_string(c.rate) + " - " + to_string(c.prev_rate) +
                                           ") = " + want);
      }
    }
  }
  return Ok{};
}

}  // namespace vmargin
