// The watch's incremental revaluation against brute force: a book that
// re-evaluates only the accounts whose inputs changed must write exactly the
// events of a book that re-evaluates every account on every line, and hold
// the same state for every account. Random accounts over the example
// exchange and the example options venue (every market kind, options and
// portfolio accounts), random ticks (one or a few feeds, forwards, time
// steps up to past an expiry), account updates in between. Sizes from
// --vmargin-watch-accounts / --vmargin-watch-ticks (make bench runs the
// 10,000 x 10,000 case).
#include <algorithm>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/watch_codec.hpp"
#include "vmargin/watch/exchange_book.hpp"

using namespace vmargin;
using namespace vmargin::test;

namespace {

#ifdef VMARGIN_REDUCED_PROPERTY_RUNS
constexpr std::uint64_t reduction = 10;
#else
constexpr std::uint64_t reduction = 1;
#endif

std::size_t size_option(const std::string& name, std::size_t fallback) {
  const std::optional<std::string> v = option(name);
  return v ? static_cast<std::size_t>(std::stoul(*v)) : fallback / static_cast<std::size_t>(reduction);
}

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t next() { return rng_.draw(k_++); }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  std::size_t index(std::size_t n) { return static_cast<std::size_t>(next() % n); }  // 32-bit size_t in wasm
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  // mark x (1 + u) with u uniform in [-spread, spread], spread in 1/10000, on the tick.
  Price moved(Price mark, std::uint64_t spread_bp, Price tick) {
    const i128 bp = static_cast<i128>(below(2 * spread_bp + 1)) - static_cast<i128>(spread_bp);
    i128 raw = mark.raw() + mark.raw() / 10000 * bp;
    raw -= raw % tick.raw();
    return Price::from_raw(std::max(raw, tick.raw()));
  }

 private:
  CounterRng rng_;
  std::uint64_t k_ = 0;
};

struct Venue {
  ValidatedParameters params;
  MarketState prices;
  int copies = 1;  ///< widen(): feeds "X", "X.1", ... "X.<copies-1>"
};

std::string suffix_of(int k) { return k == 0 ? std::string() : "." + std::to_string(k); }

// Whether `feed` belongs to copy k of a widened venue.
bool in_copy(const std::string& feed, int k, int copies) {
  for (int j = copies - 1; j > 0; --j) {
    const std::string sfx = suffix_of(j);
    if (feed.size() > sfx.size() && feed.compare(feed.size() - sfx.size(), sfx.size(), sfx) == 0)
      return j == k;
  }
  return k == 0;
}

Venue venue(const std::string& option_name) {
  const std::optional<std::string> dir = option(option_name);
  REQUIRE_MESSAGE(dir, (std::string("--") + option_name + "=DIR"));
  const auto text = [&](const char* file) {
    const std::optional<std::string> t = read_text_file(*dir + "/" + file);
    REQUIRE_MESSAGE(t, (*dir + "/" + file));
    return *t;
  };
  codec::EvaluationInput in = ok_value(codec::decode_evaluation_documents(
      text("risk_parameters.json"), text("prices.json"), text("account.json")));
  return Venue{ok_value(ValidatedParameters::make(std::move(in.risk_parameters))), std::move(in.prices)};
}

