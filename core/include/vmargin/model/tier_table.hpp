// The rules of a tier table (docs/spec.md §3.1): checked when risk
// parameters load, so every evaluation can rely on them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

/// The rules of a tier table: at least one tier; caps positive and strictly
/// increasing, the last one absent; rates in [0, 1], non-decreasing, initial
/// >= maintenance; the first tier's amounts zero and every later amount
/// exactly amount[k-1] + cap[k-1] x (rate[k] - rate[k-1]), so that the
/// requirement is continuous at every edge.
/// The amount that keeps `notional x rate - amount` continuous at the
/// previous tier's cap: prev_amount + prev_cap x (rate - prev_rate), exact
/// (Binance's "cum" construction, docs/spec.md §3.1 "Continuity"). None when
/// it is not representable with 18 decimals.
[[nodiscard]] std::optional<Money> continuous_amount(Money prev_amount, Money prev_cap, Ratio prev_rate,
                                                     Ratio rate);

[[nodiscard]] Status validate_tiers(const std::vector<Tier>& tiers, std::string_view market_id,
                                    const std::string& path);

}  // namespace vmargin
