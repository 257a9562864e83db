// Property tests of the risk model: invariants that must hold for every
// account, each on 100,000 generated accounts (fixed seeds, the seed and case
// printed on failure so any case replays on any target).
#include <algorithm>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/margin/requirement.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/whatif/largest_order.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {

// 100,000 cases per property natively; sanitizer, qemu and wasm builds run a
// tenth (cmake/VmarginAddTest.cmake).
#ifdef VMARGIN_REDUCED_PROPERTY_RUNS
constexpr std::uint64_t cases = 10'000;
#else
constexpr std::uint64_t cases = 100'000;
#endif

// Draws from a counter-based stream: every value depends on (seed, case, k).
class Draw {
 public:
  Draw(const CounterRng& rng, std::uint64_t i) : rng_(rng), base_(i << 8) {}
  std::uint64_t next() { return rng_.draw(base_ + k_++); }
  i128 below(std::uint64_t n) { return static_cast<i128>(next() % n); }
  bool chance(int percent) { return next() % 100 < static_cast<std::uint64_t>(percent); }
  // A value in [0, range) with `decimals` fractional digits, as raw.
  i128 units(std::uint64_t range, int decimals) {
    i128 scale = 1;
    for (int d = 0; d < decimals; ++d) scale *= 10;
    return below(range * static_cast<std::uint64_t>(scale)) * (fixed_scale / scale);
  }

 private:
  const CounterRng& rng_;
  std::uint64_t base_;
  std::uint64_t k_ = 0;
};

// A continuous, non-decreasing tier table with 1-3 tiers; caps in `unit`s.
std::vector<Tier> random_tiers(Draw& d, i128 cap_unit) {
  const int n = 1 + static_cast<int>(d.below(3));
  std::vector<Tier> tiers;
  i128 cap = 0;
  Ratio rm = Ratio::from_raw(d.units(1, 4) / 10 + fixed_scale / 1000);  // [0.001, 0.101)
  Ratio ri = Ratio::from_raw(rm.raw() + d.units(1, 4) / 10);
  Money am, ai;
  for (int k = 0; k < n; ++k) {
    Tier t;
    if (k > 0) {
      const Ratio nrm = Ratio::from_raw(rm.raw() + d.units(1, 4) / 10);
      const Ratio nri = Ratio::from_raw(std::max(ri.raw(), nrm.raw()) + d.units(1, 4) / 20);
      am = Money::from_raw(am.raw() + cap / fixed_scale * (nrm.raw() - rm.raw()));
      ai = Money::from_raw(ai.raw() + cap / fixed_scale * (nri.raw() - ri.raw()));
      rm = nrm;
      ri = nri;
    }
    t.maintenance_rate = rm;
    t.initial_rate = ri;
    t.maintenance_amount = am;
    t.initial_amount = ai;
    if (k + 1 < n) {
      cap += (1 + d.below(50)) * cap_unit;
      t.max_notional = Money::from_raw(cap);
    }
    tiers.push_back(t);
  }
  return tiers;
}

struct Exchange {
  RiskParameters params;
  MarketState prices;
  Account account;
};