// The venue with every feed cloned `copies` times ("BTC-USD", "BTC-USD.1",
// ...): its markets, assets priced by it, option markets, rules and data
// with it. Many feeds make a tick touch few accounts, as on an exchange.
Venue widen(const Venue& v, int copies) {
  const RiskParameters& p = v.params.get();
  RiskParameters out = p;
  MarketState prices = v.prices;
  out.markets.clear();
  out.feeds.clear();
  out.option_markets.clear();
  out.option_rules.clear();
  out.portfolio_margin.clear();
  prices.feeds.clear();
  prices.option_expiries.clear();
  std::vector<CollateralAsset> assets;
  for (int k = 0; k < copies; ++k) {
    const std::string suffix = suffix_of(k);
    const auto priced = [&](const std::string& asset) {
      const CollateralAsset* a = p.find_asset(asset);
      return a != nullptr && a->feed ? asset + suffix : asset;
    };
    for (CollateralAsset a : p.assets) {
      if (!a.feed && k > 0) continue;
      a.id = priced(a.id);
      if (a.feed) *a.feed += suffix;
      assets.push_back(a);
    }
    for (Market m : p.markets) {
      m.id += suffix;
      m.feed += suffix;
      m.settlement_asset = priced(m.settlement_asset);
      out.markets.push_back(m);
    }
    for (FeedRisk f : p.feeds) out.feeds.push_back((f.feed += suffix, f));
    for (OptionMarket o : p.option_markets) {
      o.id += suffix;
      o.feed += suffix;
      o.settlement_asset = priced(o.settlement_asset);
      out.option_markets.push_back(o);
    }
    for (OptionRules r : p.option_rules) out.option_rules.push_back((r.feed += suffix, r));
    for (PortfolioMarginParameters g : p.portfolio_margin)
      out.portfolio_margin.push_back((g.feed += suffix, g));
    for (FeedPrice f : v.prices.feeds) prices.feeds.push_back((f.feed += suffix, f));
    for (OptionExpiry e : v.prices.option_expiries) prices.option_expiries.push_back((e.feed += suffix, e));
  }
  const auto by = [](auto key) { return [key](const auto& a, const auto& b) { return key(a) < key(b); }; };
  std::sort(assets.begin(), assets.end(), by([](const CollateralAsset& a) { return a.id; }));
  out.assets = std::move(assets);
  std::sort(out.markets.begin(), out.markets.end(), by([](const Market& m) { return m.id; }));
  std::sort(out.feeds.begin(), out.feeds.end(), by([](const FeedRisk& f) { return f.feed; }));
  std::sort(out.option_markets.begin(), out.option_markets.end(),
            by([](const OptionMarket& o) { return o.id; }));
  std::sort(out.option_rules.begin(), out.option_rules.end(),
            by([](const OptionRules& r) { return r.feed; }));
  std::sort(out.portfolio_margin.begin(), out.portfolio_margin.end(),
            by([](const PortfolioMarginParameters& g) { return g.feed; }));
  std::sort(prices.feeds.begin(), prices.feeds.end(), by([](const FeedPrice& f) { return f.feed; }));
  std::sort(prices.option_expiries.begin(), prices.option_expiries.end(),
            by([](const OptionExpiry& e) { return std::pair(e.feed, e.expiry_ms); }));
  return Venue{ok_value(ValidatedParameters::make(std::move(out))), std::move(prices), copies};
}

Price mark_of(const MarketState& prices, const std::string& feed) {
  const FeedPrice* f = prices.find(feed);
  return f != nullptr ? f->mark : Price::one();
}

// An account of 1-6 positions on one or two underlyings, leveraged so that ticks move it across
// statuses; sometimes isolated, sometimes a portfolio account.
Account random_account(Draw& d, const Venue& v, std::size_t n) {
  const RiskParameters& p = v.params.get();
  Account a;
  a.id = "acct-" + std::to_string(n);
  if (!p.portfolio_margin.empty() && d.chance(20)) a.margin_mode = MarginMode::portfolio;
  // One or two copies of the venue's underlyings: an account trades a few
  // of the exchange's feeds, not all of them.
  const int home = static_cast<int>(d.below(static_cast<std::uint64_t>(v.copies)));
  const int away = d.chance(30) ? static_cast<int>(d.below(static_cast<std::uint64_t>(v.copies))) : home;
  const auto eligible = [&](const std::string& feed) {
    return in_copy(feed, home, v.copies) || in_copy(feed, away, v.copies);
  };
  const std::size_t positions = 1 + d.index(6);
  const std::size_t kinds = p.markets.size() + p.option_markets.size();
  for (std::size_t k = 0; k < positions; ++k) {
    const std::size_t pick = d.index(kinds);
    const std::string& feed =
        pick < p.markets.size() ? p.markets[pick].feed : p.option_markets[pick - p.markets.size()].feed;
    if (!eligible(feed)) {
      --k;  // draw again: the draws stay a function of the seed
      continue;
    }
    Position pos;
    const bool short_side = d.chance(50);
    if (pick < p.markets.size()) {
      const Market& m = p.markets[pick];
      pos.market = m.id;
      pos.quantity = Quantity::from_raw(m.lot_size.raw() * static_cast<i128>(1 + d.below(3000)));
      pos.entry_price = d.moved(mark_of(v.prices, m.feed), 1500, m.tick_size);
      if (d.chance(15) && a.margin_mode == MarginMode::standard)
        pos.isolated_margin = Money::from_raw(static_cast<i128>(d.below(5000)) * fixed_scale / 10);
    } else {
      const OptionMarket& o = p.option_markets[pick - p.markets.size()];
      pos.market = o.id;
      pos.quantity = Quantity::from_raw(o.lot_size.raw() * static_cast<i128>(1 + d.below(200)));
      pos.entry_price = Price::from_raw(static_cast<i128>(1 + d.below(5000)) * fixed_scale);
    }
    if (short_side) pos.quantity = -pos.quantity;
    if (std::none_of(a.positions.begin(), a.positions.end(),
                     [&](const Position& q) { return q.market == pos.market; }))
      a.positions.push_back(pos);
  }
  std::sort(a.positions.begin(), a.positions.end(),
            [](const Position& x, const Position& y) { return x.market < y.market; });
  for (const CollateralAsset& asset : p.assets) {
    if ((asset.feed && !eligible(*asset.feed)) || !d.chance(60)) continue;
    const i128 units = static_cast<i128>(d.below(40000)) - (d.chance(10) ? 20000 : 0);
    const i128 raw = asset.feed ? units * fixed_scale / 10000 : units * fixed_scale;
    if (raw != 0) a.collateral.push_back(CollateralBalance{asset.id, Money::from_raw(raw)});
  }
  return a;
}

