// The engine on cross accounts of 1, 5 and 20 positions plus 3 collateral
// assets (a pegged stablecoin and two coins priced by position feeds):
//   BM_FullReport         every output: pools, liquidation and bankruptcy
//                         prices of every position, ADL (healthy account)
//   BM_FullReportUnvalidated   the same, validating the parameters each time
//   BM_FullReportLiquidatable  the same for an account under water, so the
//                         partial-liquidation plan is computed too
//   BM_Evaluation         pools and positions only (no prices searched)
//   BM_JsonPipeline       text in, canonical report text out
// Issue #3's target: a full report for 20 positions under 20 us on one core.
#include <benchmark/benchmark.h>

#include <string>

#include "fixture.hpp"

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

}  // namespace

BENCHMARK_MAIN();
