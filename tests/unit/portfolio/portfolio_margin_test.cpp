// Portfolio margin of a pool (docs/spec.md §14.3-§14.5): the tie rule, the
// scenario PnL recomposed from its definition, the contingencies, the
// requirements, the report's limits and the binding errors. The books are
// the inputs of conformance vectors (tests/vectors/portfolio/).
#include "vmargin/portfolio/portfolio_margin.hpp"

#include <string>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"
#include "vmargin/whatif/largest_order.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

codec::EvaluationInput vector_input(const std::string& name) {
  const auto dir = test::option("vmargin-vectors");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-vectors=DIR");
  const auto text = test::read_text_file(*dir + "/" + name + ".json");
  REQUIRE_MESSAGE(text.has_value(), name);
  const codec::Json doc = ok_value(codec::parse_strict_json(*text));
  return ok_value(codec::decode_evaluation_input(doc.at("input")));
}

Money m(const char* text) { return dec<Money>(text); }

}  // namespace

TEST_CASE("worst scenario: the first minimum wins a tie") {
  CHECK(worst_scenario({m("0"), m("-5"), m("-5"), m("3")}).index == 1);
  CHECK(worst_scenario({m("0"), m("0"), m("0")}).index == 0);
  const WorstScenario w = worst_scenario({m("1"), m("0"), m("-2"), m("-1"), m("-2.000000000000000001")});
  CHECK(w.index == 4);
  CHECK(w.pnl == m("-2.000000000000000001"));
}

TEST_CASE("a long perpetual: PnL q x (shocked mark - mark) per scenario, worst at -R, future contingency") {
  const codec::EvaluationInput in = vector_input("portfolio/perp_long");
  const AccountValuation a = ok_value(value_account(in.risk_parameters, in.prices, in.account));
  const PortfolioMargin pm = ok_value(portfolio_margin(a, a.cross));
  REQUIRE(pm.underlyings.size() == 1);
  const UnderlyingMargin& u = pm.underlyings.front();
  const PortfolioMarginParameters& p = *in.risk_parameters.find_portfolio_margin("BTC-USD");
  const Price mark = in.prices.find("BTC-USD")->mark;
  const Quantity q = in.account.positions.front().quantity;
  REQUIRE(u.pnl.size() == u.scenarios.size());
  for (std::size_t k = 0; k < u.pnl.size(); ++k) {
    const Price shocked = ok_value(shocked_price(mark, u.scenarios[k].spot_move));
    CHECK(u.pnl[k] == ok_value(mul(q, ok_value(price_move(shocked, mark)), Round::down)));
  }
  CHECK(u.worst.index == 0);
  const Money notional = ok_value(mul(q.abs(), mark, Round::up));
  CHECK(u.future_contingency == ok_value(mul(notional, p.future_contingency_rate, Round::up)));
  CHECK(u.option_contingency == Money::zero());
  CHECK(u.maintenance_margin ==
        ok_value(add(ok_value(mul(u.worst_loss, p.mm_factor, Round::up)), u.future_contingency)));
  CHECK(u.initial_margin ==
        ok_value(add(ok_value(mul(u.worst_loss, p.im_factor, Round::up)), u.future_contingency)));
}