// The next prices: one to three feeds moved (mostly a little), sometimes a
// forward, and the time stepped (now and then by weeks, past expiries).
MarketState random_tick(Draw& d, const MarketState& before, std::int64_t start_ms) {
  MarketState next = before;
  const std::size_t moves = 1 + d.index(3);
  for (std::size_t k = 0; k < moves && !next.feeds.empty(); ++k) {
    FeedPrice& f = next.feeds[d.index(next.feeds.size())];
    const std::uint64_t spread = d.chance(90) ? 20 : 800;  // 0.2 % or 8 %
    f.mark = d.moved(f.mark, spread, Price::from_raw(fixed_scale / 100));
    if (f.stable && d.chance(20)) f.stable = d.moved(*f.stable, spread, Price::from_raw(fixed_scale / 100));
  }
  if (!next.option_expiries.empty() && d.chance(20)) {
    OptionExpiry& e = next.option_expiries[d.index(next.option_expiries.size())];
    e.forward = d.moved(e.forward, 50, Price::from_raw(fixed_scale / 100));
  }
  const std::uint64_t step = d.below(100);
  if (step < 40)
    next.as_of_ms += 0;
  else if (step < 97)
    next.as_of_ms += static_cast<std::int64_t>(d.below(3000));
  else
    next.as_of_ms += static_cast<std::int64_t>(d.below(60)) * 86'400'000;  // up to two months
  // Keep the walk bounded: back to the start's prices once in a while.
  if (d.chance(1)) next.as_of_ms = std::max(next.as_of_ms, start_ms);
  return next;
}

// The ADL rankings by sorting every account's indexes (what the book keeps
// ordered as it goes), cut to the depth.
std::vector<watch::AdlRanking> sorted_rankings(const watch::ExchangeBook& book) {
  std::vector<std::pair<std::string, watch::AdlRanking::Entry>> all;
  for (std::size_t i = 0; i < book.size(); ++i) {
    for (const watch::AdlEntry& e : book.state(i).adl)
      all.push_back({book.account(i).positions[e.position].market, {i, e.index}});
  }
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    if (x.second.index != y.second.index) return x.second.index > y.second.index;
    return x.second.account < y.second.account;
  });
  std::vector<watch::AdlRanking> out;
  for (const auto& [market, entry] : all) {
    if (out.empty() || out.back().market != market) out.push_back({market, {}});
    if (out.back().entries.size() < book.settings().adl_depth) out.back().entries.push_back(entry);
  }
  return out;
}

struct Run {
  std::size_t lines = 0, revalued = 0, everyone = 0, changes = 0, failures = 0, adl = 0;
};