Exchange random_exchange(const CounterRng& rng, std::uint64_t i, bool with_liabilities = true) {
  Draw d(rng, i);
  Exchange x;
  RiskParameters& p = x.params;
  p.version = 1;
  p.margin_call_ratio = Ratio::from_raw(fixed_scale + d.units(1, 2));
  p.liquidation_buffer_ratio = Ratio::from_raw(d.units(1, 3) / 10);
  CollateralAsset btc = priced_asset("BTC", "BTC-USD", "0.8", "0.9", "1.25", "1.1");
  btc.size_factor = d.chance(50) ? Ratio::from_raw(d.units(1, 4) / 100) : Ratio::zero();
  btc.volatility_haircut = Ratio::from_raw(d.units(1, 2) / 10);
  CollateralAsset eth = priced_asset("ETH", "ETH-USD", "0.7", "0.85", "1.3", "1.15");
  p.assets = {btc, eth, pegged_asset("USDC")};
  if (d.chance(50)) p.feeds.push_back(FeedRisk{"BTC-USD", Ratio::from_raw(fixed_scale / 2), dec<Ratio>("2")});

  Market bp = linear_market("BTC-PERP", "BTC-USD", random_tiers(d, 10000 * fixed_scale), "0.1", "0.001");
  bp.size_premium_factor = d.chance(50) ? Ratio::from_raw(d.units(1, 4) / 10) : Ratio::zero();
  bp.liquidation_fee_rate = Ratio::from_raw(bp.tiers[0].maintenance_rate.raw() / 2);
  Market ep = linear_market("ETH-PERP", "ETH-USD", random_tiers(d, 1000 * fixed_scale), "0.01", "0.01");
  ep.liquidation_fee_rate = Ratio::from_raw(ep.tiers[0].maintenance_rate.raw() / 4);
  Market bi = inverse_market("BTC-INV", "BTC-USD", "BTC", "100", random_tiers(d, fixed_scale), "0.5");
  bi.liquidation_fee_rate = Ratio::from_raw(bi.tiers[0].maintenance_rate.raw() / 3);
  p.markets = {bi, bp, ep};

  const i128 btc_mark = d.units(90000, 1) + 10000 * fixed_scale;
  const i128 eth_mark = d.units(4500, 2) + 500 * fixed_scale;
  FeedPrice bf{"BTC-USD", Price::from_raw(btc_mark), {}, {}};
  if (d.chance(50)) bf.stable = Price::from_raw(btc_mark + (d.below(2001) - 1000) * btc_mark / 100000);
  if (d.chance(50)) bf.volatility = Ratio::from_raw(d.units(1, 3) * 2);
  FeedPrice ef{"ETH-USD", Price::from_raw(eth_mark), {}, {}};
  if (d.chance(50)) ef.stable = Price::from_raw(eth_mark + (d.below(2001) - 1000) * eth_mark / 100000);
  x.prices.as_of_ms = 1'700'000'000'000;
  x.prices.feeds = {bf, ef};

  Account& a = x.account;
  a.id = "p";
  a.collateral.push_back(CollateralBalance{"USDC", Money::from_raw(d.units(50000, 2))});
  if (d.chance(60)) {
    i128 b = d.units(5, 3);
    if (with_liabilities && d.chance(30)) b = -b;
    if (b != 0) a.collateral.push_back(CollateralBalance{"BTC", Money::from_raw(b)});
  }
  if (d.chance(40)) {
    i128 b = d.units(50, 2);
    if (with_liabilities && d.chance(30)) b = -b;
    if (b != 0) a.collateral.push_back(CollateralBalance{"ETH", Money::from_raw(b)});
  }
  std::sort(a.collateral.begin(), a.collateral.end(),
            [](const CollateralBalance& l, const CollateralBalance& r) { return l.asset < r.asset; });
  const auto entry_near = [&](i128 mark) {
    return Price::from_raw(mark + (d.below(401) - 200) * mark / 1000);
  };
  if (d.chance(60)) {
    Position pos{"BTC-INV", Quantity::from_units(static_cast<std::int64_t>(1 + d.below(2000))),
                 entry_near(btc_mark), Money::zero(), std::nullopt};
    if (d.chance(50)) pos.quantity = -pos.quantity;
    if (d.chance(30)) pos.isolated_margin = Money::from_raw(d.units(2, 3));
    a.positions.push_back(pos);
  }
  if (d.chance(80)) {
    Position pos{"BTC-PERP", Quantity::from_raw(d.units(5, 3) + fixed_scale / 1000), entry_near(btc_mark),
                 Money::from_raw(d.units(20, 2) - 10 * fixed_scale), std::nullopt};
    if (d.chance(50)) pos.quantity = -pos.quantity;
    if (d.chance(20)) pos.isolated_margin = Money::from_raw(d.units(20000, 2));
    a.positions.push_back(pos);
  }
  if (d.chance(60)) {
    Position pos{"ETH-PERP", Quantity::from_raw(d.units(50, 2) + fixed_scale / 100), entry_near(eth_mark),
                 Money::zero(), std::nullopt};
    if (d.chance(50)) pos.quantity = -pos.quantity;
    a.positions.push_back(pos);
  }
  // Profit weights (§5.10), drawn last so the draws above stay as they were:
  // a kink in equity at each weighted position's zero PnL.
  for (Market& m : p.markets) {
    if (!d.chance(30)) continue;
    const i128 maintenance = d.units(1, 4) + (d.chance(10) ? fixed_scale / 10'000 : 0);  // [0, 1]
    m.maintenance_profit_weight = Ratio::from_raw(maintenance);
    m.initial_profit_weight = Ratio::from_raw(maintenance - maintenance * d.below(101) / 100);
  }
  return x;
}

const PoolReport& pool_of(const AccountReport& r, const PositionReport& p) {
  if (!p.isolated) return r.cross;
  for (const IsolatedPoolReport& i : r.isolated) {
    if (i.market == p.market) return i.pool;
  }
  return r.cross;
}

MarketState with_mark(const MarketState& m, const std::string& feed, Price mark) {
  MarketState out = m;
  for (FeedPrice& f : out.feeds) {
    if (f.feed == feed) f.mark = mark;
  }
  return out;
}

std::string feed_of(const RiskParameters& p, const std::string& market) {
  return p.find_market(market)->feed;
}

int severity(MarginStatus s) { return static_cast<int>(s); }

}  // namespace

TEST_CASE("initial >= maintenance, per position and per pool") {
  const CounterRng rng(0x5EED'1001);
  std::uint64_t evaluated = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Exchange x = random_exchange(rng, i);
    EvaluationOptions o;
    o.liquidation_prices = false;
    const Result<AccountReport> r = evaluate(x.params, x.prices, x.account, o);
    if (!r.ok()) FAIL_CHECK("seed " << rng.seed() << " case " << i << ": " << r.error().to_string());
    if (!r.ok()) continue;
    ++evaluated;
    bool ok = r->cross.initial_margin >= r->cross.maintenance_margin;
    for (const PositionReport& p : r->positions) ok = ok && p.initial_margin >= p.maintenance_margin;
    for (const IsolatedPoolReport& p : r->isolated)
      ok = ok && p.pool.initial_margin >= p.pool.maintenance_margin;
    if (!ok) FAIL_CHECK("seed " << rng.seed() << " case " << i);
  }
  CHECK(evaluated == cases);
}

