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
//   BM_OptionsReport      a 50-option book over 4 expiries plus a perpetual:
//                         the full report with the price boundaries on both
//                         sides (issue #11: under 1 ms natively); the label
//                         gives the evaluations the largest search needed
// Issue #11's target: Black-76 price + all Greeks under 1 us natively.
// Issue #3's target: a full report for 20 positions under 20 us on one core.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "vmargin/codec/loaded_market.hpp"
#include "vmargin/liquidation/liquidation_prices.hpp"
#include "vmargin/options/black76.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/options/svi.hpp"

namespace {

using namespace vmargin;
using bench::Fixture;
using bench::make_fixture;
using bench::options_book;
using bench::OptionsBook;

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

// The market handle (issue 14): parameters and prices loaded once, then the
// account's text in, the canonical report out (BM_JsonPipeline's bytes).
void BM_MarketHandle(benchmark::State& state) {
  const Fixture f = make_fixture(static_cast<int>(state.range(0)), false);
  const Result<codec::LoadedMarket> market = codec::LoadedMarket::open(f.params_json, f.prices_json);
  if (!market.ok()) {
    state.SkipWithError(market.error().to_string().c_str());
    return;
  }
  const Result<std::string> check = market->evaluate(f.account_json);
  const Result<std::string> stateless = codec::evaluate_json(f.params_json, f.prices_json, f.account_json);
  if (!check.ok() || !stateless.ok() || check.value() != stateless.value()) {
    state.SkipWithError("the handle's report differs from the stateless one");
    return;
  }
  for (auto _ : state) {
    Result<std::string> r = market->evaluate(f.account_json);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(state.range(0)) + " positions, account text in, report text out");
}
BENCHMARK(BM_MarketHandle)->Arg(1)->Arg(5)->Arg(20);

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

Account standard(Account a) {
  a.margin_mode = MarginMode::standard;
  return a;
}

Money ok_value_or_zero(const Result<AccountReport>& r) {
  return r.ok() ? r->cross.maintenance_margin : Money::zero();
}

// The book's report once before timing; a failure (of the parameters or the
// evaluation) skips the benchmark with its error.
Result<AccountReport> checked_report(benchmark::State& state, const Result<ValidatedParameters>& params,
                                     const OptionsBook& b) {
  Result<AccountReport> r =
      params.ok() ? evaluate(*params, b.prices, b.account) : Result<AccountReport>(params.error());
  if (!r.ok()) state.SkipWithError(r.error().to_string().c_str());
  return r;
}

void BM_OptionsReport(benchmark::State& state) {
  const OptionsBook b = options_book();
  const Result<ValidatedParameters> params = ValidatedParameters::make(b.params);
  const Result<AccountReport> check = checked_report(state, params, b);
  if (!check.ok()) return;
  // The work of the largest search: the smallest budget that still succeeds.
  std::size_t low = 1, high = 512;
  while (low < high) {
    EvaluationOptions o;
    o.search_budget = (low + high) / 2;
    if (evaluate(*params, b.prices, b.account, o).ok()) {
      high = o.search_budget;
    } else {
      low = o.search_budget + 1;
    }
  }
  for (auto _ : state) {
    Result<AccountReport> r = evaluate(*params, b.prices, b.account);
    benchmark::DoNotOptimize(r);
  }
  const PriceBoundaries& pb = check->cross.price_boundaries.front();
  state.SetLabel(
      "50 options, 4 expiries, " + std::string(status_name(check->cross.status)) + ", boundaries " +
      (pb.liquidation_below ? to_string(*pb.liquidation_below) : std::string("-")) + " / " +
      (pb.liquidation_above ? to_string(*pb.liquidation_above) : std::string("-")) +
      "; largest search: budget " + std::to_string(low) + " (a bound counts 2 evaluations of 50 pricings)");
}
BENCHMARK(BM_OptionsReport)->Unit(benchmark::kMicrosecond);

// The same book under portfolio margin (docs/spec.md §14): Deribit's BTC
// vol parameters on a grid of B = 6 buckets (35 scenarios), so 50 x 35
// Black-76 pricings per report besides the base quotes.
void BM_PortfolioReport(benchmark::State& state) {
  OptionsBook b = options_book();
  const auto r = [](i128 milli) { return Ratio::from_raw(milli * fixed_scale / 1000); };
  PortfolioMarginParameters pm;
  pm.feed = "BTC-USD";
  pm.price_range = r(160);
  pm.buckets = 6;
  pm.volatility_range_up = r(500);
  pm.volatility_range_down = r(250);
  pm.short_term_power = r(300);
  pm.long_term_power = r(130);
  pm.min_volatility_up = r(500);
  pm.mm_factor = r(800);
  pm.im_factor = r(1000);
  pm.option_contingency_rate = r(10);
  pm.future_contingency_rate = r(10);
  pm.collateral_offsets = true;
  b.params.portfolio_margin = {pm};
  b.account.margin_mode = MarginMode::portfolio;
  const Result<ValidatedParameters> params = ValidatedParameters::make(b.params);
  const Result<AccountReport> check = checked_report(state, params, b);
  if (!check.ok()) return;
  for (auto _ : state) {
    Result<AccountReport> rep = evaluate(*params, b.prices, b.account);
    benchmark::DoNotOptimize(rep);
  }
  const UnderlyingMargin& u = check->portfolio_margin.underlyings.front();
  state.SetLabel("50 options, 4 expiries, " + std::to_string(u.scenarios.size()) + " scenarios, worst #" +
                 std::to_string(u.worst.index) + ", MM " + to_string(check->cross.maintenance_margin) +
                 " (standard " +
                 to_string(ok_value_or_zero(evaluate(b.params, b.prices, standard(b.account)))) + ")");
}
BENCHMARK(BM_PortfolioReport)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
