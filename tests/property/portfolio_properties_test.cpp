// Portfolio margin (docs/spec.md §14) on random books: seeded option books
// (two expiries, strikes 50000-70000, calls and puts, both sides) with a
// perpetual and a future on the same underlying, built on the inputs of the
// conformance vector portfolio/mixed_book. Invariants checked per book:
// scenario (0, unchanged) is exactly 0, the worst is the first minimum and
// not above 0, MM <= IM, MM = IM when mm_factor = im_factor, and a deposit of
// a pegged asset changes equity but not the requirements.
#include <algorithm>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"

using namespace vmargin;
using vmargin::test::ok_value;

namespace {

codec::EvaluationInput base() {
  const auto dir = test::option("vmargin-vectors");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-vectors=DIR");
  const auto text = test::read_text_file(*dir + "/portfolio/mixed_book.json");
  REQUIRE(text.has_value());
  const codec::Json doc = ok_value(codec::parse_strict_json(*text));
  return ok_value(codec::decode_evaluation_input(doc.at("input")));
}

// Every (expiry, strike, type) of the base's two BTC expiries.
std::vector<OptionMarket> markets(const codec::EvaluationInput& in) {
  const OptionMarket& model = in.risk_parameters.option_markets.front();
  std::vector<std::int64_t> expiries;
  for (const OptionMarket& m : in.risk_parameters.option_markets) expiries.push_back(m.expiry_ms);
  std::sort(expiries.begin(), expiries.end());
  expiries.erase(std::unique(expiries.begin(), expiries.end()), expiries.end());
  std::vector<OptionMarket> out;
  for (const std::int64_t e : expiries) {
    for (int strike = 50'000; strike <= 70'000; strike += 5'000) {
      for (const OptionType t : {OptionType::call, OptionType::put}) {
        OptionMarket m = model;
        m.expiry_ms = e;
        m.strike = Price::from_units(strike);
        m.type = t;
        m.id =
            "O-" + std::to_string(e) + "-" + std::to_string(strike) + (t == OptionType::call ? "-C" : "-P");
        out.push_back(m);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const OptionMarket& a, const OptionMarket& b) { return a.id < b.id; });
  return out;
}

// A random book: each option market held with probability 1/3, quantity in
// +-0.1 .. +-3; the perpetual and the future each with probability 1/2.
Account random_book(const test::CounterRng& rng, std::uint64_t& c, const std::vector<OptionMarket>& options) {
  Account a;
  a.id = "random";
  a.margin_mode = MarginMode::portfolio;
  a.collateral.push_back({"USDC", Money::from_units(50'000)});
  const auto quantity = [&] {
    const auto tenths = static_cast<std::int64_t>(rng.draw(c++) % 30) + 1;
    const Quantity q = Quantity::from_raw(static_cast<i128>(tenths) * Quantity::one().raw() / 10);
    return rng.draw(c++) % 2 == 0 ? q : -q;
  };
  std::vector<Position> positions;
  for (const OptionMarket& m : options) {
    if (rng.draw(c++) % 3 != 0) continue;
    positions.push_back({m.id, quantity(), Price::from_units(1000), Money::zero(), std::nullopt});
  }
  for (const char* market : {"BTC-20261225", "BTC-PERP"}) {
    if (rng.draw(c++) % 2 == 0) positions.push_back({market, quantity(), Price::from_units(61'000), {}, {}});
  }
  std::sort(positions.begin(), positions.end(),
            [](const Position& x, const Position& y) { return x.market < y.market; });
  a.positions = std::move(positions);
  return a;
}

}  // namespace

TEST_CASE("portfolio margin invariants on 150 random books") {
  codec::EvaluationInput in = base();
  const std::vector<OptionMarket> options = markets(in);
  in.risk_parameters.option_markets = options;
  RiskParameters equal = in.risk_parameters;
  equal.portfolio_margin.front().mm_factor = equal.portfolio_margin.front().im_factor;
  const test::CounterRng rng(20261124);
  std::uint64_t c = 0;
  for (int book = 0; book < 150; ++book) {
    const Account account = random_book(rng, c, options);
    if (account.positions.empty()) continue;
    CAPTURE(book);
    const AccountReport r = ok_value(evaluate(in.risk_parameters, in.prices, account));
    REQUIRE(r.portfolio_margin.underlyings.size() == 1);
    const UnderlyingMargin& u = r.portfolio_margin.underlyings.front();
    for (std::size_t k = 0; k < u.pnl.size(); ++k) {
      if (u.scenarios[k].spot_move.is_zero() && u.scenarios[k].volatility == ScenarioVolatility::unchanged)
        CHECK(u.pnl[k].is_zero());
      if (k < u.worst.index) CHECK(u.pnl[k] > u.worst.pnl);
      CHECK(u.worst.pnl <= u.pnl[k]);
    }
    CHECK_FALSE(u.worst_loss.is_negative());
    CHECK(u.maintenance_margin <= u.initial_margin);
    CHECK(r.cross.maintenance_margin <= r.cross.initial_margin);
    const AccountReport same = ok_value(evaluate(equal, in.prices, account));
    CHECK(same.cross.maintenance_margin == same.cross.initial_margin);
    Account richer = account;
    richer.collateral.front().amount = Money::from_units(90'000);
    const AccountReport more = ok_value(evaluate(in.risk_parameters, in.prices, richer));
    CHECK(more.cross.initial_margin == r.cross.initial_margin);
    CHECK(more.cross.maintenance_margin == r.cross.maintenance_margin);
    CHECK(more.cross.equity == ok_value(add(r.cross.equity, Money::from_units(40'000))));
  }
}