TEST_CASE("open orders raise only the initial margin, by the open_orders_margin each pool reports") {
  const CounterRng rng(0x5EED'1017);
  std::uint64_t with_orders = 0;
  for (std::uint64_t i = 0; i < cases / 10; ++i) {
    const Exchange x = random_exchange(rng, i);
    Draw d(rng, i + (std::uint64_t{1} << 40));
    Account ordered = x.account;
    for (const Market& m : x.params.markets) {
      const Price mark = x.prices.find(m.feed)->mark;
      for (int k = static_cast<int>(d.below(3)); k > 0; --k) {
        // Limits from 0.8x to 1.2x the mark, sizes up to 20 lots.
        const i128 limit = mark.raw() / 10 * (8 + d.below(5));
        ordered.open_orders.push_back(OpenOrder{m.id, d.chance(50),
                                                Quantity::from_raw(m.lot_size.raw() * (1 + d.below(20))),
                                                Price::from_raw(std::max<i128>(limit, 1)), d.chance(20)});
      }
    }
    if (ordered.open_orders.empty()) continue;
    EvaluationOptions o;
    o.liquidation_prices = i % 10 == 0;
    const Result<AccountReport> before = evaluate(x.params, x.prices, x.account, o);
    const Result<AccountReport> after = evaluate(x.params, x.prices, ordered, o);
    if (!before.ok() || !after.ok()) {
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": "
                         << (before.ok() ? after.error().to_string() : before.error().to_string()));
      continue;
    }
    ++with_orders;
    const auto same_but_initial = [](const PoolFigures& a, const PoolFigures& b) {
      return b.open_orders_margin && !b.open_orders_margin->is_negative() && !a.open_orders_margin &&
             b.initial_margin.raw() == a.initial_margin.raw() + b.open_orders_margin->raw() &&
             a.maintenance_margin == b.maintenance_margin && a.equity == b.equity && a.status == b.status &&
             a.initial_equity == b.initial_equity;
    };
    bool ok =
        same_but_initial(before->cross, after->cross) && before->isolated.size() == after->isolated.size();
    for (std::size_t k = 0; ok && k < before->isolated.size(); ++k)
      ok = same_but_initial(before->isolated[k].pool, after->isolated[k].pool);
    for (std::size_t k = 0; ok && k < before->positions.size(); ++k) {
      ok = before->positions[k].liquidation_price == after->positions[k].liquidation_price &&
           before->positions[k].initial_margin == after->positions[k].initial_margin;
    }
    if (!ok) FAIL_CHECK("seed " << rng.seed() << " case " << i);
  }
  CHECK(with_orders > cases / 20);
}

TEST_CASE("equity, health and status never improve when a price moves against one-sided exposure") {
  // Exposure to the moved feed on one side only: positions of one sign and
  // no liability in the coin the feed prices (a liability hedges).
  const CounterRng rng(0x5EED'1002);
  std::uint64_t moved = 0;
  // Accounts without one-sided exposure to the drawn feed are skipped: draw
  // until `cases` moves are checked.
  for (std::uint64_t i = 0; moved < cases && i < 4 * cases; ++i) {
    Exchange x = random_exchange(rng, i, false);
    Draw d(rng, i + (1ull << 40));
    const std::string feed = d.chance(50) ? "BTC-USD" : "ETH-USD";
    int sign = 0;
    bool one_sided = true;
    // A profit weighted below the requirement's rate shrinks in equity
    // slower than the requirement falls (§6.1): only equity is monotone then.
    bool weighted = false;
    for (const Position& p : x.account.positions) {
      if (feed_of(x.params, p.market) != feed) continue;
      weighted = weighted || x.params.find_market(p.market)->maintenance_profit_weight.has_value();
      const int s = p.quantity.is_positive() ? 1 : -1;
      if (sign != 0 && s != sign) one_sided = false;
      sign = s;
    }
    if (!one_sided || sign == 0) continue;
    // A long-side pool with coin collateral is still one-sided; a short one is not.
    // Short exposure is hedged by coins the feed prices: drop coin
    // collateral and isolated inverse margins (coins) for it.
    if (sign < 0) {
      std::erase_if(x.account.collateral,
                    [&](const CollateralBalance& b) { return x.params.find_asset(b.asset)->feed == feed; });
      for (Position& p : x.account.positions) {
        if (is_inverse(x.params.find_market(p.market)->kind)) p.isolated_margin.reset();
      }
    }
    const Price mark = x.prices.find(feed)->mark;
    const i128 step = mark.raw() / 5 * (1 + d.below(1000)) / 1000;
    const Price worse = Price::from_raw(sign > 0 ? mark.raw() - step : mark.raw() + step);
    EvaluationOptions o;
    o.liquidation_prices = false;
    o.liquidation_plans = false;
    const Result<AccountReport> before = evaluate(x.params, x.prices, x.account, o);
    const Result<AccountReport> after = evaluate(x.params, with_mark(x.prices, feed, worse), x.account, o);
    REQUIRE(before.ok());
    REQUIRE(after.ok());
    ++moved;
    const auto check_pool = [&](const PoolReport& b, const PoolReport& a) {
      if (weighted) return a.equity <= b.equity;
      return a.equity <= b.equity && a.health <= b.health && severity(a.status) >= severity(b.status);
    };
    bool ok = check_pool(before->cross, after->cross);
    for (std::size_t k = 0; k < before->isolated.size(); ++k)
      ok = ok && check_pool(before->isolated[k].pool, after->isolated[k].pool);
    if (!ok) FAIL_CHECK("seed " << rng.seed() << " case " << i << " feed " << feed);
  }
  MESSAGE(moved << " one-sided moves");
  CHECK(moved == cases);
}

TEST_CASE("requirements are continuous across tier edges and never fall as the size grows") {
  const CounterRng rng(0x5EED'1003);
  std::uint64_t edges = 0;
  // At least `cases` markets (size monotonicity) and `cases` tier edges.
  for (std::uint64_t i = 0; i < cases || edges < cases; ++i) {
    Draw d(rng, i);
    Market m = linear_market("M", "F", random_tiers(d, 1000 * fixed_scale));
    if (d.chance(50)) m.size_premium_factor = Ratio::from_raw(d.units(1, 4) / 10);
    const Ratio multiplier = Ratio::from_raw(fixed_scale + d.units(1, 2));
    const Price price = Price::from_raw(d.units(1000, 2) + fixed_scale);
    // Continuity at every cap: one unit of notional more moves the
    // requirement by at most one unit (up to the multiplier's rounding).
    for (const Tier& t : m.tiers) {
      if (!t.max_notional) continue;
      ++edges;
      const Money at = *t.max_notional;
      const Money above = Money::from_raw(at.raw() + 1);
      const auto maintenance = [&](Money notional) {
        const Exposure e = linear_exposure(Bounded<Money>::exact(notional));
        return ok_value(margin_requirement(m, e, requirement_tier(m, e), std::nullopt, multiplier,
                                           MarginKind::maintenance))
            .amount.value;
      };
      const Money mm_at = maintenance(at);
      const Money mm_above = maintenance(above);
      const i128 jump = mm_above.raw() - mm_at.raw();
      if (jump < 0 || jump > 3)
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": jump " << static_cast<long long>(jump));
    }
    // Monotone in size at a fixed price, premium included.
    const Quantity q1 = Quantity::from_raw(d.units(1000, 3));
    const Quantity q2 = Quantity::from_raw(q1.raw() + d.units(1000, 3));
    const auto requirement_of = [&](Quantity q) {
      Position p{"M", q.is_zero() ? Quantity::epsilon() : q, price, Money::zero(), std::nullopt};
      const PositionConstants c = ok_value(position_constants(m, p, multiplier));
      return ok_value(value_position(m, p, c, price));
    };
    const PositionValue v1 = requirement_of(q1), v2 = requirement_of(q2);
    if (v1.requirement.maintenance.value > v2.requirement.maintenance.value ||
        v1.requirement.initial > v2.requirement.initial)
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": requirement fell with size");
  }
  MESSAGE(edges << " tier edges checked");
  CHECK(edges >= cases);
}

