// The liquidation and bankruptcy prices of pools holding options
// (docs/spec.md §13.5) against brute force: random option books built on
// the bundled options example, every grid price scanned outward from the
// mark with full re-evaluations of the account (the feed's mark moved, its
// expiries' forwards moved in proportion), on coarse grids so that a scan
// is affordable. The search must find exactly the first unsafe grid price.
#include <optional>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/liquidation/liquidation_prices.hpp"

using namespace vmargin;
using vmargin::test::ok_value;

namespace {

codec::EvaluationInput example() {
  const auto dir = test::option("vmargin-options");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-options=DIR");
  const auto read = [&](const char* name) {
    const auto text = test::read_text_file(*dir + "/" + name);
    REQUIRE_MESSAGE(text.has_value(), name);
    return *text;
  };
  return ok_value(codec::decode_evaluation_documents(read("risk_parameters.json"), read("prices.json"),
                                                     read("account.json")));
}

// The pool of the full evaluation with `feed` at `price` (forwards moved).
std::optional<HealthPoint> pool_at(const codec::EvaluationInput& in, const std::string& feed, Price price,
                                   bool cross) {
  MarketState prices = in.prices;
  Price mark;
  for (FeedPrice& f : prices.feeds) {
    if (f.feed != feed) continue;
    mark = f.mark;
    f.mark = price;
  }
  for (OptionExpiry& e : prices.option_expiries) {
    if (e.feed != feed) continue;
    Result<Price> moved = mul_div_to<Price>(e.forward, price, mark, Round::down);
    if (!moved) return std::nullopt;
    e.forward = *moved;
  }
  Result<AccountValuation> a = value_account(in.risk_parameters, prices, in.account);
  if (!a) return std::nullopt;
  Result<PoolFigures> f = pool_figures(*a, cross ? a->cross : a->isolated.front());
  if (!f) return std::nullopt;
  return HealthPoint{f->equity, f->maintenance_margin};
}

// The first unsafe grid price scanned outward (none within `limit` steps).
std::optional<Price> scan(const codec::EvaluationInput& in, const std::string& feed, Price mark, Price tick,
                          Boundary boundary, Direction direction, bool cross, int limit) {
  const i128 t = tick.raw();
  i128 k = direction == Direction::below ? (mark.raw() - 1) / t : mark.raw() / t + 1;
  for (int i = 0; i < limit && k >= 1; ++i, k += direction == Direction::below ? -1 : 1) {
    const std::optional<HealthPoint> p = pool_at(in, feed, Price::from_raw(k * t), cross);
    if (!p) return std::nullopt;
    if (is_unsafe(boundary, *p)) {
      const i128 c = direction == Direction::below ? k * t + t : k * t - t;
      return Price::from_raw(direction == Direction::below ? std::min(c, mark.raw())
                                                           : std::max(c, mark.raw()));
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("option pool boundaries equal a brute-force scan of full re-evaluations") {
  const codec::EvaluationInput base = example();
  const test::CounterRng rng(20261129);
  int compared = 0, beyond_scan = 0;
  std::string statuses;
  for (std::uint64_t round = 0; round < 24; ++round) {
    codec::EvaluationInput in = base;
    // Scale every position and the USDC balance at random: books from
    // comfortably healthy to nearly bankrupt, some long-only, some short.
    std::uint64_t draw = round * 16;
    for (Position& p : in.account.positions) {
      const auto factor = static_cast<std::int64_t>(rng.draw(draw++) % 7) - 3;
      if (in.risk_parameters.find_option_market(p.market) == nullptr) continue;
      const i128 q = p.quantity.raw() * (factor == 0 ? 1 : factor);
      p.quantity = Quantity::from_raw(q);
    }
    // And the coins: BTC and ETH collateral under short calls on them is a
    // covered call, whose items cancel in the pool's health.
    for (CollateralBalance& c : in.account.collateral) {
      const std::uint64_t d = rng.draw(round * 16 + 9);
      if (c.asset == "USDC") c.amount = Money::from_units(static_cast<std::int64_t>(5000 + d % 60000));
      if (c.asset == "BTC") c.amount = Money::from_raw(static_cast<i128>(d % 41) * fixed_scale / 10);
      if (c.asset == "ETH") c.amount = Money::from_units(static_cast<std::int64_t>(d % 31));
    }
    const Result<AccountValuation> a = value_account(in.risk_parameters, in.prices, in.account);
    if (!a) continue;
    const PoolFigures f = ok_value(pool_figures(*a, a->cross));
    statuses += std::string(status_name(f.status)) + " ";
    for (const char* feed_id : {"BTC-USD", "ETH-USD"}) {
      const FeedPrice* feed = in.prices.find(feed_id);
      // A coarse grid: about 300 prices between 0 and the mark.
      const Price tick = Price::from_raw(feed->mark.raw() / 300);
      const Result<PriceBoundaries> b = option_price_boundaries(*a, a->cross, f, *feed, tick, 4096);
      REQUIRE_MESSAGE(b.ok(), b.error().to_string());
      CAPTURE(round);
      CAPTURE(feed_id);
      const bool liquidatable = f.equity < f.maintenance_margin;
      const bool bankrupt = is_bankrupt(f.equity, f.maintenance_margin);
      const auto check = [&](const std::optional<Price>& got, Boundary boundary, Direction direction,
                             bool skip) {
        if (skip) {
          CHECK_FALSE(got.has_value());
          return;
        }
        constexpr int reach = 3000;
        const std::optional<Price> want =
            scan(in, feed_id, feed->mark, tick, boundary, direction, true, reach);
        if (!want && got && direction == Direction::above &&
            got->raw() > feed->mark.raw() + reach * tick.raw()) {
          // Beyond the scan: the price is safe and one tick beyond is not.
          const std::optional<HealthPoint> at = pool_at(in, feed_id, *got, true);
          const std::optional<HealthPoint> beyond =
              pool_at(in, feed_id, Price::from_raw(got->raw() + tick.raw()), true);
          REQUIRE(at.has_value());
          CHECK_FALSE(is_unsafe(boundary, *at));
          CHECK((!beyond || is_unsafe(boundary, *beyond)));
          ++beyond_scan;
        } else {
          CHECK(got == want);
        }
        ++compared;
      };
      check(b->liquidation_below, Boundary::liquidation, Direction::below, liquidatable);
      check(b->liquidation_above, Boundary::liquidation, Direction::above, liquidatable);
      check(b->bankruptcy_below, Boundary::bankruptcy, Direction::below, bankrupt);
      check(b->bankruptcy_above, Boundary::bankruptcy, Direction::above, bankrupt);
    }
  }
  MESSAGE("compared " << compared << " boundaries (" << beyond_scan
                      << " beyond the scan, checked at the price); statuses seen: " << statuses);
  CHECK(compared >= 100);
}

// Books whose health falls below the maintenance above the mark and
// recovers further up (short 60,000 calls, long 70,000 calls at half
// weight, one short March 80,000 call): the search meets safe prices beyond
// the unsafe stretch and must still settle on its start, on the feed's
// fine index grid (0.5), within the default budget and with the answer an
// unbounded budget gives.
TEST_CASE("option pool boundaries before a stretch that recovers, within the default budget") {
  const codec::EvaluationInput base = example();
  int books = 0, recovering = 0;
  for (int longs = 6; longs <= 10; longs += 2) {
    for (int usdc = 20000; usdc <= 140000; usdc += 10000) {
      codec::EvaluationInput in = base;
      in.account.positions.clear();
      const auto add = [&](const char* market, std::int64_t quantity) {
        in.account.positions.push_back(Position{market, Quantity::from_units(quantity),
                                                Price::from_units(1000), Money::zero(), std::nullopt});
      };
      add("BTC-20261225-60000-C", -2);
      add("BTC-20261225-70000-C", longs);
      add("BTC-20270326-80000-C", -1);
      in.account.collateral = {CollateralBalance{"USDC", Money::from_units(usdc)}};
      const Result<AccountValuation> a = value_account(in.risk_parameters, in.prices, in.account);
      REQUIRE(a.ok());
      const PoolFigures f = ok_value(pool_figures(*a, a->cross));
      if (f.equity < f.maintenance_margin) continue;
      const FeedPrice* feed = in.prices.find("BTC-USD");
      const Price tick = Price::from_raw(fixed_scale / 2);
      const Result<PriceBoundaries> fast = option_price_boundaries(*a, a->cross, f, *feed, tick, 512);
      const Result<PriceBoundaries> slow = option_price_boundaries(*a, a->cross, f, *feed, tick, 1u << 20);
      CAPTURE(longs);
      CAPTURE(usdc);
      REQUIRE_MESSAGE(slow.ok(), slow.error().to_string());
      REQUIRE_MESSAGE(fast.ok(), fast.error().to_string());
      CHECK(fast->liquidation_above == slow->liquidation_above);
      CHECK(fast->bankruptcy_above == slow->bankruptcy_above);
      ++books;
      if (!slow->liquidation_above) continue;
      // The answer is safe and the grid price after it is not; books that
      // are safe again 30,000 above it are counted, so the case stays honest.
      const Price answer = *slow->liquidation_above;
      const std::optional<HealthPoint> at = pool_at(in, "BTC-USD", answer, true);
      const std::optional<HealthPoint> next =
          pool_at(in, "BTC-USD", Price::from_raw(answer.raw() + tick.raw()), true);
      REQUIRE((at && next));
      CHECK_FALSE(is_unsafe(Boundary::liquidation, *at));
      CHECK(is_unsafe(Boundary::liquidation, *next));
      const std::optional<HealthPoint> later =
          pool_at(in, "BTC-USD", Price::from_raw(answer.raw() + 60'000 * tick.raw()), true);
      if (later && !is_unsafe(Boundary::liquidation, *later)) ++recovering;
    }
  }
  MESSAGE(books << " books, " << recovering << " safe again 30,000 above their liquidation price");
  CHECK(books >= 10);
  CHECK(recovering >= 1);
}