// Both books through the same lines; every line's events compared as text.
Run run_both(const Venue& v, std::uint64_t seed, std::size_t accounts, std::size_t ticks) {
  Draw d(seed);
  watch::BookSettings incremental;
  incremental.insurance_fund = Money::from_units(20000);
  watch::BookSettings brute = incremental;
  brute.method = watch::BookSettings::Method::every_account;
  watch::ExchangeBook fast = ok_value(watch::ExchangeBook::open(v.params, v.prices, incremental));
  watch::ExchangeBook slow = ok_value(watch::ExchangeBook::open(v.params, v.prices, brute));
  std::vector<Account> all;
  for (std::size_t i = 0; i < accounts; ++i) all.push_back(random_account(d, v, i));
  Run run;
  const auto compare = [&](const watch::BookEvents& a, const watch::BookEvents& b, std::uint64_t line) {
    const codec::EventSource at{
        codec::EventSource::Input::stream, line, codec::EventSource::Kind::prices, {}};
    const std::string ta = codec::watch_events_text(fast, a, at);
    const std::string tb = codec::watch_events_text(slow, b, at);
    REQUIRE_MESSAGE(ta == tb, "seed " << seed << ", line " << line << "\nincremental:\n"
                                      << ta << "every account:\n"
                                      << tb);
    if (!a.adl.empty() && line % 7 == 0) {
      const std::vector<watch::AdlRanking> expected = sorted_rankings(fast);
      REQUIRE(expected.size() == a.adl.size());
      for (std::size_t m = 0; m < expected.size(); ++m) {
        CHECK(expected[m].market == a.adl[m].market);
        REQUIRE(expected[m].entries.size() == a.adl[m].entries.size());
        for (std::size_t k = 0; k < expected[m].entries.size(); ++k) {
          CHECK(expected[m].entries[k].account == a.adl[m].entries[k].account);
          CHECK(expected[m].entries[k].index == a.adl[m].entries[k].index);
        }
      }
    }
    run.revalued += a.revalued;
    run.everyone += b.revalued;
    run.changes += a.changes.size();
    run.failures += a.failures.size();
    run.adl += a.adl.size();
    ++run.lines;
  };
  compare(ok_value(fast.put_accounts(all)), ok_value(slow.put_accounts(all)), 0);
  MarketState prices = v.prices;
  for (std::size_t t = 1; t <= ticks; ++t) {
    if (d.chance(5)) {  // an account update: replaced, or a new one
      const std::size_t n = d.chance(50) ? d.index(accounts) : accounts + t;
      Account a = random_account(d, v, n);
      compare(ok_value(fast.put_accounts({a})), ok_value(slow.put_accounts({a})), t);
      continue;
    }
    prices = d.chance(2) ? v.prices : random_tick(d, prices, v.prices.as_of_ms);
    if (d.chance(2)) prices.as_of_ms = v.prices.as_of_ms + static_cast<std::int64_t>(t);
    compare(ok_value(fast.advance(prices)), ok_value(slow.advance(prices)), t);
  }
  REQUIRE(fast.size() == slow.size());
  for (std::size_t i = 0; i < fast.size(); ++i) {
    const watch::AccountState& a = fast.state(i);
    const watch::AccountState& b = slow.state(i);
    REQUIRE(a.pools.size() == b.pools.size());
    REQUIRE(a.error.has_value() == b.error.has_value());
    for (std::size_t k = 0; k < a.pools.size(); ++k) {
      CHECK(a.pools[k].equity == b.pools[k].equity);
      CHECK(a.pools[k].maintenance_margin == b.pools[k].maintenance_margin);
      CHECK(a.pools[k].status == b.pools[k].status);
    }
  }
  MESSAGE("seed " << seed << ": " << run.lines << " lines, " << run.changes << " status changes, "
                  << run.failures << " account errors, " << run.adl << " ADL rankings; re-evaluated "
                  << run.revalued << " accounts incrementally vs " << run.everyone << " by brute force");
  return run;
}

}  // namespace

TEST_CASE("watch: incremental events equal brute force, linear venue") {
  const Venue v = widen(venue("vmargin-examples"), 10);
  const Run run = run_both(v, 0x5EED'0001, size_option("vmargin-watch-accounts", 2000),
                           size_option("vmargin-watch-ticks", 400));
  // The run must have exercised what it claims to compare.
  CHECK(run.changes > 0);
  CHECK(run.failures > 0);
  CHECK(run.adl > 0);
  CHECK(run.revalued < run.everyone);
}

TEST_CASE("watch: incremental events equal brute force, options venue") {
  const Venue v = widen(venue("vmargin-options"), 4);
  const Run run = run_both(v, 0x5EED'0002, size_option("vmargin-watch-option-accounts", 300),
                           size_option("vmargin-watch-ticks", 200));
  CHECK(run.changes > 0);
  CHECK(run.revalued < run.everyone);
}