namespace {

// Checks every liquidation and bankruptcy price of one account against full
// re-evaluations: safe at the price, unsafe one grid price beyond it, safe at
// a random grid price between it and the mark. Counts the prices checked.
struct BoundaryCounts {
  std::uint64_t liquidation = 0;
  std::uint64_t bankruptcy = 0;
};

void check_boundaries(const Exchange& x, const AccountReport& r, Draw& d, const std::string& where,
                      BoundaryCounts& counts) {
  for (const PositionReport& p : r.positions) {
    if (!p.liquidation_price && !p.bankruptcy_price) continue;
    const std::string feed = feed_of(x.params, p.market);
    const Price tick = x.params.find_market(p.market)->tick_size;
    const auto pool_at = [&](Price price) -> std::optional<PoolReport> {
      EvaluationOptions o;
      o.liquidation_prices = false;
      o.liquidation_plans = false;
      const Result<AccountReport> at = evaluate(x.params, with_mark(x.prices, feed, price), x.account, o);
      if (!at.ok()) return std::nullopt;
      return pool_of(*at, position_of(*at, p.market));
    };
    const auto check = [&](Price boundary, bool bankruptcy) {
      const bool below = boundary <= p.mark_price;
      // The grid price one step beyond: the next multiple of the tick.
      const i128 k = boundary.raw() / tick.raw();
      const bool on_grid = boundary.raw() % tick.raw() == 0;
      const i128 beyond_k = below ? (on_grid ? k - 1 : k) : k + 1;
      const auto unsafe = [&](const PoolReport& pool) {
        return bankruptcy ? is_bankrupt(pool.equity, pool.maintenance_margin)
                          : pool.equity < pool.maintenance_margin;
      };
      const std::optional<PoolReport> at = pool_at(boundary);
      const std::optional<PoolReport> past = pool_at(Price::from_raw(beyond_k * tick.raw()));
      bool ok = at && !unsafe(*at) && past && unsafe(*past);
      if (boundary == p.mark_price && at && !unsafe(*at) && !ok) {
        // The mark itself: the unsafe grid price may be the one above it.
        const std::optional<PoolReport> above = pool_at(Price::from_raw((k + 1) * tick.raw()));
        ok = above && unsafe(*above);
      }
      // A random grid price between the boundary and the mark is safe.
      const i128 lo = std::min(boundary.raw(), p.mark_price.raw()) / tick.raw() + 1;
      const i128 hi = (std::max(boundary.raw(), p.mark_price.raw()) - 1) / tick.raw();
      if (hi >= lo) {
        const i128 pick =
            lo + d.below(static_cast<std::uint64_t>(std::min<i128>(hi - lo + 1, i128{1} << 62)));
        const std::optional<PoolReport> mid = pool_at(Price::from_raw(pick * tick.raw()));
        ok = ok && mid && !unsafe(*mid);
      }
      if (!ok) {
        const std::string what = bankruptcy ? " bankruptcy " : " liquidation ";
        FAIL_CHECK(where << " " << p.market << what << to_string(boundary) << " mark "
                         << to_string(p.mark_price) << " at-safe " << (at && !unsafe(*at)) << " past-unsafe "
                         << (past && unsafe(*past)) << " beyond "
                         << to_string(Price::from_raw(beyond_k * tick.raw())));
      }
    };
    if (p.liquidation_price) {
      check(*p.liquidation_price, false);
      ++counts.liquidation;
    }
    if (p.bankruptcy_price) {
      check(*p.bankruptcy_price, true);
      ++counts.bankruptcy;
    }
  }
}

std::string case_name(const CounterRng& rng, std::uint64_t i) {
  return "seed " + std::to_string(rng.seed()) + " case " + std::to_string(i);
}

}  // namespace

