// The scenario grid of portfolio margin (docs/spec.md §14.2): per
// underlying, spot moves of up to +-R in B buckets per side, each with the
// implied volatility shocked up, unchanged and down (the outermost moves up
// only), the shocks scaled by (30 d / max(T, 1 d))^p with the kernels' pow.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

enum class ScenarioVolatility : std::uint8_t { up, unchanged, down };

[[nodiscard]] std::string_view scenario_volatility_name(ScenarioVolatility shock) noexcept;

/// One scenario: the index and every forward of the underlying move by
/// `spot_move` (a signed fraction), the volatilities by `volatility`.
struct GridScenario {
  Ratio spot_move;
  ScenarioVolatility volatility = ScenarioVolatility::unchanged;
};

/// The scenarios in parameter order: moves i = -B..B ascending, m_i =
/// tdiv(i x R, B); per move up, unchanged, down, except |i| = B: up only.
/// 6B - 1 scenarios; scenario (0, unchanged) is always among them.
[[nodiscard]] std::vector<GridScenario> scenario_grid(const PortfolioMarginParameters& params);

/// fdiv(x x (1 + move)): a mark or a forward in a scenario (floored).
[[nodiscard]] Result<Price> shocked_price(Price x, Ratio move);

/// (30 d / max(secs, 1 d))^p, p the short-term power up to 30 days, the
/// long-term one beyond (§11.6 pow, so exactly the kernels' bits).
[[nodiscard]] Result<Ratio> volatility_scale(const PortfolioMarginParameters& params,
                                             std::int64_t seconds_to_expiry);

/// The volatility `sigma` under `shock`, with the scale of its expiry: up
/// max(sigma x (1 + u x scale), floor), down sigma x max(1 - d x scale, 0),
/// every product floored.
[[nodiscard]] Result<Ratio> shocked_volatility(const PortfolioMarginParameters& params, Ratio sigma,
                                               Ratio scale, ScenarioVolatility shock);

}  // namespace vmargin
