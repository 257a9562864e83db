// The engine slice on cross accounts of 1, 5 and 20 linear perpetual
// positions: the evaluation alone (model in, report out) and the whole
// JSON pipeline (text in, canonical text out).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/engine.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace {

using namespace vmargin;

Price price_of(int i) { return Price::from_raw(static_cast<i128>(1000 + 37 * i) * fixed_scale + 123456789); }

// A deterministic exchange with `n` markets and an account holding all of them.
struct Fixture {
  RiskParameters params;
  MarketState prices;
  Account account;
  std::string params_json, prices_json, account_json;
};

Fixture make_fixture(int n) {
  Fixture f;
  f.params.version = 1;
  f.params.settlement_asset = "USDC";
  f.params.margin_call_ratio = Ratio::from_raw(fixed_scale * 3 / 2);
  f.account.id = "bench";
  f.account.collateral.push_back({"USDC", Money::from_units(1'000'000)});
  for (int i = 0; i < n; ++i) {
    char market[16], feed[16];
    std::snprintf(market, sizeof market, "M%02d-PERP", i);
    std::snprintf(feed, sizeof feed, "M%02d-USD", i);
    f.params.markets.push_back(Market{market, MarketKind::linear_perpetual, feed,
                                      Ratio::from_raw(fixed_scale / 10), Ratio::from_raw(fixed_scale / 20)});
    f.prices.feeds.push_back(FeedPrice{feed, price_of(i)});
    const i128 q = static_cast<i128>((i % 2 ? -1 : 1) * (i + 1)) * fixed_scale / 7;
    f.account.positions.push_back(Position{market, Quantity::from_raw(q), price_of(i + 3)});
  }
  // The same documents as JSON, for the pipeline benchmark.
  codec::Json p = {{"version", 1}, {"settlement_asset", "USDC"}, {"margin_call_ratio", "1.5"}};
  codec::Json markets = codec::Json::object(), feeds = codec::Json::object(),
              positions = codec::Json::object();
  for (int i = 0; i < n; ++i) {
    const Market& m = f.params.markets[static_cast<std::size_t>(i)];
    markets[m.id] = {{"kind", "linear_perpetual"},
                     {"feed", m.feed},
                     {"initial_rate", "0.1"},
                     {"maintenance_rate", "0.05"}};
    feeds[m.feed] = {{"mark", to_string(f.prices.feeds[static_cast<std::size_t>(i)].mark)}};
    const Position& pos = f.account.positions[static_cast<std::size_t>(i)];
    positions[pos.market] = {{"quantity", to_string(pos.quantity)},
                             {"entry_price", to_string(pos.entry_price)}};
  }
  p["markets"] = markets;
  f.params_json = p.dump();
  f.prices_json = codec::Json{{"feeds", feeds}}.dump();
  f.account_json =
      codec::Json{{"id", "bench"}, {"collateral", {{"USDC", "1000000"}}}, {"positions", positions}}.dump();
  return f;
}

void BM_Evaluate(benchmark::State& state) {
  const Fixture f = make_fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Result<AccountReport> r = evaluate(f.params, f.prices, f.account);
    if (!r.ok()) state.SkipWithError(r.error().to_string().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(state.range(0)) + " positions");
}
BENCHMARK(BM_Evaluate)->Arg(1)->Arg(5)->Arg(20);

void BM_EvaluateJson(benchmark::State& state) {
  const Fixture f = make_fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Result<std::string> r = codec::evaluate_json(f.params_json, f.prices_json, f.account_json);
    if (!r.ok()) state.SkipWithError(r.error().to_string().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::to_string(state.range(0)) + " positions, JSON in and out");
}
BENCHMARK(BM_EvaluateJson)->Arg(1)->Arg(5)->Arg(20);

}  // namespace

BENCHMARK_MAIN();