TEST_CASE("liquidation prices: safe at the price, unsafe one tick beyond, safe in between") {
  const CounterRng rng(0x5EED'1004);
  BoundaryCounts counts;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Exchange x = random_exchange(rng, i);
    const Result<AccountReport> r = evaluate(x.params, x.prices, x.account);
    if (!r.ok()) FAIL_CHECK(case_name(rng, i) << ": " << r.error().to_string());
    if (!r.ok()) continue;
    Draw d(rng, i + (1ull << 41));
    check_boundaries(x, *r, d, case_name(rng, i), counts);
  }
  MESSAGE(counts.liquidation << " liquidation prices and " << counts.bankruptcy
                             << " bankruptcy prices checked");
  CHECK(counts.liquidation > cases / 2);
}

// Issue 18, defect 5: on the finest tick the parameters accept (10^-12),
// every account gets its report (no liquidation_price_unresolved, no
// overflow) and its prices pass the same checks, with marks from cents to
// millions (positions and coin balances scaled inversely, so the sizes stay
// realistic for each price).
TEST_CASE("liquidation prices on the finest supported tick, at marks from 0.01 to 10,000,000") {
  const CounterRng rng(0x5EED'1009);
  struct Scale {
    i128 num, den;  // marks x num / den
  };
  BoundaryCounts counts;
  for (const Scale sc : {Scale{1, 1'000'000}, Scale{1, 1'000}, Scale{1, 1}, Scale{100, 1}}) {
    const auto scale_price = [&](Price p) { return Price::from_raw(p.raw() * sc.num / sc.den); };
    for (std::uint64_t i = 0; i < cases / 20; ++i) {
      Exchange x = random_exchange(rng, i);
      for (Market& m : x.params.markets) m.tick_size = minimum_tick_size;
      for (FeedPrice& f : x.prices.feeds) {
        f.mark = scale_price(f.mark);
        if (f.stable) f.stable = scale_price(*f.stable);
      }
      for (Position& q : x.account.positions) {
        q.entry_price = scale_price(q.entry_price);
        if (!is_inverse(x.params.find_market(q.market)->kind))
          q.quantity = Quantity::from_raw(q.quantity.raw() * sc.den / sc.num);
      }
      for (CollateralBalance& c : x.account.collateral) {
        if (c.asset != "USDC") c.amount = Money::from_raw(c.amount.raw() * sc.den / sc.num);
      }
      const std::string where = case_name(rng, i) + " scale " +
                                std::to_string(static_cast<long long>(sc.num)) + "/" +
                                std::to_string(static_cast<long long>(sc.den));
      const Result<AccountReport> r = evaluate(x.params, x.prices, x.account);
      if (!r.ok()) FAIL_CHECK(where << ": " << r.error().to_string());
      if (!r.ok()) continue;
      Draw d(rng, i + (1ull << 45));
      check_boundaries(x, *r, d, where, counts);
    }
  }
  MESSAGE(counts.liquidation << " liquidation prices and " << counts.bankruptcy
                             << " bankruptcy prices checked");
  CHECK(counts.liquidation > cases / 10);
}

// Issue 18, defect 6: near the edge of the representable range (collateral
// up to 5 x 10^19, marks 10^16-10^17, ticks and marks scaled by 10^12) a
// reported price must be one at which eval itself can value the account,
// with the grid price beyond it valued and unsafe (check_boundaries
// re-evaluates in full); sides beyond the range have no price.
TEST_CASE("liquidation prices near the edge of the range are prices eval can value") {
  const CounterRng rng(0x5EED'100A);
  const i128 scale = 1'000'000'000'000;
  BoundaryCounts counts;
  std::uint64_t valued = 0;
  for (std::uint64_t i = 0; i < cases / 10; ++i) {
    Exchange x = random_exchange(rng, i);
    for (Market& m : x.params.markets) m.tick_size = Price::from_raw(m.tick_size.raw() * scale);
    for (FeedPrice& f : x.prices.feeds) {
      f.mark = Price::from_raw(f.mark.raw() * scale);
      if (f.stable) f.stable = Price::from_raw(f.stable->raw() * scale);
    }
    for (Position& q : x.account.positions) q.entry_price = Price::from_raw(q.entry_price.raw() * scale);
    for (CollateralBalance& c : x.account.collateral) {
      if (c.asset == "USDC") c.amount = Money::from_raw(c.amount.raw() * 1000);
    }
    const Result<AccountReport> r = evaluate(x.params, x.prices, x.account);
    if (!r.ok()) {
      // Only the figures at the current prices may not fit; never a failed search.
      if (r.error().code() != ErrorCode::overflow)
        FAIL_CHECK(case_name(rng, i) << ": " << r.error().to_string());
      continue;
    }
    ++valued;
    Draw d(rng, i + (1ull << 46));
    check_boundaries(x, *r, d, case_name(rng, i), counts);
  }
  MESSAGE(valued << " accounts valued; " << counts.liquidation << " liquidation prices and "
                 << counts.bankruptcy << " bankruptcy prices checked");
  CHECK(valued > cases / 20);
  CHECK(counts.liquidation > cases / 40);
}

TEST_CASE("partial-liquidation plans are minimal: one lot less does not restore the target") {
  const CounterRng rng(0x5EED'1005);
  std::uint64_t plans = 0, minimal_checked = 0;
  // Until `cases` plans have been checked (most generated accounts are healthy).
  for (std::uint64_t i = 0; minimal_checked < cases && i < 50 * cases; ++i) {
    Exchange x = random_exchange(rng, i);
    // Push the account towards liquidation: drain its USDC.
    for (CollateralBalance& b : x.account.collateral) {
      if (b.asset == "USDC") b.amount = Money::from_raw(b.amount.raw() / 200);
    }
    const Result<AccountReport> r = evaluate(x.params, x.prices, x.account);
    REQUIRE(r.ok());
    if (!r->cross.liquidation_plan) continue;
    ++plans;
    const LiquidationPlan& plan = *r->cross.liquidation_plan;
    if (!plan.restores || plan.steps.empty()) continue;
    const LiquidationStep& last = plan.steps.back();
    const Market& m = *x.params.find_market(last.market);
    if (last.reduce_by.raw() <= m.lot_size.raw()) continue;  // one lot: nothing smaller to try
    // Recompute the pool after all steps but with one lot less on the last.
    Account smaller = x.account;
    Money fees;
    for (const LiquidationStep& s : plan.steps) {
      Quantity by = s.reduce_by;
      if (&s == &last) by = Quantity::from_raw(by.raw() - m.lot_size.raw());
      const Market& sm = *x.params.find_market(s.market);
      const Price mark = x.prices.find(sm.feed)->mark;
      const Money fee =
          is_inverse(sm.kind)
              ? ok_value(
                    mul(ok_value(mul(by, sm.contract_size, Round::up)), sm.liquidation_fee_rate, Round::up))
              : ok_value(mul(ok_value(mul(by, mark, Round::up)), sm.liquidation_fee_rate, Round::up));
      fees = ok_value(add(fees, fee));
      for (Position& p : smaller.positions) {
        if (p.market != s.market) continue;
        p.quantity = p.quantity.is_negative() ? Quantity::from_raw(p.quantity.raw() + by.raw())
                                              : Quantity::from_raw(p.quantity.raw() - by.raw());
      }
    }
    std::erase_if(smaller.positions, [](const Position& p) { return p.quantity.is_zero(); });
    EvaluationOptions o;
    o.liquidation_prices = false;
    o.liquidation_plans = false;
    const AccountReport after = ok_value(evaluate(x.params, x.prices, smaller, o));
    const Money equity_after = ok_value(sub(r->cross.equity, fees));
    const Ratio one_plus_buffer = ok_value(add(Ratio::one(), x.params.liquidation_buffer_ratio));
    const bool restored = compare_products(equity_after.raw(), fixed_scale,
                                           after.cross.maintenance_margin.raw(), one_plus_buffer.raw()) >= 0;
    ++minimal_checked;
    if (restored)
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": one lot less of " << last.market
                         << " also restores");
  }
  MESSAGE(plans << " plans, " << minimal_checked << " checked for minimality");
  CHECK(minimal_checked == cases);
}

namespace {

// The pool an order in `market` lands in, from an evaluation: the market's
// isolated pool, or the cross pool.
const PoolReport& landing_pool(const AccountReport& r, const std::string& market) {
  for (const IsolatedPoolReport& i : r.isolated) {
    if (i.market == market) return i.pool;
  }
  return r.cross;
}

// The account after one order, evaluated the way `vmargin eval --scenario`
// does it (apply the scenario, then evaluate), without liquidation prices.
Result<AccountReport> evaluate_with_order(const Exchange& x, const std::string& market, Quantity quantity,
                                          std::optional<Price> price) {
  Scenario s;
  s.orders = {Order{market, quantity, price}};
  VMARGIN_TRY(const ScenarioInputs in, apply_scenario(x.params, x.prices, x.account, s));
  EvaluationOptions o;
  o.liquidation_prices = false;
  o.liquidation_plans = false;
  return evaluate(x.params, in.prices, in.account, o);
}

bool meets_initial(const PoolReport& p) { return p.initial_equity >= p.initial_margin; }

}  // namespace

TEST_CASE("the largest order passes eval's initial requirement and one lot more does not") {
  const CounterRng rng(0x5EED'1008);
  const char* const markets[] = {"BTC-PERP", "ETH-PERP", "BTC-INV"};
  std::uint64_t answered = 0, nonzero = 0, unvalued = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Exchange x = random_exchange(rng, i);
    Draw d(rng, i + (std::uint64_t{1} << 44));
    const std::string market = markets[d.below(3)];
    const OrderSide side = d.chance(50) ? OrderSide::buy : OrderSide::sell;
    const Market& m = *x.params.find_market(market);
    const Price mark = x.prices.find(m.feed)->mark;
    // The mark, or a limit price within 5% of it.
    const std::optional<Price> fill =
        d.chance(30) ? std::optional<Price>(Price::from_raw(mark.raw() / 1000 * (950 + d.below(101))))
                     : std::nullopt;
    const OrderQuery q{market, side, fill};
    const Result<LargestOrder> r = largest_order(x.params, x.prices, x.account, {}, q);
    Quantity existing;
    for (const Position& p : x.account.positions) {
      if (p.market == q.market) existing = p.quantity;
    }
    const i128 sign = q.side == OrderSide::buy ? 1 : -1;
    const bool opposite = !existing.is_zero() && existing.is_positive() != (sign > 0);
    const i128 reducing_lots = opposite ? existing.abs().raw() / m.lot_size.raw() : 0;
    if (!r.ok()) {
      // Only the reducing part, which passes by rule, may be an order that
      // cannot be valued; then eval rejects that order too.
      ++unvalued;
      const bool at_query = r.error().path() == "/query" && reducing_lots > 0;
      if (!at_query ||
          evaluate_with_order(x, q.market, Quantity::from_raw(sign * reducing_lots * m.lot_size.raw()), fill)
              .ok())
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": " << r.error().to_string());
      continue;
    }
    ++answered;
    const LargestOrder& o = *r;
    const i128 lots = o.quantity.raw() / m.lot_size.raw() * sign;
    if (lots < 0 || lots * m.lot_size.raw() * sign != o.quantity.raw() || lots < reducing_lots)
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": quantity " << to_string(o.quantity));
    if (lots > 0) {
      ++nonzero;
      const Result<AccountReport> after = evaluate_with_order(x, q.market, o.quantity, fill);
      if (!after.ok()) {
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": eval rejects the order "
                           << to_string(o.quantity) << ": " << after.error().to_string());
        continue;
      }
      const PoolReport& pool = landing_pool(*after, q.market);
      if (!(lots <= reducing_lots || meets_initial(pool)) || pool.equity != o.pool_after.equity ||
          pool.initial_margin != o.pool_after.initial_margin)
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": the order " << to_string(o.quantity)
                           << " does not pass as eval sees it");
    }
    // One lot more: beyond the representable range (the cap), or it fails.
    i128 more = 0;
    if (__builtin_add_overflow(o.quantity.raw(), sign * m.lot_size.raw(), &more) || !is_fixed_raw(more))
      continue;
    const Result<AccountReport> beyond = evaluate_with_order(x, q.market, Quantity::from_raw(more), fill);
    if (beyond.ok() && meets_initial(landing_pool(*beyond, q.market)))
      FAIL_CHECK("seed " << rng.seed() << " case " << i << ": one lot more than " << to_string(o.quantity)
                         << " of " << q.market << " also passes");
  }
  MESSAGE(answered << " answers (" << nonzero << " non-zero), " << unvalued << " unvalued reductions");
  CHECK(nonzero > cases / 2);
  CHECK(unvalued > 0);
}

