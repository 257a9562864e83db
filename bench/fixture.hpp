// The benchmark accounts, shared by the Google Benchmark suite (native) and
// the portable harness (native and wasm): cross accounts of n linear
// perpetuals plus 3 collateral assets (a pegged stablecoin and two coins
// priced by position feeds), as model values and as JSON documents; and a
// 50-option book (options_book).
#pragma once

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/engine/engine.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin::bench {

inline Price price_of(int i) {
  return Price::from_raw(static_cast<i128>(1000 + 37 * i) * fixed_scale + 123456789);
}

inline Tier tier(std::optional<i128> cap_units, i128 initial_bp, i128 maintenance_bp, i128 initial_amount,
                 i128 maintenance_amount) {
  Tier t;
  if (cap_units) t.max_notional = Money::from_units(static_cast<std::int64_t>(*cap_units));
  t.initial_rate = Ratio::from_raw(initial_bp * fixed_scale / 10000);
  t.maintenance_rate = Ratio::from_raw(maintenance_bp * fixed_scale / 10000);
  t.initial_amount = Money::from_units(static_cast<std::int64_t>(initial_amount));
  t.maintenance_amount = Money::from_units(static_cast<std::int64_t>(maintenance_amount));
  return t;
}

inline CollateralAsset asset(const std::string& id, std::optional<std::string> feed, i128 w_bp) {
  CollateralAsset a;
  a.id = id;
  a.feed = std::move(feed);
  a.initial_weight = Ratio::from_raw((w_bp - 1000) * fixed_scale / 10000);
  a.maintenance_weight = Ratio::from_raw(w_bp * fixed_scale / 10000);
  a.initial_liability_weight = Ratio::from_raw(12500 * fixed_scale / 10000);
  a.maintenance_liability_weight = Ratio::from_raw(11000 * fixed_scale / 10000);
  a.size_factor = Ratio::from_raw(fixed_scale / 10000);
  a.volatility_haircut = Ratio::from_raw(fixed_scale / 20);
  return a;
}

struct Fixture {
  RiskParameters params;
  MarketState prices;
  Account account;
  std::string params_json, prices_json, account_json;
};

// `n` markets on feeds F00..; three tiers, size premium, volatility scaling
// on even feeds; collateral USDC, A00 (priced by F00) and A01 (by F01).
inline Fixture make_fixture(int n, bool under_water) {
  Fixture f;
  f.params.version = 1;
  f.params.margin_call_ratio = Ratio::from_raw(fixed_scale * 5 / 4);
  f.params.liquidation_buffer_ratio = Ratio::from_raw(fixed_scale / 50);
  f.params.assets = {asset("A00", "F00", 9000), asset("A01", "F01", 8500),
                     asset("USDC", std::nullopt, 10000)};
  f.prices.as_of_ms = 1'700'000'000'000;
  for (int i = 0; i < std::max(n, 2); ++i) {
    char feed[16];
    std::snprintf(feed, sizeof feed, "F%02d", i);
    if (i % 2 == 0)
      f.params.feeds.push_back(FeedRisk{feed, Ratio::from_raw(fixed_scale / 2), Ratio::from_units(2)});
    f.prices.feeds.push_back(FeedPrice{feed, price_of(i), Price::from_raw(price_of(i).raw() * 99 / 100),
                                       Ratio::from_raw(fixed_scale * 6 / 10)});
  }
  f.account.id = "bench";
  f.account.collateral = {
      {"A00", Money::from_units(3)}, {"A01", Money::from_units(-2)}, {"USDC", Money::from_units(100'000)}};
  for (int i = 0; i < n; ++i) {
    char id[24], feed[16];
    std::snprintf(id, sizeof id, "M%02d-PERP", i);
    std::snprintf(feed, sizeof feed, "F%02d", i);
    Market m;
    m.id = id;
    m.kind = MarketKind::linear_perpetual;
    m.feed = feed;
    m.settlement_asset = "USDC";
    m.tick_size = Price::from_raw(fixed_scale / 100);
    m.lot_size = Quantity::from_raw(fixed_scale / 1000);
    // 100k @ 2%/1%, 1M @ 4%/2%, then 10%/5%; continuous amounts.
    m.tiers = {tier(100'000, 200, 100, 0, 0), tier(1'000'000, 400, 200, 2'000, 1'000),
               tier({}, 1000, 500, 62'000, 31'000)};
    m.size_premium_factor = Ratio::from_raw(fixed_scale / 2000);
    m.liquidation_fee_rate = Ratio::from_raw(fixed_scale / 200);
    f.params.markets.push_back(m);
    const i128 q = static_cast<i128>((i % 2 ? -1 : 1) * (i + 3)) * fixed_scale / 2;
    f.account.positions.push_back(Position{id, Quantity::from_raw(q), price_of(i + (i % 2 ? -20 : 20)),
                                           Money::from_raw(fixed_scale / 4), std::nullopt});
  }
  if (under_water) {
    // Put the cross pool's equity at half its maintenance requirement, so
    // the report includes a partial-liquidation plan whatever n is.
    f.account.collateral.back().amount = Money{};
    const Result<AccountReport> r = evaluate(f.params, f.prices, f.account);
    if (r.ok()) {
      const i128 target = r->cross.maintenance_margin.raw() / 2 - r->cross.equity.raw();
      f.account.collateral.back().amount = Money::from_raw(target);
    }
  }
  // The same documents as JSON, for the pipeline benchmark.
  const auto dec = [](auto v) { return to_string(v); };
  codec::Json assets = codec::Json::object(), feeds = codec::Json::object(), markets = codec::Json::object();
  for (const CollateralAsset& a : f.params.assets) {
    assets[a.id] = {{"feed", a.feed ? codec::Json(*a.feed) : codec::Json(nullptr)},
                    {"initial_weight", dec(a.initial_weight)},
                    {"maintenance_weight", dec(a.maintenance_weight)},
                    {"initial_liability_weight", dec(a.initial_liability_weight)},
                    {"maintenance_liability_weight", dec(a.maintenance_liability_weight)},
                    {"size_factor", dec(a.size_factor)},
                    {"volatility_haircut", dec(a.volatility_haircut)}};
  }
  for (const FeedRisk& r : f.params.feeds)
    feeds[r.feed] = {{"volatility_reference", dec(r.volatility_reference)},
                     {"max_volatility_multiplier", dec(r.max_volatility_multiplier)}};
  for (const Market& m : f.params.markets) {
    codec::Json tiers = codec::Json::array();
    for (const Tier& t : m.tiers)
      tiers.push_back(
          {{"max_notional", t.max_notional ? codec::Json(dec(*t.max_notional)) : codec::Json(nullptr)},
           {"initial_rate", dec(t.initial_rate)},
           {"maintenance_rate", dec(t.maintenance_rate)},
           {"initial_amount", dec(t.initial_amount)},
           {"maintenance_amount", dec(t.maintenance_amount)}});
    markets[m.id] = {{"kind", "linear_perpetual"},
                     {"feed", m.feed},
                     {"settlement_asset", m.settlement_asset},
                     {"tick_size", dec(m.tick_size)},
                     {"lot_size", dec(m.lot_size)},
                     {"tiers", tiers},
                     {"size_premium_factor", dec(m.size_premium_factor)},
                     {"liquidation_fee_rate", dec(m.liquidation_fee_rate)}};
  }
  f.params_json = codec::Json{{"version", 1},
                              {"margin_call_ratio", "1.25"},
                              {"liquidation_buffer_ratio", "0.02"},
                              {"assets", assets},
                              {"feeds", feeds},
                              {"markets", markets}}
                      .dump();
  codec::Json prices = codec::Json::object();
  for (const FeedPrice& p : f.prices.feeds)
    prices[p.feed] = {{"mark", dec(p.mark)}, {"stable", dec(*p.stable)}, {"volatility", dec(*p.volatility)}};
  f.prices_json = codec::Json{{"as_of", f.prices.as_of_ms}, {"feeds", prices}}.dump();
  codec::Json collateral = codec::Json::object(), positions = codec::Json::object();
  for (const CollateralBalance& b : f.account.collateral) collateral[b.asset] = dec(b.amount);
  for (const Position& p : f.account.positions)
    positions[p.market] = {{"quantity", dec(p.quantity)},
                           {"entry_price", dec(p.entry_price)},
                           {"pending_funding", dec(p.pending_funding)}};
  f.account_json = codec::Json{{"id", "bench"}, {"collateral", collateral}, {"positions", positions}}.dump();
  return f;
}

// 50 options on BTC-USD (index 60,000) over expiries of 7, 30, 90 and 180
// days, strikes 40,000 to 85,000, calls and puts, long and short (net
// short straddles, as option sellers hold them), a perpetual on the same
// feed, USDC collateral: one cross pool.
struct OptionsBook {
  RiskParameters params;
  MarketState prices;
  Account account;
};

inline OptionsBook options_book() {
  const auto r = [](i128 milli) { return Ratio::from_raw(milli * fixed_scale / 1000); };
  OptionsBook b;
  b.params.version = 1;
  b.params.margin_call_ratio = r(1250);
  b.params.liquidation_buffer_ratio = r(20);
  b.params.assets = {asset("BTC", std::string("BTC-USD"), 9000), asset("USDC", std::nullopt, 10000)};
  b.params.feeds = {FeedRisk{"BTC-USD", r(600), r(2000)}};
  Market perp;
  perp.id = "BTC-PERP";
  perp.feed = "BTC-USD";
  perp.settlement_asset = "USDC";
  perp.tick_size = Price::from_raw(fixed_scale / 10);
  perp.lot_size = Quantity::from_raw(fixed_scale / 1000);
  perp.tiers = {tier(std::nullopt, 200, 100, 0, 0)};
  perp.liquidation_fee_rate = r(5);
  b.params.markets = {perp};
  b.params.option_rules = {OptionRules{
      "BTC-USD", OptionMarginRates{r(150), r(100), r(75), r(75), r(75), r(1000), r(1200), r(1100)}, r(500),
      Price::from_raw(fixed_scale / 2)}};
  const std::int64_t as_of = 1'795'521'600'000;
  const std::int64_t day = 86'400'000;
  b.prices.as_of_ms = as_of;
  b.prices.feeds = {FeedPrice{"BTC-USD", Price::from_units(60'000), std::nullopt, std::nullopt}};
  const std::int64_t expiries[] = {7, 30, 90, 180};
  for (const std::int64_t d : expiries) {
    OptionExpiry e;
    e.feed = "BTC-USD";
    e.expiry_ms = as_of + d * day;
    e.forward = Price::from_units(60'000 + 20 * d);
    e.rate = r(40);
    const i128 tau = static_cast<i128>(d) * fixed_scale / 365;
    e.svi = SviParameters{Ratio::from_raw(tau * 38 / 100),
                          Ratio::from_raw(tau * 55 / 100),
                          r(-220),
                          r(10),
                          r(120),
                          e.forward,
                          Ratio::from_raw(tau)};
    b.prices.option_expiries.push_back(e);
  }
  std::vector<Position> positions;
  for (int i = 0; i < 50; ++i) {
    OptionMarket m;
    const std::int64_t expiry = as_of + expiries[i % 4] * day;
    const std::int64_t strike = 40'000 + 5'000 * ((i / 4) % 10);
    m.type = (i / 2) % 2 == 0 ? OptionType::call : OptionType::put;
    char id[64];
    std::snprintf(id, sizeof id, "BTC-%03dD-%lld-%c", static_cast<int>(expiries[i % 4]),
                  static_cast<long long>(strike), m.type == OptionType::call ? 'C' : 'P');
    m.id = id;
    if (b.params.find_option_market(m.id) != nullptr) m.id += "-" + std::to_string(i);
    m.feed = "BTC-USD";
    m.settlement_asset = "USDC";
    m.expiry_ms = expiry;
    m.strike = Price::from_units(strike);
    m.lot_size = Quantity::from_raw(fixed_scale / 100);
    b.params.option_markets.push_back(m);
    std::sort(b.params.option_markets.begin(), b.params.option_markets.end(),
              [](const OptionMarket& x, const OptionMarket& y) { return x.id < y.id; });
    const i128 size = i % 3 == 0 ? fixed_scale : -fixed_scale / 2;
    positions.push_back(
        Position{m.id, Quantity::from_raw(size), Price::from_units(1'000), Money::zero(), std::nullopt});
  }
  positions.push_back(Position{"BTC-PERP", Quantity::from_raw(fixed_scale / 2), Price::from_units(59'000),
                               Money::zero(), std::nullopt});
  std::sort(positions.begin(), positions.end(),
            [](const Position& x, const Position& y) { return x.market < y.market; });
  b.account.id = "options-50";
  b.account.collateral = {CollateralBalance{"BTC", Money::from_units(1)},
                          CollateralBalance{"USDC", Money::from_units(150'000)}};
  b.account.positions = positions;
  return b;
}

}  // namespace vmargin::bench
