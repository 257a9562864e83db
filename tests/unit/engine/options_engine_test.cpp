// Options in the engine (docs/spec.md §13) on the bundled options book:
// the report's option figures recomposed from the pure functions they are
// defined by, the expiry rules, the errors, and the what-ifs.
#include <string>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

codec::EvaluationInput book() {
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

AccountReport report_of(const codec::EvaluationInput& in) {
  return ok_value(evaluate(in.risk_parameters, in.prices, in.account));
}

const OptionPositionReport& option(const AccountReport& r, const std::string& market) {
  for (const OptionPositionReport& o : r.option_positions)
    if (o.market == market) return o;
  FAIL("no option position " << market);
  return r.option_positions.front();
}

Money sum_money(Money a, Money b) { return ok_value(add(a, b)); }

}  // namespace

TEST_CASE("option figures recompose from §12 and §13's definitions") {
  const codec::EvaluationInput in = book();
  const AccountReport r = report_of(in);
  const OptionPositionReport& c = option(r, "BTC-20261225-60000-C");
  const OptionMarket& m = *in.risk_parameters.find_option_market(c.market);
  const OptionExpiry& e = *in.prices.find_expiry(m.feed, m.expiry_ms);
  const OptionRules& rules = *in.risk_parameters.find_option_rules(m.feed);
  // The quote: Black-76 at the smile's volatility, discounted at the rate.
  const std::int64_t secs = (m.expiry_ms - in.prices.as_of_ms) / 1000;
  CHECK(c.seconds_to_expiry == secs);
  CHECK(c.volatility == ok_value(svi_volatility(e.svi, m.strike)));
  const Ratio d = ok_value(discount_factor(e.rate, annualise(secs)));
  const Black76Prices p = ok_value(black76({secs, d, c.volatility, e.forward, m.strike}));
  CHECK(c.mark_price == p.call);
  // value = down(q x V) (a short owes more), the standard requirement scaled up.
  CHECK(c.value == ok_value(mul(c.quantity, c.mark_price, Round::down)));
  CHECK(c.equity_value == c.value);
  const OptionRequirement unit = ok_value(
      short_option_requirement(OptionType::call, m.strike, c.index_price, c.mark_price, rules.margin));
  CHECK(c.maintenance_margin == ok_value(mul(c.quantity.abs(), unit.maintenance, Round::up)));
  CHECK(c.initial_margin == ok_value(mul(c.quantity.abs(), unit.initial, Round::up)));
  // A long counts only long_value_weight (0.5 for BTC) of its value.
  const OptionPositionReport& wing = option(r, "BTC-20261225-70000-C");
  CHECK(wing.equity_value == ok_value(mul(rules.long_value_weight, wing.value, Round::down)));
  CHECK(wing.maintenance_margin == Money::zero());
}

TEST_CASE("expiry groups take the smaller of standard and netted; pools add them and the option values") {
  const codec::EvaluationInput in = book();
  const AccountReport r = report_of(in);
  Money option_value = Money::zero(), maintenance = Money::zero();
  for (const OptionPositionReport& o : r.option_positions)
    if (!o.isolated) option_value = sum_money(option_value, o.equity_value);
  for (const OptionExpiryReport& g : r.option_expiries) {
    CHECK(g.maintenance_margin == min_of(g.standard_maintenance, g.netted_maintenance));
    CHECK(g.initial_margin == min_of(g.standard_initial, g.netted_initial));
    CHECK(g.maintenance_margin <= g.initial_margin);
    if (!g.isolated_market) maintenance = sum_money(maintenance, g.maintenance_margin);
  }
  CHECK(r.cross.option_value == option_value);
  for (const PositionReport& p : r.positions)
    if (!p.isolated) maintenance = sum_money(maintenance, p.maintenance_margin);
  CHECK(r.cross.maintenance_margin == maintenance);
  CHECK(r.cross.equity == sum_money(sum_money(r.cross.maintenance_collateral_value, r.cross.unrealized_pnl),
                                    r.cross.option_value));
  // A put spread alone: the netted maximum loss (the strike difference) wins.
  codec::EvaluationInput spread = in;
  spread.account.positions.clear();
  spread.account.positions.push_back(
      {"BTC-20261225-55000-P", dec<Quantity>("1"), dec<Price>("1000"), {}, {}});
  spread.account.positions.push_back(
      {"BTC-20261225-60000-P", dec<Quantity>("-1"), dec<Price>("2000"), {}, {}});
  const AccountReport s = report_of(spread);
  REQUIRE(s.option_expiries.size() == 1);
  CHECK(s.option_expiries[0].netted_maintenance == dec<Money>("5000"));
  CHECK(s.option_expiries[0].maintenance_margin == dec<Money>("5000"));
  CHECK(s.option_expiries[0].standard_maintenance > dec<Money>("5000"));
}