TEST_CASE("results do not depend on the order of positions and collateral in the input") {
  const CounterRng rng(0x5EED'1006);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Exchange x = random_exchange(rng, i);
    Draw d(rng, i + (1ull << 42));
    // The account as JSON text twice: members in sorted and in shuffled order.
    std::vector<std::string> positions, collateral;
    for (const Position& p : x.account.positions) {
      std::string s = "\"" + p.market + "\": {\"quantity\": \"" + to_string(p.quantity) +
                      "\", \"entry_price\": \"" + to_string(p.entry_price) + "\", \"pending_funding\": \"" +
                      to_string(p.pending_funding) + "\"";
      if (p.isolated_margin) s += ", \"isolated_margin\": \"" + to_string(*p.isolated_margin) + "\"";
      positions.push_back(s + "}");
    }
    for (const CollateralBalance& b : x.account.collateral)
      collateral.push_back("\"" + b.asset + "\": \"" + to_string(b.amount) + "\"");
    const auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
      return out;
    };
    const std::string sorted = "{\"id\": \"p\", \"collateral\": {" + join(collateral) +
                               "}, \"positions\": {" + join(positions) + "}}";
    for (std::size_t k = positions.size(); k > 1; --k)
      std::swap(positions[k - 1], positions[static_cast<std::size_t>(d.below(k))]);
    for (std::size_t k = collateral.size(); k > 1; --k)
      std::swap(collateral[k - 1], collateral[static_cast<std::size_t>(d.below(k))]);
    const std::string shuffled = "{\"positions\": {" + join(positions) +
                                 "}, \"id\": \"p\", \"collateral\": {" + join(collateral) + "}}";
    const Result<AccountReport> a = evaluate(
        x.params, x.prices, ok_value(codec::decode_account(ok_value(codec::parse_strict_json(sorted)))));
    const Result<AccountReport> b = evaluate(
        x.params, x.prices, ok_value(codec::decode_account(ok_value(codec::parse_strict_json(shuffled)))));
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    const std::string ja = codec::canonical_dump(codec::encode_report(*a, x.params));
    const std::string jb = codec::canonical_dump(codec::encode_report(*b, x.params));
    if (ja != jb) FAIL_CHECK("seed " << rng.seed() << " case " << i << ": reports differ");
  }
}

