// vmargin watch at exchange scale (issue 13): N accounts of 5 positions over
// the 20-feed universe of bench/fixture.hpp loaded into an ExchangeBook,
// then ticks: one feed moved 0.1 % (the common case), every feed moved 2 %
// (a market-wide move). Times include writing the events as text, as the
// CLI does. Prints one JSON line of figures.
//
// Usage: vmargin_bench_watch [--accounts N] [--ticks T]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "vmargin/codec/watch_codec.hpp"
#include "vmargin/watch/exchange_book.hpp"

using namespace vmargin;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

// 5 distinct markets of the 20, sizes from 1 to 50 units, entries within
// 10 % of the mark, collateral at 5x to 50x leverage; a fifth also hold
// the two coins.
Account make_account(std::uint64_t& seed, std::size_t n, const bench::Fixture& f) {
  Account a;
  a.id = "acct-" + std::to_string(n);
  std::vector<std::size_t> markets;
  while (markets.size() < 5) {
    const std::size_t m = splitmix(seed) % f.params.markets.size();
    if (std::find(markets.begin(), markets.end(), m) == markets.end()) markets.push_back(m);
  }
  std::sort(markets.begin(), markets.end());
  i128 notional = 0;
  for (const std::size_t m : markets) {
    const Market& market = f.params.markets[m];
    const Price mark = f.prices.feeds[m].mark;
    const i128 units = 1 + static_cast<i128>(splitmix(seed) % 50);
    const i128 sign = splitmix(seed) % 2 ? -1 : 1;
    const i128 entry = mark.raw() / 1000 * (950 + static_cast<i128>(splitmix(seed) % 101));
    a.positions.push_back(Position{market.id, Quantity::from_raw(sign * units * fixed_scale),
                                   Price::from_raw(entry - entry % market.tick_size.raw()), Money{},
                                   std::nullopt});
    notional += units * (mark.raw() / fixed_scale);
  }
  const i128 leverage = 5 + static_cast<i128>(splitmix(seed) % 46);
  if (splitmix(seed) % 5 == 0) {
    a.collateral.push_back({"A00", Money::from_units(1)});
    a.collateral.push_back({"A01", Money::from_raw(fixed_scale / 2)});
  }
  a.collateral.push_back({"USDC", Money::from_raw(notional / leverage * fixed_scale)});
  return a;
}

MarketState moved(const MarketState& prices, std::size_t feed, i128 per_10000) {
  MarketState next = prices;
  next.as_of_ms += 100;
  for (std::size_t i = 0; i < next.feeds.size(); ++i) {
    if (feed != next.feeds.size() && i != feed) continue;
    FeedPrice& p = next.feeds[i];
    const i128 raw = p.mark.raw() + p.mark.raw() / 10000 * per_10000;
    p.mark = Price::from_raw(raw - raw % (fixed_scale / 100));
  }
  return next;
}

std::int64_t micros(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
}

std::int64_t at(std::vector<std::int64_t> v, std::size_t percent) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[(v.size() - 1) * percent / 100];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t accounts = 1'000'000, ticks = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--accounts") == 0) accounts = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--ticks") == 0) ticks = std::stoul(argv[i + 1]);
  }
  const bench::Fixture f = bench::make_fixture(20, false);
  std::uint64_t seed = 20261129;
  std::vector<Account> all;
  all.reserve(accounts);
  for (std::size_t i = 0; i < accounts; ++i) all.push_back(make_account(seed, i, f));
  Result<ValidatedParameters> params = ValidatedParameters::make(f.params);
  if (!params.ok()) return std::fprintf(stderr, "%s\n", params.error().to_string().c_str()), 1;
  const long rss_before = rss_kib();
  const auto t0 = Clock::now();
  // A fund that covers the shortfall: ordinary ticks, no ADL rankings.
  watch::BookSettings settings;
  settings.insurance_fund = Money::from_units(1'000'000'000'000);
  watch::ExchangeBook book = watch::ExchangeBook::open(params.value(), f.prices, settings).value();
  const watch::BookEvents loaded = book.put_accounts(std::move(all)).value();
  const codec::EventSource source{codec::EventSource::Input::stream, 1, codec::EventSource::Kind::load, {}};
  std::size_t bytes = codec::watch_events_text(book, loaded, source).size();
  const auto t1 = Clock::now();
  const long rss_after = rss_kib();

  std::vector<std::int64_t> one_feed, revalued;
  MarketState prices = f.prices;
  for (std::size_t t = 0; t < ticks; ++t) {
    prices = moved(prices, splitmix(seed) % prices.feeds.size(), splitmix(seed) % 2 ? 10 : -10);
    const auto a = Clock::now();
    const watch::BookEvents e = book.advance(prices).value();
    bytes += codec::watch_events_text(book, e, source).size();
    one_feed.push_back(micros(a, Clock::now()));
    revalued.push_back(static_cast<std::int64_t>(e.revalued));
  }
  std::vector<std::int64_t> every_feed;
  for (int t = 0; t < 4; ++t) {
    prices = moved(prices, prices.feeds.size(), t % 2 ? -200 : 200);
    const auto a = Clock::now();
    const watch::BookEvents e = book.advance(prices).value();
    bytes += codec::watch_events_text(book, e, source).size();
    every_feed.push_back(micros(a, Clock::now()));
  }
  std::int64_t sum = 0;
  for (const std::int64_t us : one_feed) sum += us;
  std::printf(
      "{\"accounts\":%zu,\"positions_per_account\":5,\"feeds\":20,\"load_ms\":%lld,"
      "\"rss_per_account_bytes\":%ld,\"one_feed_0.1pct\":{\"ticks\":%zu,\"p50_us\":%lld,\"p99_us\":%lld,"
      "\"max_us\":%lld,\"mean_us\":%lld,\"revalued_p50\":%lld},\"every_feed_2pct\":{\"ticks\":4,\"max_us\":%"
      "lld},"
      "\"event_bytes\":%zu}\n",
      accounts, static_cast<long long>(micros(t0, t1) / 1000),
      (rss_after - rss_before) * 1024 / static_cast<long>(accounts), ticks,
      static_cast<long long>(at(one_feed, 50)), static_cast<long long>(at(one_feed, 99)),
      static_cast<long long>(at(one_feed, 100)),
      static_cast<long long>(sum / static_cast<std::int64_t>(ticks)),
      static_cast<long long>(at(revalued, 50)), static_cast<long long>(at(every_feed, 100)), bytes);
  return 0;
}
