#include "vmargin/engine.hpp"

#include <string>

#include "vmargin/margin/health.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/margin/requirement.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// Adds where and what to an error from a step of the evaluation.
auto in_position(const Position& p, const char* what) {
  return [&p, what](Error& e) {
    e.at(input_path::position(p.market)).context(std::string(what) + " of " + p.market);
  };
}

Result<PositionReport> evaluate_position(const Position& p, const Market& market, Price mark) {
  PositionReport r;
  r.market = p.market;
  r.quantity = p.quantity;
  r.entry_price = p.entry_price;
  r.mark_price = mark;
  VMARGIN_TRY(r.notional,
              linear_notional(p.quantity, mark).on_error(in_position(p, "notional (|quantity| x mark)")));
  VMARGIN_TRY(
      r.unrealized_pnl,
      linear_unrealized_pnl(p.quantity, p.entry_price, mark).on_error(in_position(p, "unrealized PnL")));
  VMARGIN_TRY(r.initial_margin,
              margin_requirement(r.notional, market.initial_rate).on_error(in_position(p, "initial margin")));
  VMARGIN_TRY(
      r.maintenance_margin,
      margin_requirement(r.notional, market.maintenance_rate).on_error(in_position(p, "maintenance margin")));
  return r;
}

auto in_pool(const char* what) {
  return [what](Error& e) { e.at(input_path::account).context(what); };
}

}  // namespace

Result<AccountReport> evaluate(const RiskParameters& params, const MarketState& prices,
                               const Account& account) {
  VMARGIN_CHECK(validate(params));
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(account));

  AccountReport report;
  report.account = account.id;
  PoolReport& cross = report.cross;

  for (const CollateralBalance& b : account.collateral) {
    if (b.asset != params.settlement_asset) {
      return Error(ErrorCode::unknown_asset,
                   "collateral asset \"" + b.asset + "\" is not accepted; the risk parameters accept \"" +
                       params.settlement_asset + "\"",
                   input_path::collateral(b.asset));
    }
    VMARGIN_TRY(cross.collateral_value,
                add(cross.collateral_value, b.amount).on_error(in_pool("collateral value")));
  }

  report.positions.reserve(account.positions.size());
  for (const Position& p : account.positions) {
    const Market* market = params.find_market(p.market);
    if (market == nullptr) {
      return Error(ErrorCode::unknown_market,
                   "market \"" + p.market + "\" is not defined in the risk parameters",
                   input_path::position(p.market));
    }
    const FeedPrice* price = prices.find(market->feed);
    if (price == nullptr) {
      return Error(ErrorCode::missing_price,
                   "no mark price for feed \"" + market->feed + "\", which marks " + p.market,
                   input_path::feed_price(market->feed));
    }
    VMARGIN_TRY(PositionReport r, evaluate_position(p, *market, price->mark));
    VMARGIN_TRY(cross.unrealized_pnl,
                add(cross.unrealized_pnl, r.unrealized_pnl).on_error(in_pool("total unrealized PnL")));
    VMARGIN_TRY(cross.initial_margin,
                add(cross.initial_margin, r.initial_margin).on_error(in_pool("total initial margin")));
    VMARGIN_TRY(
        cross.maintenance_margin,
        add(cross.maintenance_margin, r.maintenance_margin).on_error(in_pool("total maintenance margin")));
    report.positions.push_back(std::move(r));
  }

  VMARGIN_TRY(cross.equity, add(cross.collateral_value, cross.unrealized_pnl).on_error(in_pool("equity")));
  VMARGIN_TRY(const Money free, sub(cross.equity, cross.initial_margin).on_error(in_pool("free collateral")));
  cross.free_collateral = max_of(free, Money::zero());
  VMARGIN_TRY(cross.health, sub(cross.equity, cross.maintenance_margin).on_error(in_pool("health")));
  cross.margin_ratio = margin_ratio(cross.equity, cross.maintenance_margin);
  cross.status = classify(cross.equity, cross.maintenance_margin, params.margin_call_ratio);
  return report;
}

}  // namespace vmargin