namespace {

// The interval in which an exact value lies, computed independently of the
// engine's formulas by rounding every step outward (down for the low end,
// up for the high end): every step is monotone in its inputs (sums,
// products with non-negative rates, weights and multipliers, the maximum).
struct Interval {
  Money lo, hi;
};

Interval mul_interval(Money lo, Money hi, Ratio c) {
  return {ok_value(mul(lo, c, Round::down)), ok_value(mul(hi, c, Round::up))};
}

// The maintenance requirement of a position at `mark`, exactly, as an interval.
Interval exact_maintenance(const Market& m, const Position& p, const PositionConstants& c, Price mark) {
  Interval tiered, premium{Money::min(), Money::min()};
  if (is_inverse(m.kind)) {
    const Exposure e = inverse_exposure(c.face.abs(), mark);
    const Tier& t = m.tiers[requirement_tier(m, e)];
    tiered = {ok_value(face_rate_less_coins_value(c.face.abs(), t.maintenance_rate, t.maintenance_amount,
                                                  mark, Round::down)),
              ok_value(face_rate_less_coins_value(c.face.abs(), t.maintenance_rate, t.maintenance_amount,
                                                  mark, Round::up))};
    if (c.premium) premium = mul_interval(c.face.abs(), c.face.abs(), c.premium->maintenance_rate);
  } else {
    const Money n_lo = ok_value(mul(p.quantity.abs(), mark, Round::down));
    const Money n_hi = ok_value(mul(p.quantity.abs(), mark, Round::up));
    // The exact notional may sit in the tier below the rounded one's: take
    // both tiers' values (the requirement is continuous, so the interval
    // still holds the exact value).
    const Tier& t = m.tiers[requirement_tier(m, linear_exposure(Bounded<Money>::exact(n_hi)))];
    const Tier& t_lo = m.tiers[requirement_tier(m, linear_exposure(Bounded<Money>::exact(n_lo)))];
    const Interval a = mul_interval(n_lo, n_hi, t.maintenance_rate);
    const Interval b = mul_interval(n_lo, n_hi, t_lo.maintenance_rate);
    tiered = {
        std::min(ok_value(sub(a.lo, t.maintenance_amount)), ok_value(sub(b.lo, t_lo.maintenance_amount))),
        std::max(ok_value(sub(a.hi, t.maintenance_amount)), ok_value(sub(b.hi, t_lo.maintenance_amount)))};
    if (c.premium) premium = mul_interval(n_lo, n_hi, c.premium->maintenance_rate);
  }
  const Interval best{std::max(tiered.lo, premium.lo), std::max(tiered.hi, premium.hi)};
  return mul_interval(best.lo, best.hi, c.volatility_multiplier);
}

Interval exact_pnl(const Market& m, const Position& p, const PositionConstants& c, Price mark) {
  const PriceMove move = ok_value(price_move(mark, p.entry_price));
  if (!is_inverse(m.kind)) {
    return {ok_value(add(ok_value(mul(p.quantity, move, Round::down)), p.pending_funding)),
            ok_value(add(ok_value(mul(p.quantity, move, Round::up)), p.pending_funding))};
  }
  const auto part = [&](Round r) {
    return ok_value(add(ok_value(mul_div_to<Money>(c.face, move, p.entry_price, r)),
                        ok_value(coins_to_value(p.pending_funding, mark, r))));
  };
  return {part(Round::down), part(Round::up)};
}

// The exact PnL equity counts (§5.10): a profit x the maintenance profit
// weight, a loss in full; monotone, so the ends of the PnL's interval map to
// the ends of this one.
Interval exact_equity_pnl(const Market& m, const Interval& pnl) {
  if (!m.maintenance_profit_weight) return pnl;
  const auto counted = [&m](Money u, Round r) {
    return u.is_positive() ? ok_value(mul(u, *m.maintenance_profit_weight, r)) : u;
  };
  return {counted(pnl.lo, Round::down), counted(pnl.hi, Round::up)};
}

void check_within(const Bounded<Money>& computed, const Interval& exact, const char* what, std::uint64_t seed,
                  std::uint64_t i) {
  const i128 off = std::max(computed.value.raw() - exact.lo.raw(), exact.hi.raw() - computed.value.raw());
  if (off > computed.error) {
    FAIL_CHECK("seed " << seed << " case " << i << ": " << std::string(what) << " "
                       << to_string(computed.value) << " is up to " << static_cast<long long>(off)
                       << " units from exact, bound " << static_cast<long long>(computed.error));
  }
}

}  // namespace

