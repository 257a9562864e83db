#include "vmargin/portfolio/scenario_grid.hpp"

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/kernels.hpp"

namespace vmargin {
namespace {

constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t thirty_days = 30 * seconds_per_day;

}  // namespace

std::string_view scenario_volatility_name(ScenarioVolatility shock) noexcept {
  switch (shock) {
    case ScenarioVolatility::up:
      return "up";
    case ScenarioVolatility::unchanged:
      return "unchanged";
    case ScenarioVolatility::down:
      return "down";
  }
  return "unknown";
}

std::vector<GridScenario> scenario_grid(const PortfolioMarginParameters& params) {
  const auto b = static_cast<std::int64_t>(params.buckets);
  std::vector<GridScenario> grid;
  grid.reserve(static_cast<std::size_t>(6 * b - 1));
  for (std::int64_t i = -b; i <= b; ++i) {
    // tdiv(i x R, B): |i x R| < 51 x 10^18, C++ division truncates toward zero.
    const Ratio move = Ratio::from_raw(static_cast<i128>(i) * params.price_range.raw() / b);
    grid.push_back({move, ScenarioVolatility::up});
    if (i == -b || i == b) continue;
    grid.push_back({move, ScenarioVolatility::unchanged});
    grid.push_back({move, ScenarioVolatility::down});
  }
  return grid;
}

Result<Price> shocked_price(Price x, Ratio move) {
  VMARGIN_TRY(const Ratio factor, add(Ratio::one(), move));
  return mul(factor, x, Round::down);
}

Result<Ratio> volatility_scale(const PortfolioMarginParameters& params, std::int64_t seconds_to_expiry) {
  const std::int64_t t = seconds_to_expiry < seconds_per_day ? seconds_per_day : seconds_to_expiry;
  // fdiv(30 d x S, t): t >= 1 day, so the ratio is in (0, 30].
  const Ratio ratio = Ratio::from_raw(static_cast<i128>(thirty_days) * Ratio::one().raw() / t);
  const Ratio power = seconds_to_expiry <= thirty_days ? params.short_term_power : params.long_term_power;
  return kernel::pow(ratio, power);
}

Result<Ratio> shocked_volatility(const PortfolioMarginParameters& params, Ratio sigma, Ratio scale,
                                 ScenarioVolatility shock) {
  switch (shock) {
    case ScenarioVolatility::unchanged:
      return sigma;
    case ScenarioVolatility::up: {
      VMARGIN_TRY(const Ratio range, mul(params.volatility_range_up, scale, Round::down));
      VMARGIN_TRY(const Ratio factor, add(Ratio::one(), range));
      VMARGIN_TRY(const Ratio up, mul(sigma, factor, Round::down));
      return max_of(up, params.min_volatility_up);
    }
    case ScenarioVolatility::down: {
      VMARGIN_TRY(const Ratio range, mul(params.volatility_range_down, scale, Round::down));
      VMARGIN_TRY(const Ratio left, sub(Ratio::one(), range));
      return mul(sigma, max_of(left, Ratio::zero()), Round::down);
    }
  }
  return sigma;
}

}  // namespace vmargin
