// Property tests for the engine slice: invariants that must hold for every
// account, checked on 100,000 generated accounts each (fixed seeds).
#include <string>

#include "support/test_support.hpp"
#include "vmargin/engine.hpp"
#include "vmargin/numeric/compare.hpp"

using namespace vmargin;
using vmargin::test::CounterRng;

namespace {

constexpr std::uint64_t cases = 100'000;
const char* const market_ids[] = {"A-PERP", "B-PERP", "C-PERP", "D-PERP"};
const char* const feed_ids[] = {"A-USD", "B-USD", "C-USD", "D-USD"};

// A value in [0, range) units with `decimals` fractional digits.
i128 draw_units(const CounterRng& rng, std::uint64_t k, std::uint64_t range, int decimals) {
  i128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::uint64_t steps = range * static_cast<std::uint64_t>(scale);
  return static_cast<i128>(rng.draw(k) % steps) * (fixed_scale / scale);
}

struct Scenario {
  RiskParameters params;
  MarketState prices;
  Account account;
};

Scenario make_scenario(const CounterRng& rng, std::uint64_t i) {
  std::uint64_t k = i * 64;
  Scenario s;
  s.params.version = 1;
  s.params.settlement_asset = "USDC";
  s.params.margin_call_ratio = Ratio::from_raw(fixed_scale + draw_units(rng, k++, 1, 2));
  for (int m = 0; m < 4; ++m) {
    const Ratio mm = Ratio::from_raw(draw_units(rng, k++, 1, 3) / 4);  // [0, 0.25)
    const Ratio extra = Ratio::from_raw(draw_units(rng, k++, 1, 3) / 4);
    s.params.markets.push_back(Market{market_ids[m], MarketKind::linear_perpetual, feed_ids[m],
                                      Ratio::from_raw(mm.raw() + extra.raw()), mm});
    s.prices.feeds.push_back(FeedPrice{feed_ids[m], Price::from_raw(draw_units(rng, k++, 100000, 4) + 1)});
  }
  s.account.id = "p";
  s.account.collateral.push_back(CollateralBalance{"USDC", Money::from_raw(draw_units(rng, k++, 100000, 2))});
  for (int m = 0; m < 4; ++m) {
    if (rng.draw(k++) % 3 == 0) continue;
    i128 q = draw_units(rng, k++, 100, 3) + fixed_scale / 1000;
    if (rng.draw(k++) % 2) q = -q;
    s.account.positions.push_back(
        Position{market_ids[m], Quantity::from_raw(q), Price::from_raw(draw_units(rng, k++, 100000, 2) + 1)});
  }
  return s;
}

int severity(MarginStatus s) { return static_cast<int>(s); }  // healthy < call < liquidatable < bankrupt

}  // namespace

TEST_CASE("initial >= maintenance, per position and per pool") {
  const CounterRng rng(0x5EED'1001);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Scenario s = make_scenario(rng, i);
    const Result<AccountReport> r = evaluate(s.params, s.prices, s.account);
    REQUIRE_MESSAGE(r.ok(), "seed " << rng.seed() << " case " << i);
    bool ok = r->cross.initial_margin >= r->cross.maintenance_margin;
    for (const PositionReport& p : r->positions) ok = ok && p.initial_margin >= p.maintenance_margin;
    if (!ok) FAIL_CHECK("seed " << rng.seed() << " case " << i);
  }
}

TEST_CASE("equity, health and ratio never improve when a price moves against a position") {
  const CounterRng rng(0x5EED'1002);
  std::uint64_t moved = 0, ratio_checked = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Scenario s = make_scenario(rng, i);
    if (s.account.positions.empty()) continue;
    const Position& p = s.account.positions[rng.draw(i) % s.account.positions.size()];
    const Market* market = s.params.find_market(p.market);
    REQUIRE(market != nullptr);
    MarketState worse = s.prices;
    for (FeedPrice& f : worse.feeds) {
      if (f.feed != market->feed) continue;
      // Move by up to 20% against the position (down for a long).
      const i128 step = f.mark.raw() / 5 * static_cast<i128>(rng.draw(~i) % 1000) / 1000 + 1;
      const i128 moved_raw = p.quantity.is_positive() ? f.mark.raw() - step : f.mark.raw() + step;
      if (moved_raw <= 0) continue;
      f.mark = Price::from_raw(moved_raw);
    }
    const Result<AccountReport> before = evaluate(s.params, s.prices, s.account);
    const Result<AccountReport> after = evaluate(s.params, worse, s.account);
    REQUIRE(before.ok());
    REQUIRE(after.ok());
    ++moved;
    const PoolReport& b = before->cross;
    const PoolReport& a = after->cross;
    // Equity and health (equity - maintenance) fall; status never improves.
    bool ok = a.equity <= b.equity && a.health <= b.health && severity(a.status) >= severity(b.status);
    // The ratio equity / maintenance falls too while rate x equity <=
    // maintenance (ratio <= 1 / rate), which covers every ratio near the
    // call and liquidation levels. Above it the ratio can rise as a long's
    // price falls, because its requirement shrinks with it (docs/spec.md,
    // "Margin ratio").
    const bool ratio_region = b.margin_ratio && a.margin_ratio && b.equity.is_positive() &&
                              compare_products(market->maintenance_rate.raw(), b.equity.raw(), fixed_scale,
                                               b.maintenance_margin.raw()) <= 0;
    if (ratio_region) {
      ++ratio_checked;
      ok = ok && *a.margin_ratio <= *b.margin_ratio;
    }
    if (!ok) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": equity " << to_string(b.equity) << " -> "
                         << to_string(a.equity) << ", health " << to_string(b.health) << " -> "
                         << to_string(a.health));
    }
  }
  MESSAGE(moved << " moves, " << ratio_checked << " with the ratio condition");
  CHECK(ratio_checked > moved / 10);
  CHECK(moved > cases / 2);
}
