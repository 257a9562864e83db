// The rules of a tier table (docs/spec.md §3.1 "Tier", "Continuity"), in
// the order of §4 step 3.
#include "vmargin/model/tier_table.hpp"

#include <optional>

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// Where and what, for the messages of one tier.
struct TierRef {
  const std::string& path;  // of the table
  std::size_t k;
  std::string name;  // "tier 2 of BTC-PERP"
  [[nodiscard]] Error invalid(const char* field, std::string message) const {
    return Error(ErrorCode::invalid_value, name + std::move(message), path + "/" + std::to_string(k) + field);
  }
};

// Caps positive, increasing, absent on the last tier only; rates in [0, 1],
// initial >= maintenance; the first tier's amounts zero.
Status check_tier(const std::vector<Tier>& tiers, const TierRef& ref) {
  const Tier& t = tiers[ref.k];
  const bool last = ref.k + 1 == tiers.size();
  if (last && t.max_notional) {
    return ref.invalid("/max_notional", " is the last tier and must be uncapped (max_notional null), not " +
                                            to_string(*t.max_notional));
  }
  if (!last && !t.max_notional) return ref.invalid("/max_notional", " needs a max_notional");
  if (t.max_notional && !t.max_notional->is_positive())
    return ref.invalid("/max_notional", " has a cap of " + to_string(*t.max_notional) + ", not positive");
  if (ref.k > 0 && t.max_notional && *t.max_notional <= *tiers[ref.k - 1].max_notional) {
    return ref.invalid("/max_notional", " has a cap of " + to_string(*t.max_notional) +
                                            ", not above the previous cap " +
                                            to_string(*tiers[ref.k - 1].max_notional));
  }
  if (t.maintenance_rate.is_negative() || t.maintenance_rate > Ratio::one())
    return ref.invalid("/maintenance_rate",
                       " has a maintenance rate of " + to_string(t.maintenance_rate) + ", outside [0, 1]");
  if (t.initial_rate > Ratio::one())
    return ref.invalid("/initial_rate", " has an initial rate of " + to_string(t.initial_rate) + ", above 1");
  if (t.initial_rate < t.maintenance_rate) {
    return ref.invalid("/initial_rate", " has an initial rate of " + to_string(t.initial_rate) +
                                            ", below its maintenance rate " + to_string(t.maintenance_rate));
  }
  if (ref.k == 0 && !t.maintenance_amount.is_zero())
    return ref.invalid("/maintenance_amount", " must have a maintenance amount of 0");
  if (ref.k == 0 && !t.initial_amount.is_zero())
    return ref.invalid("/initial_amount", " must have an initial amount of 0");
  return Ok{};
}

// Rates non-decreasing from the previous tier, and each amount exactly
// amount_{k-1} + cap_{k-1} x (rate_k - rate_{k-1}).
Status check_continuity(const Tier& t, const Tier& prev, const TierRef& ref) {
  if (t.maintenance_rate < prev.maintenance_rate) {
    return ref.invalid("/maintenance_rate", " has a maintenance rate of " + to_string(t.maintenance_rate) +
                                                ", below the previous tier's " +
                                                to_string(prev.maintenance_rate));
  }
  if (t.initial_rate < prev.initial_rate) {
    return ref.invalid("/initial_rate", " has an initial rate of " + to_string(t.initial_rate) +
                                            ", below the previous tier's " + to_string(prev.initial_rate));
  }
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
  const Money cap = *prev.max_notional;
  for (const Check& c : checks) {
    const std::optional<Money> expected = continuous_amount(c.prev_amount, cap, c.prev_rate, c.rate);
    if (!expected || *expected != c.amount) {
      const std::string want = expected ? to_string(*expected) : "not representable with 18 decimals";
      return ref.invalid(c.field, std::string(" has ") + c.name + " amount of " + to_string(c.amount) +
                                      "; continuity at the cap " + to_string(cap) + " requires " +
                                      to_string(c.prev_amount) + " + " + to_string(cap) + " x (" +
                                      to_string(c.rate) + " - " + to_string(c.prev_rate) + ") = " + want);
    }
  }
  return Ok{};
}

}  // namespace

std::optional<Money> continuous_amount(Money prev_amount, Money prev_cap, Ratio prev_rate, Ratio rate) {
  const Result<Ratio> step = sub(rate, prev_rate);
  if (!step.ok()) return std::nullopt;
  // Exact when rounding either way agrees.
  const Result<Money> down = mul(prev_cap, *step, Round::down);
  const Result<Money> up = mul(prev_cap, *step, Round::up);
  if (!down.ok() || !up.ok() || *down != *up) return std::nullopt;
  const Result<Money> amount = add(prev_amount, *down);
  if (!amount.ok()) return std::nullopt;
  return *amount;
}

Status validate_tiers(const std::vector<Tier>& tiers, std::string_view market_id, const std::string& path) {
  const std::string id(market_id);
  if (tiers.empty()) return Error(ErrorCode::invalid_value, "market " + id + " has no tiers", path);
  for (std::size_t k = 0; k < tiers.size(); ++k) {
    const TierRef ref{path, k, "tier " + std::to_string(k + 1) + " of " + id};
    VMARGIN_CHECK(check_tier(tiers, ref));
    if (k > 0) VMARGIN_CHECK(check_continuity(tiers[k], tiers[k - 1], ref));
  }
  return Ok{};
}

}  // namespace vmargin