TEST_CASE("at and after expiry: the settlement price, or contract_expired") {
  codec::EvaluationInput in = book();
  // Only the December BTC options (the perpetual and other expiries out).
  std::erase_if(in.account.positions,
                [](const Position& p) { return p.market.rfind("BTC-20261225", 0) != 0; });
  in.prices.as_of_ms = 1798185600000;  // exactly the expiry
  const Error e = error_of(evaluate(in.risk_parameters, in.prices, in.account));
  CHECK(e.code() == ErrorCode::contract_expired);
  CHECK(e.path() == "/account/positions/BTC-20261225-55000-P");
  for (OptionExpiry& x : in.prices.option_expiries)
    if (x.feed == "BTC-USD") x.settlement_price = dec<Price>("58000");
  const AccountReport r = report_of(in);
  const OptionPositionReport& call = option(r, "BTC-20261225-60000-C");
  CHECK(call.settled);
  CHECK(call.mark_price == Price::zero());
  const OptionPositionReport& put = option(r, "BTC-20261225-60000-P");
  CHECK(put.mark_price == dec<Price>("2000"));
  CHECK(put.value == dec<Money>("-4000"));
  CHECK(put.maintenance_margin == Money::zero());
  CHECK(put.greeks.delta == Ratio::zero());
  CHECK(r.option_expiries[0].maintenance_margin == Money::zero());
}

TEST_CASE("binding errors name the input: missing expiry data, funding on an option, an option order") {
  codec::EvaluationInput in = book();
  codec::EvaluationInput no_data = in;
  std::erase_if(no_data.prices.option_expiries, [](const OptionExpiry& e) { return e.feed == "ETH-USD"; });
  const Error missing = error_of(evaluate(no_data.risk_parameters, no_data.prices, no_data.account));
  CHECK(missing.code() == ErrorCode::missing_price);
  CHECK(missing.path() == "/prices/option_expiries/ETH-USD/1798185600000");
  codec::EvaluationInput funded = in;
  for (Position& p : funded.account.positions)
    if (p.market == "ETH-20261225-3200-C") p.pending_funding = dec<Money>("1");
  const Error funding = error_of(evaluate(funded.risk_parameters, funded.prices, funded.account));
  CHECK(funding.code() == ErrorCode::invalid_value);
  CHECK(funding.path() == "/account/positions/ETH-20261225-3200-C/pending_funding");
  Scenario order;
  order.orders.push_back(Order{"BTC-20261225-60000-C", dec<Quantity>("1"), std::nullopt});
  const Error refused = error_of(apply_scenario(in.risk_parameters, in.prices, in.account, order));
  CHECK(refused.code() == ErrorCode::invalid_value);
  CHECK(refused.path() == "/scenario/orders/0/market");
}

TEST_CASE("what-if: vol shocks, time decay and price shocks move option values the way their Greeks say") {
  const codec::EvaluationInput in = book();
  const AccountReport base = report_of(in);
  const auto evaluate_under = [&](const Scenario& s) {
    const ScenarioInputs x = ok_value(apply_scenario(in.risk_parameters, in.prices, in.account, s));
    return ok_value(evaluate(in.risk_parameters, x.prices, x.account));
  };
  Scenario vol;
  vol.volatility_shocks.push_back({"BTC-USD", dec<Ratio>("10")});
  const AccountReport up = evaluate_under(vol);
  const OptionPositionReport& c0 = option(base, "BTC-20261225-60000-C");
  const OptionPositionReport& c1 = option(up, "BTC-20261225-60000-C");
  CHECK(c1.volatility == ok_value(add(c0.volatility, dec<Ratio>("0.1"))));
  // A short call loses about 10 x vega_per_point (second order aside).
  const Money change = ok_value(sub(c1.value, c0.value));
  const Money linear =
      ok_value(mul(dec<Ratio>("10"), Money::from_raw(c0.greeks.vega_per_point.raw()), Round::down));
  CHECK(change.is_negative());
  CHECK(ok_value(sub(change, linear)).abs() < dec<Money>("5"));
  Scenario week;
  week.days_forward = 7;
  const AccountReport later = evaluate_under(week);
  CHECK(later.as_of_ms == base.as_of_ms + 7 * 86'400'000);
  CHECK(option(later, "BTC-20261225-60000-C").value > c0.value);  // the short gains from decay
  Scenario crash;
  crash.shocks.push_back({"BTC-USD", dec<Ratio>("-0.1")});
  const AccountReport down = evaluate_under(crash);
  CHECK(option(down, "BTC-20261225-60000-C").forward == dec<Price>("55062"));  // down(61180 x 0.9)
  CHECK(option(down, "BTC-20261225-60000-C").index_price == dec<Price>("54900"));
}
