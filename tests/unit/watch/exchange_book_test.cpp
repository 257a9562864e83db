// The watch's building blocks on the example exchange, by hand: what an
// account reads, how time reaches it, what differs between two price sets,
// and which accounts a tick re-evaluates.
#include "vmargin/watch/exchange_book.hpp"

#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"

using namespace vmargin;
using namespace vmargin::test;
using namespace vmargin::watch;

namespace {

codec::EvaluationInput example() {
  const std::string dir = option("vmargin-examples").value_or("examples/exchange");
  const auto text = [&](const char* f) {
    const std::optional<std::string> t = read_text_file(dir + "/" + f);
    REQUIRE(t);
    return *t;
  };
  return ok_value(codec::decode_evaluation_documents(text("risk_parameters.json"), text("prices.json"),
                                                     text("account.json")));
}

FeedPrice* feed(MarketState& m, const std::string& name) {
  for (FeedPrice& f : m.feeds) {
    if (f.feed == name) return &f;
  }
  FAIL("no feed " << name);
  return nullptr;
}

}  // namespace

TEST_CASE("market_inputs: the feeds of positions, settlement coins and collateral; futures' expiries") {
  const codec::EvaluationInput in = example();
  const MarketInputs m = market_inputs(in.risk_parameters, in.account);
  // BTC-PERP, BTC-USD-INV (settles in BTC), BTC-20261225 and the BTC
  // collateral read BTC-USD; ETH-PERP and the ETH borrow read ETH-USD; USDC is pegged.
  CHECK(m.feeds == std::vector<std::string>{"BTC-USD", "ETH-USD"});
  REQUIRE(m.future_expiries.size() == 1);
  CHECK(m.future_expiries[0] == in.risk_parameters.find_market("BTC-20261225")->expiry_ms);
  CHECK(m.option_expiries.empty());
  CHECK(m.reads_time());

  Account usdc_only;
  usdc_only.id = "u";
  usdc_only.collateral.push_back(CollateralBalance{"USDC", Money::from_units(5)});
  usdc_only.positions.push_back(Position{"NO-SUCH-MARKET", Quantity::one(), Price::one(), {}, {}});
  const MarketInputs none = market_inputs(in.risk_parameters, usdc_only);
  CHECK(none.feeds.empty());  // an unknown market reads nothing: it fails whatever the prices
  CHECK_FALSE(none.reads_time());
}

