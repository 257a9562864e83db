// The engine on cross accounts of 1, 5 and 20 positions plus 3 collateral
// assets (a pegged stablecoin and two coins priced by position feeds):
//   BM_FullReport         every output: pools, liquidation and bankruptcy
//                         prices of every position, ADL (healthy account)
//   BM_FullReportUnvalidated   the same, validating the parameters each time
//   BM_FullReportLiquidatable  the same for an account under water, so the
//                         partial-liquidation plan is computed too
//   BM_Evaluation         pools and positions only (no prices searched)
//   BM_JsonPipeline       text in, canonical report text out
//   BM_Black76AndGreeks   one option priced (Black-76) with all its Greeks,
//                         the inputs cycling through 64 precomputed options
//   BM_SviVolatility      one SVI implied volatility, 64 strikes cycled
// Issue #11's target: Black-76 price + all Greeks under 1 us natively.
// Issue #3's target: a full report for 20 positions under 20 us on one core.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>

#include "fixture.hpp"
#include "vmargin/options/black76.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/options/svi.hpp"

namespace {

using namespace vmargin;
using bench::Fixture;
using bench::make_fixture;

// Parameters are validated once per version (the exchange's and a
// session's tick path); BM_FullReportUnvalidated includes that validation.
void run(benchmark::State& state, bool under_water, const EvaluationOptions& options,
         bool validate_each_time = false) {
  const Fixture f = make_fixture(static_cast<int>(state.range(0)), under_water);
  const Result<ValidatedParameters> params = ValidatedParameters::make(f.params);
  if (!params.ok()) {
    state.SkipWithError(params.error().to_string().c_str());
    return;
  }
  const Result<AccountReport> check = evaluate(*params, f.prices, f.account, options);
  if (!check.ok()) {
    state.SkipWithError(check.error().to_string().c_str());
    return;
  }
  if (under_water && options.liquidation_plans && !check->cross.liquidation_plan) {
    state.SkipWithError("the fixture is not liquidatable");
    return;
  }
  for (auto _ : state) {
    Result<AccountReport> r = validate_each_time ? evaluate(f.params, f.prices, f.account, options)
                                                 : evaluate(*params, f.prices, f.account, options);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(state.range(0)) + " positions, 3 collateral assets");
}

void BM_FullReport(benchmark::State& state) { run(state, false, EvaluationOptions{}); }
BENCHMARK(BM_FullReport)->Arg(1)->Arg(5)->Arg(20);

void BM_FullReportUnvalidated(benchmark::State& state) { run(state, false, EvaluationOptions{}, true); }
BENCHMARK(BM_FullReportUnvalidated)->Arg(1)->Arg(5)->Arg(20);

void BM_FullReportLiquidatable(benchmark::State& state) { run(state, true, EvaluationOptions{}); }
BENCHMARK(BM_FullReportLiquidatable)->Arg(1)->Arg(5)->Arg(20);

void BM_Evaluation(benchmark::State& state) {
  EvaluationOptions o;
  o.liquidation_prices = false;
  o.liquidation_plans = false;
  run(state, false, o);
}
BENCHMARK(BM_Evaluation)->Arg(1)->Arg(5)->Arg(20);

void BM_JsonPipeline(benchmark::State& state) {
  const Fixture f = make_fixture(static_cast<int>(state.range(0)), false);
  const Result<std::string> check = codec::evaluate_json(f.params_json, f.prices_json, f.account_json);
  if (!check.ok()) {
    state.SkipWithError(check.error().to_string().c_str());
    return;
  }
  for (auto _ : state) {
    Result<std::string> r = codec::evaluate_json(f.params_json, f.prices_json, f.account_json);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(state.range(0)) + " positions, text in and out");
}
BENCHMARK(BM_JsonPipeline)->Arg(1)->Arg(5)->Arg(20);

// 64 options across expiries (1 h to 2 y), volatilities (20 % to 200 %),
// moneyness (0.5 to 2), calls and puts, a 5 % rate; built at run time so
// nothing is constant-folded.
struct OptionCase {
  Black76Inputs in;
  Ratio rate;
  OptionType type;
};

std::array<OptionCase, 64> option_cases() {
  std::array<OptionCase, 64> cases{};
  const Ratio rate = Ratio::from_raw(fixed_scale / 20);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto n = static_cast<std::int64_t>(i);
    OptionCase& c = cases[i];
    c.in.seconds_to_expiry = 3600 + n * n * 15'400;
    c.in.volatility = Ratio::from_raw(fixed_scale / 5 + static_cast<i128>(n) * fixed_scale / 35);
    c.in.forward = Price::from_raw(60'000 * fixed_scale);
    c.in.strike =
        Price::from_raw(30'000 * fixed_scale + static_cast<i128>((n * 37) % 64) * 1'400 * fixed_scale);
    c.in.discount = discount_factor(rate, annualise(c.in.seconds_to_expiry)).value();
    c.rate = rate;
    c.type = i % 2 == 0 ? OptionType::call : OptionType::put;
  }
  return cases;
}

void BM_Black76AndGreeks(benchmark::State& state) {
  const std::array<OptionCase, 64> cases = option_cases();
  std::size_t i = 0;
  for (auto _ : state) {
    const OptionCase& c = cases[i++ & 63];
    const Result<Black76Prices> prices = black76(c.in);
    Result<OptionGreeks> greeks = black76_greeks(c.in, *prices, c.rate, c.type);
    benchmark::DoNotOptimize(prices);
    benchmark::DoNotOptimize(greeks);
  }
  state.SetLabel("call and put prices, delta, gamma, vega, theta");
}
BENCHMARK(BM_Black76AndGreeks);

void BM_SviVolatility(benchmark::State& state) {
  // Derive's SVI test set B (OPTIONS-ANCHORS §4.3), validated once.
  const SviParameters svi{Ratio::from_raw(27'616'438'356'164'386), Ratio::from_raw(41'424'657'534'246'574),
                          Ratio::from_raw(3'452'054'794'520'548),  Ratio::from_raw(1'726'027'397'260'274),
                          Ratio::from_raw(345'205'479'452'055),    Price::from_raw(1805 * fixed_scale),
                          Ratio::from_raw(38'356'164'383'561'646)};
  if (!validate(svi)) {
    state.SkipWithError("the SVI surface does not validate");
    return;
  }
  std::array<Price, 64> strikes{};
  for (std::size_t i = 0; i < strikes.size(); ++i)
    strikes[i] = Price::from_raw(900 * fixed_scale + static_cast<i128>((i * 29) % 64) * 30 * fixed_scale);
  std::size_t i = 0;
  for (auto _ : state) {
    Result<Ratio> vol = svi_volatility(svi, strikes[i++ & 63]);
    benchmark::DoNotOptimize(vol);
  }
  state.SetLabel("one strike of a validated surface");
}
BENCHMARK(BM_SviVolatility);

}  // namespace

BENCHMARK_MAIN();
