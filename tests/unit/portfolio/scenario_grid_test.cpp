// The scenario grid of portfolio margin (docs/spec.md §14.2): its shape and
// order, the moves, the shocked prices and the volatility shocks.
#include "vmargin/portfolio/scenario_grid.hpp"

#include "support/test_support.hpp"
#include "vmargin/numeric/kernels.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::ok_value;

namespace {

PortfolioMarginParameters deribit_btc() {
  PortfolioMarginParameters p;
  p.feed = "BTC-USD";
  p.price_range = dec<Ratio>("0.16");
  p.buckets = 4;
  p.volatility_range_up = dec<Ratio>("0.5");
  p.volatility_range_down = dec<Ratio>("0.25");
  p.short_term_power = dec<Ratio>("0.3");
  p.long_term_power = dec<Ratio>("0.13");
  p.min_volatility_up = dec<Ratio>("0.5");
  p.mm_factor = dec<Ratio>("0.8");
  p.im_factor = Ratio::one();
  return p;
}

constexpr std::int64_t day = 86'400;

}  // namespace

TEST_CASE("the grid has 6B - 1 scenarios in parameter order, the outermost moves vol-up only") {
  const auto grid = scenario_grid(deribit_btc());
  REQUIRE(grid.size() == 23);
  CHECK(grid.front().spot_move == dec<Ratio>("-0.16"));
  CHECK(grid.front().volatility == ScenarioVolatility::up);
  CHECK(grid[1].spot_move == dec<Ratio>("-0.12"));
  CHECK(grid[1].volatility == ScenarioVolatility::up);
  CHECK(grid[2].volatility == ScenarioVolatility::unchanged);
  CHECK(grid[3].volatility == ScenarioVolatility::down);
  CHECK(grid[10].spot_move == Ratio::zero());
  CHECK(grid[11].spot_move == Ratio::zero());
  CHECK(grid[11].volatility == ScenarioVolatility::unchanged);
  CHECK(grid.back().spot_move == dec<Ratio>("0.16"));
  CHECK(grid.back().volatility == ScenarioVolatility::up);
  for (std::size_t k = 0; k < grid.size(); ++k)
    CHECK(grid[k].spot_move == -grid[grid.size() - 1 - k].spot_move);
}

TEST_CASE("one bucket: five scenarios; inexact moves truncate toward zero") {
  PortfolioMarginParameters p = deribit_btc();
  p.buckets = 1;
  CHECK(scenario_grid(p).size() == 5);
  p.buckets = 3;
  p.price_range = dec<Ratio>("0.1");
  const auto grid = scenario_grid(p);
  REQUIRE(grid.size() == 17);
  CHECK(grid[1].spot_move == dec<Ratio>("-0.066666666666666666"));
  CHECK(grid[4].spot_move == dec<Ratio>("-0.033333333333333333"));
  CHECK(grid[12].spot_move == dec<Ratio>("0.033333333333333333"));
}

TEST_CASE("shocked prices are floored") {
  CHECK(ok_value(shocked_price(dec<Price>("61000"), dec<Ratio>("0.16"))) == dec<Price>("70760"));
  CHECK(ok_value(shocked_price(dec<Price>("0.000000000000000003"), dec<Ratio>("-0.5"))) ==
        dec<Price>("0.000000000000000001"));
  CHECK(ok_value(shocked_price(dec<Price>("61000"), Ratio::zero())) == dec<Price>("61000"));
}

TEST_CASE("the volatility scale: (30 d / max(T, 1 d))^p, short power up to 30 days") {
  const PortfolioMarginParameters p = deribit_btc();
  // At 30 days the ratio is 1 and pow(1, p) = exp(0) = 1 - 10^-18 (§11.6).
  CHECK(ok_value(volatility_scale(p, 30 * day)) == dec<Ratio>("0.999999999999999999"));
  // Under a day the floor of one day applies.
  CHECK(ok_value(volatility_scale(p, 3600)) == ok_value(volatility_scale(p, day)));
  CHECK(ok_value(volatility_scale(p, day)) ==
        ok_value(kernel::pow(Ratio::from_units(30), p.short_term_power)));
  // One second beyond 30 days: the long-term power, on a ratio just under 1.
  const Ratio ratio = Ratio::from_raw(static_cast<i128>(30 * day) * Ratio::one().raw() / (30 * day + 1));
  CHECK(ok_value(volatility_scale(p, 30 * day + 1)) == ok_value(kernel::pow(ratio, p.long_term_power)));
}

TEST_CASE("shocked volatility: up with its floor, unchanged, down floored at 0") {
  const PortfolioMarginParameters p = deribit_btc();
  const Ratio sigma = dec<Ratio>("0.6");
  const Ratio scale = dec<Ratio>("1.2");
  // up: 0.6 x (1 + 0.5 x 1.2) = 0.96
  CHECK(ok_value(shocked_volatility(p, sigma, scale, ScenarioVolatility::up)) == dec<Ratio>("0.96"));
  CHECK(ok_value(shocked_volatility(p, dec<Ratio>("0.2"), scale, ScenarioVolatility::up)) ==
        dec<Ratio>("0.5"));
  CHECK(ok_value(shocked_volatility(p, sigma, scale, ScenarioVolatility::unchanged)) == sigma);
  // down: 0.6 x (1 - 0.25 x 1.2) = 0.42
  CHECK(ok_value(shocked_volatility(p, sigma, scale, ScenarioVolatility::down)) == dec<Ratio>("0.42"));
  CHECK(ok_value(shocked_volatility(p, sigma, dec<Ratio>("5"), ScenarioVolatility::down)) == Ratio::zero());
  CHECK(scenario_volatility_name(ScenarioVolatility::unchanged) == "unchanged");
}