TEST_CASE("time_view: expired or not per future, whole seconds to expiry per option") {
  MarketInputs m;
  m.future_expiries = {10'000};
  m.option_expiries = {ExpiryKey{"BTC-USD", 5'500}};
  CHECK(time_view(m, 0) == std::vector<std::int64_t>{0, 5});
  CHECK(time_view(m, 499) == std::vector<std::int64_t>{0, 5});  // 5.001 s: still 5 whole seconds
  CHECK(time_view(m, 501) == std::vector<std::int64_t>{0, 4});
  CHECK(time_view(m, 5'500) == std::vector<std::int64_t>{0, -1});
  CHECK(time_view(m, 10'000) == std::vector<std::int64_t>{1, -1});
}

TEST_CASE("price_changes: feeds added, removed or with any field changed; the time") {
  const MarketState before = example().prices;
  MarketState after = before;
  CHECK(price_changes(before, after).empty());
  feed(after, "ETH-USD")->stable = Price::from_units(3011);
  after.as_of_ms += 1;
  PriceChanges c = price_changes(before, after);
  CHECK(c.feeds == std::vector<std::string>{"ETH-USD"});
  CHECK(c.time);
  after = before;
  after.feeds.erase(after.feeds.begin());  // BTC-USD gone
  after.feeds.push_back(FeedPrice{"SOL-USD", Price::from_units(150), {}, {}});
  c = price_changes(before, after);
  CHECK(c.feeds == std::vector<std::string>{"BTC-USD", "SOL-USD"});
  CHECK_FALSE(c.time);
}

TEST_CASE("a tick re-evaluates exactly the accounts reading a changed input") {
  codec::EvaluationInput in = example();
  const MarketState start = in.prices;
  ExchangeBook book = ok_value(
      ExchangeBook::open(ok_value(ValidatedParameters::make(in.risk_parameters)), start, BookSettings{}));
  Account eth_only;  // an ETH-PERP short with USDC
  eth_only.id = "eth";
  eth_only.collateral.push_back(CollateralBalance{"USDC", Money::from_units(10'000)});
  eth_only.positions.push_back(
      Position{"ETH-PERP", Quantity::from_units(-1), Price::from_units(3100), {}, {}});
  const BookEvents loaded = ok_value(book.put_accounts({in.account, eth_only}));
  CHECK(loaded.revalued == 2);
  CHECK(loaded.changes.empty());  // both healthy: a healthy pool appearing is not news
  CHECK(loaded.system.by_status[0] == 2);

  MarketState next = start;
  feed(next, "BTC-USD")->mark = Price::from_units(60'000);
  CHECK(ok_value(book.advance(next)).revalued == 1);  // the example account only
  next.as_of_ms += 1000;  // the future is months from expiry: no account reads this
  CHECK(ok_value(book.advance(next)).revalued == 0);
  feed(next, "ETH-USD")->mark = Price::from_units(3001);
  CHECK(ok_value(book.advance(next)).revalued == 2);

  // Bad prices change nothing.
  MarketState bad = next;
  feed(bad, "ETH-USD")->mark = Price::from_units(-1);
  CHECK(error_of(book.advance(bad)).code() == ErrorCode::invalid_value);
  CHECK(book.prices().feeds[1].mark == Price::from_units(3001));
  BookSettings negative;
  negative.insurance_fund = Money::from_units(-1);
  CHECK(error_of(ExchangeBook::open(ok_value(ValidatedParameters::make(in.risk_parameters)), start, negative))
            .path() == "/insurance_fund");
}

TEST_CASE("shards: FNV-1a 64 of the id modulo the count") {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the published test value).
  const std::uint64_t a = 0xaf63dc4c8601ec8cull;
  for (std::uint32_t n : {2U, 3U, 7U}) {
    for (std::uint32_t k = 0; k < n; ++k) CHECK(Shard{k, n}.holds("a") == (a % n == k));
  }
  CHECK(Shard{}.holds("anything"));  // one shard holds every account
}

TEST_CASE("system totals: the sum over every pool of every account, kept exact across ticks") {
  codec::EvaluationInput in = example();
  const ValidatedParameters params = ok_value(ValidatedParameters::make(in.risk_parameters));
  ExchangeBook book = ok_value(ExchangeBook::open(params, in.prices, BookSettings{}));
  Account second = in.account;
  second.id = "acct-8";
  second.positions.erase(second.positions.begin());  // no BTC-PERP
  REQUIRE(book.put_accounts({in.account, second}).ok());
  MarketState next = in.prices;
  for (const char* mark : {"58000", "45000", "30000", "61000"}) {
    feed(next, "BTC-USD")->mark = dec<Price>(mark);
    const BookEvents e = ok_value(book.advance(next));
    i128 equity = 0, maintenance = 0;
    for (const Account* a : {&in.account, &second}) {
      const AccountReport r = ok_value(evaluate(params, next, *a));
      equity += r.cross.equity.raw();
      maintenance += r.cross.maintenance_margin.raw();
      for (const IsolatedPoolReport& p : r.isolated) {
        equity += p.pool.equity.raw();
        maintenance += p.pool.maintenance_margin.raw();
      }
    }
    REQUIRE(e.system.total_equity);
    CHECK(e.system.total_equity->raw() == equity);
    CHECK(e.system.total_maintenance_margin->raw() == maintenance);
  }
}