TEST_CASE(
    "a mixed book: (0, unchanged) is 0, MM <= IM, the report's cross pool carries the PM requirements") {
  const codec::EvaluationInput in = vector_input("portfolio/mixed_book");
  const AccountValuation a = ok_value(value_account(in.risk_parameters, in.prices, in.account));
  const PortfolioMargin pm = ok_value(portfolio_margin(a, a.cross));
  REQUIRE(pm.underlyings.size() == 1);
  const UnderlyingMargin& u = pm.underlyings.front();
  for (std::size_t k = 0; k < u.scenarios.size(); ++k) {
    if (u.scenarios[k].spot_move.is_zero() && u.scenarios[k].volatility == ScenarioVolatility::unchanged)
      CHECK(u.pnl[k] == Money::zero());
    CHECK(u.pnl[u.worst.index] <= u.pnl[k]);
  }
  CHECK(u.maintenance_margin <= u.initial_margin);
  CHECK(u.option_contingency.is_positive());  // 2 naked short December 60000 calls
  const AccountReport r = ok_value(evaluate(in.risk_parameters, in.prices, in.account));
  CHECK(r.margin_mode == MarginMode::portfolio);
  CHECK(r.cross.initial_margin == pm.initial_margin);
  CHECK(r.cross.maintenance_margin == pm.maintenance_margin);
  CHECK(r.cross.health == ok_value(sub(r.cross.equity, pm.maintenance_margin)));
  CHECK(r.cross.liquidation_prices_unavailable);
  CHECK(r.cross.price_boundaries.empty());
  for (const PositionReport& p : r.positions) {
    CHECK_FALSE(p.liquidation_price.has_value());
    CHECK_FALSE(p.bankruptcy_price.has_value());
  }
}

TEST_CASE("a liquidatable portfolio pool gets no plan, explicitly") {
  const codec::EvaluationInput in = vector_input("portfolio/liquidatable_no_prices_no_plan");
  const AccountReport r = ok_value(evaluate(in.risk_parameters, in.prices, in.account));
  CHECK(r.cross.status == MarginStatus::liquidatable);
  CHECK_FALSE(r.cross.liquidation_plan.has_value());
  CHECK(r.cross.liquidation_plan_unavailable);
}

TEST_CASE("the same book in standard mode keeps the standard requirements") {
  codec::EvaluationInput in = vector_input("portfolio/mixed_book");
  in.account.margin_mode = MarginMode::standard;
  const AccountReport r = ok_value(evaluate(in.risk_parameters, in.prices, in.account));
  CHECK(r.portfolio_margin.underlyings.empty());
  CHECK_FALSE(r.cross.liquidation_prices_unavailable);
}

TEST_CASE("binding errors: a feed without parameters, an inverse market") {
  const codec::EvaluationInput feed = vector_input("errors/portfolio/feed_without_parameters");
  const Error e = error_of(evaluate(feed.risk_parameters, feed.prices, feed.account));
  CHECK(e.code() == ErrorCode::invalid_value);
  CHECK(e.path() == "/account/positions/ETH-PERP");
  CHECK(
      e.message() ==
      "ETH-PERP is on feed ETH-USD, which has no portfolio margin parameters; a portfolio-margin pool cannot "
      "hold it");
  const codec::EvaluationInput inv = vector_input("errors/portfolio/inverse_perpetual");
  const Error i = error_of(evaluate(inv.risk_parameters, inv.prices, inv.account));
  CHECK(i.path() == "/account/positions/BTC-USD-INV");
  CHECK(i.message() ==
        "BTC-USD-INV is an inverse market; portfolio margin supports linear markets only (not yet "
        "inverse)");
}

TEST_CASE("parameter validation: the ranges of §14.1 in their order") {
  codec::EvaluationInput in = vector_input("portfolio/perp_long");
  RiskParameters p = in.risk_parameters;
  p.portfolio_margin.front().price_range = Ratio::one();
  p.portfolio_margin.front().buckets = 0;
  const Error e = error_of(evaluate(p, in.prices, in.account));
  CHECK(e.path() == "/risk_parameters/portfolio_margin/BTC-USD/price_range");
  CHECK(e.message() == "price_range 1 of BTC-USD is outside (0, 1)");
  p = in.risk_parameters;
  p.portfolio_margin.front().im_factor = dec<Ratio>("0.5");
  CHECK(error_of(evaluate(p, in.prices, in.account)).message() ==
        "im_factor 0.5 of BTC-USD is outside [mm_factor, 10]");
}

TEST_CASE("the largest order is refused for a portfolio account") {
  const codec::EvaluationInput in = vector_input("portfolio/perp_long");
  OrderQuery query;
  query.market = "BTC-PERP";
  const Error e = error_of(largest_order(in.risk_parameters, in.prices, in.account, {}, query));
  CHECK(e.code() == ErrorCode::invalid_value);
  CHECK(e.path() == "/account/margin_mode");
}