TEST_CASE("rounding bounds hold against exact arithmetic and are the same at every price") {
  const CounterRng rng(0x5EED'1007);
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Exchange x = random_exchange(rng, i);
    Draw d(rng, i + (std::uint64_t{1} << 40));
    for (const Position& p : x.account.positions) {
      const Market& m = *x.params.find_market(p.market);
      const FeedPrice& feed = *x.prices.find(m.feed);
      const Ratio multiplier = Ratio::from_raw(fixed_scale + d.units(1, 3));
      const PositionConstants c = ok_value(position_constants(m, p, multiplier));
      const PositionHealth at_mark = ok_value(position_health(m, p, c, feed.mark));
      // Prices from a tenth to ten times the mark.
      const Price price = Price::from_raw(feed.mark.raw() / 10 + d.below(100) * feed.mark.raw() / 10 + 1);
      const PositionHealth h = ok_value(position_health(m, p, c, price));
      if (h.equity_pnl.error != at_mark.equity_pnl.error ||
          h.maintenance_margin.error != at_mark.maintenance_margin.error)
        FAIL_CHECK("seed " << rng.seed() << " case " << i << ": the bound of " << p.market
                           << " moved with the price");
      check_within(h.equity_pnl, exact_equity_pnl(m, exact_pnl(m, p, c, price)), "PnL in equity", rng.seed(),
                   i);
      check_within(h.maintenance_margin, exact_maintenance(m, p, c, price), "maintenance", rng.seed(), i);
    }
    for (const CollateralBalance& b : x.account.collateral) {
      const Ratio w = Ratio::from_raw(d.units(1, 4) + (b.amount.is_negative() ? fixed_scale : 0));
      const Price price = Price::from_raw(d.units(100000, 3) + 1);
      const WeightedValue v = ok_value(weighted_value(b.amount, price, w));
      const Interval exact = mul_interval(ok_value(coins_to_value(b.amount, price, Round::down)),
                                          ok_value(coins_to_value(b.amount, price, Round::up)), w);
      check_within(v.weighted, exact, "collateral value", rng.seed(), i);
    }
  }
}
