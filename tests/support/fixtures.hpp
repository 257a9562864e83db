// Small builders for model values in tests: a readable way to say "a linear
// market with these tiers" without spelling every field.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace vmargin::test {

/// One tier from decimal strings; cap nullptr = uncapped.
inline Tier tier(const char* cap, const char* initial_rate, const char* maintenance_rate,
                 const char* initial_amount = "0", const char* maintenance_amount = "0") {
  Tier t;
  if (cap != nullptr) t.max_notional = dec<Money>(cap);
  t.initial_rate = dec<Ratio>(initial_rate);
  t.maintenance_rate = dec<Ratio>(maintenance_rate);
  t.initial_amount = dec<Money>(initial_amount);
  t.maintenance_amount = dec<Money>(maintenance_amount);
  return t;
}

inline Market linear_market(const std::string& id, const std::string& feed, std::vector<Tier> tiers,
                            const char* tick = "0.1", const char* lot = "0.001") {
  Market m;
  m.id = id;
  m.kind = MarketKind::linear_perpetual;
  m.feed = feed;
  m.settlement_asset = "USDC";
  m.tick_size = dec<Price>(tick);
  m.lot_size = dec<Quantity>(lot);
  m.tiers = std::move(tiers);
  m.liquidation_fee_rate = Ratio::zero();
  return m;
}

inline Market inverse_market(const std::string& id, const std::string& feed, const std::string& coin,
                             const char* contract_size, std::vector<Tier> tiers, const char* tick = "0.5") {
  Market m = linear_market(id, feed, std::move(tiers), tick, "1");
  m.kind = MarketKind::inverse_perpetual;
  m.settlement_asset = coin;
  m.contract_size = dec<Money>(contract_size);
  return m;
}

inline CollateralAsset pegged_asset(const std::string& id) {
  CollateralAsset a;
  a.id = id;
  a.initial_weight = a.maintenance_weight = Ratio::one();
  a.initial_liability_weight = a.maintenance_liability_weight = Ratio::one();
  return a;
}

inline CollateralAsset priced_asset(const std::string& id, const std::string& feed,
                                    const char* initial_weight, const char* maintenance_weight,
                                    const char* initial_liability_weight,
                                    const char* maintenance_liability_weight) {
  CollateralAsset a;
  a.id = id;
  a.feed = feed;
  a.initial_weight = dec<Ratio>(initial_weight);
  a.maintenance_weight = dec<Ratio>(maintenance_weight);
  a.initial_liability_weight = dec<Ratio>(initial_liability_weight);
  a.maintenance_liability_weight = dec<Ratio>(maintenance_liability_weight);
  return a;
}

/// Parameters with USDC (pegged) and BTC (priced by BTC-USD) and the given
/// markets, sorted.
inline RiskParameters parameters(std::vector<Market> markets, const char* margin_call_ratio = "1.5") {
  RiskParameters p;
  p.version = 1;
  p.margin_call_ratio = dec<Ratio>(margin_call_ratio);
  p.liquidation_buffer_ratio = Ratio::zero();
  p.assets = {priced_asset("BTC", "BTC-USD", "0.8", "0.9", "1.25", "1.1"), pegged_asset("USDC")};
  p.markets = std::move(markets);
  std::sort(p.markets.begin(), p.markets.end(), [](const Market& a, const Market& b) { return a.id < b.id; });
  return p;
}

inline FeedPrice feed_price(const std::string& feed, const char* mark) {
  return FeedPrice{feed, dec<Price>(mark), {}, {}};
}

inline MarketState prices(std::vector<FeedPrice> feeds, std::int64_t as_of_ms = 1'700'000'000'000) {
  MarketState m;
  m.as_of_ms = as_of_ms;
  m.feeds = std::move(feeds);
  std::sort(m.feeds.begin(), m.feeds.end(),
            [](const FeedPrice& a, const FeedPrice& b) { return a.feed < b.feed; });
  return m;
}

inline Position position(const std::string& market, const char* quantity, const char* entry) {
  return Position{market, dec<Quantity>(quantity), dec<Price>(entry), Money::zero(), std::nullopt};
}

inline Account account(std::vector<CollateralBalance> collateral, std::vector<Position> positions,
                       const std::string& id = "acct") {
  Account a;
  a.id = id;
  a.collateral = std::move(collateral);
  a.positions = std::move(positions);
  std::sort(a.collateral.begin(), a.collateral.end(),
            [](const CollateralBalance& x, const CollateralBalance& y) { return x.asset < y.asset; });
  std::sort(a.positions.begin(), a.positions.end(),
            [](const Position& x, const Position& y) { return x.market < y.market; });
  return a;
}

inline CollateralBalance balance(const std::string& asset, const char* amount) {
  return CollateralBalance{asset, dec<Money>(amount)};
}

/// The report of one position by market (fails the test when absent).
inline const PositionReport& position_of(const AccountReport& r, const std::string& market) {
  for (const PositionReport& p : r.positions) {
    if (p.market == market) return p;
  }
  FAIL("no position " << market);
  return r.positions.front();
}

}  // namespace vmargin::test
