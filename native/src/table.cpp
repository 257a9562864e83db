#include "table.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "terminal_text.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin::cli {
namespace {

template <class T>
std::string text_of(const std::optional<T>& value) {
  return value ? vmargin::to_string(*value) : std::string("-");
}

std::string status_text(MarginStatus status, bool color) {
  const std::string name(status_name(status));
  if (!color) return name;
  const char* code = status == MarginStatus::healthy       ? "32"
                     : status == MarginStatus::margin_call ? "33"
                                                           : "31;1";
  return std::string("\x1b[") + code + "m" + name + "\x1b[0m";
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

struct Column {
  std::string title;
  bool right_aligned;
};

std::string render_grid(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::size_t w = columns[i].title.size();
    for (const auto& row : rows) w = std::max(w, row[i].size());
    widths.push_back(w);
  }
  std::string out = " ";
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += " " + pad(columns[i].title, widths[i], columns[i].right_aligned);
  out += "\n";
  for (const auto& row : rows) {
    out += " ";
    for (std::size_t i = 0; i < columns.size(); ++i)
      out += " " + pad(row[i], widths[i], columns[i].right_aligned);
    out += "\n";
  }
  return out;
}

std::string render_plan(const LiquidationPlan& plan) {
  std::string out = "  partial liquidation plan (" +
                    std::string(plan.restores ? "restores the target" : "does NOT restore the target") +
                    "): equity after " + to_string(plan.equity_after) + ", maintenance after " +
                    to_string(plan.maintenance_margin_after) + ", target " + to_string(plan.target) + "\n";
  std::vector<std::vector<std::string>> rows;
  for (const LiquidationStep& s : plan.steps)
    rows.push_back(
        {"  " + terminal_safe(s.market), to_string(s.reduce_by), to_string(s.remaining), to_string(s.fee)});
  if (!rows.empty())
    out += render_grid({{"  step", false}, {"reduce by", true}, {"remaining", true}, {"fee", true}}, rows);
  return out;
}

std::string render_positions(const std::vector<PositionReport>& positions) {
  if (positions.empty()) return "";
  const std::vector<Column> columns = {
      {"market", false}, {"pool", false},       {"quantity", true},    {"entry", true},
      {"mark", true},    {"notional", true},    {"PnL", true},         {"tier", true},
      {"initial", true}, {"maintenance", true}, {"liquidation", true}, {"bankruptcy", true},
      {"ADL", true},
  };
  // The open-interest margin (spec §5.7), only when a market has one.
  const bool open_interest = std::any_of(positions.begin(), positions.end(), [](const PositionReport& p) {
    return p.open_interest_margin.has_value();
  });
  // The PnL each equity counts (spec §5.10), only when a market weighs profit.
  const bool initial_weighted = std::any_of(positions.begin(), positions.end(), [](const PositionReport& p) {
    return p.initial_unrealized_pnl.has_value();
  });
  const bool maintenance_weighted =
      std::any_of(positions.begin(), positions.end(),
                  [](const PositionReport& p) { return p.maintenance_unrealized_pnl.has_value(); });
  std::vector<Column> shown = columns;
  if (open_interest) shown.insert(shown.begin() + 9, Column{"of it OI", true});
  if (maintenance_weighted) shown.insert(shown.begin() + 7, Column{"PnL counted", true});
  if (initial_weighted) shown.insert(shown.begin() + 7, Column{"PnL initial", true});
  std::vector<std::vector<std::string>> rows;
  for (const PositionReport& p : positions) {
    rows.push_back({terminal_safe(p.market), p.isolated ? "isolated" : "cross", to_string(p.quantity),
                    to_string(p.entry_price), to_string(p.mark_price), to_string(p.notional),
                    to_string(p.unrealized_pnl), std::to_string(p.tier + 1), to_string(p.initial_margin),
                    to_string(p.maintenance_margin), text_of(p.liquidation_price),
                    text_of(p.bankruptcy_price), text_of(p.adl_index)});
    if (open_interest) rows.back().insert(rows.back().begin() + 9, text_of(p.open_interest_margin));
    if (maintenance_weighted)
      rows.back().insert(rows.back().begin() + 7, text_of(p.maintenance_unrealized_pnl));
    if (initial_weighted) rows.back().insert(rows.back().begin() + 7, text_of(p.initial_unrealized_pnl));
  }
  return "\nPositions\n" + render_grid(shown, rows);
}

std::string render_collateral(const std::vector<CollateralReport>& collateral) {
  if (collateral.empty()) return "";
  // The deposits compared with a deposit limit (spec §5.8), only when an asset has one.
  const bool limits = std::any_of(collateral.begin(), collateral.end(),
                                  [](const CollateralReport& c) { return c.has_deposit_limit; });
  std::vector<std::vector<std::string>> rows;
  for (const CollateralReport& c : collateral) {
    rows.push_back({terminal_safe(c.asset), to_string(c.balance), to_string(c.price), to_string(c.value),
                    to_string(c.maintenance_weight), to_string(c.maintenance_value),
                    to_string(c.initial_weight), to_string(c.initial_value)});
    if (limits) rows.back().push_back(c.has_deposit_limit ? text_of(c.total_deposits_value) : "");
  }
  std::vector<Column> columns = {{"asset", false},       {"balance", true},       {"price", true},
                                 {"value", true},        {"maint. weight", true}, {"maint. value", true},
                                 {"init. weight", true}, {"init. value", true}};
  if (limits) columns.push_back(Column{"all deposits", true});
  return "\nCollateral\n" + render_grid(columns, rows);
}

std::string render_options(const AccountReport& report) {
  if (report.option_positions.empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const OptionPositionReport& o : report.option_positions) {
    rows.push_back({terminal_safe(o.market), o.isolated ? "isolated" : "cross", to_string(o.quantity),
                    o.settled ? "settled" : std::to_string(o.seconds_to_expiry / 86400) + "d",
                    to_string(o.volatility), to_string(o.mark_price), to_string(o.value),
                    to_string(o.initial_margin), to_string(o.maintenance_margin), to_string(o.greeks.delta),
                    to_string(o.greeks.gamma), to_string(o.greeks.vega_per_point),
                    to_string(o.greeks.theta_per_day)});
  }
  std::string out =
      "\nOptions (per position; delta in underlying units, gamma per 1 of the index, vega per vol point, "
      "theta per day)\n" +
      render_grid({{"market", false},
                   {"pool", false},
                   {"quantity", true},
                   {"expires", true},
                   {"vol", true},
                   {"mark", true},
                   {"value", true},
                   {"initial", true},
                   {"maintenance", true},
                   {"delta", true},
                   {"gamma", true},
                   {"vega/pt", true},
                   {"theta/day", true}},
                  rows);
  rows.clear();
  for (const OptionExpiryReport& e : report.option_expiries) {
    rows.push_back({e.isolated_market ? terminal_safe(*e.isolated_market) : std::string("cross"),
                    terminal_safe(e.feed), std::to_string(e.expiry_ms), to_string(e.standard_maintenance),
                    to_string(e.netted_maintenance), to_string(e.maintenance_margin),
                    to_string(e.initial_margin)});
  }
  out += "\nOption expiries (requirement: the smaller of standard and netted max loss)\n" +
         render_grid({{"pool", false},
                      {"feed", false},
                      {"expiry (ms)", true},
                      {"standard maint.", true},
                      {"netted maint.", true},
                      {"maintenance", true},
                      {"initial", true}},
                     rows);
  rows.clear();
  for (const UnderlyingGreeksReport& u : report.option_underlyings) {
    rows.push_back({terminal_safe(u.feed), to_string(u.greeks.delta), to_string(u.greeks.gamma),
                    to_string(u.greeks.vega_per_point), to_string(u.greeks.theta_per_day)});
  }
  return out + "\nGreeks per underlying\n" +
         render_grid(
             {{"feed", false}, {"delta", true}, {"gamma", true}, {"vega/pt", true}, {"theta/day", true}},
             rows);
}

// Portfolio margin (docs/spec.md §14.5): per underlying its requirements,
// then its scenarios in parameter order, the worst marked.
std::string render_portfolio(const PortfolioMargin& pm) {
  std::string out;
  for (const UnderlyingMargin& u : pm.underlyings) {
    out += "\nPortfolio margin " + terminal_safe(u.feed) + " (worst scenario #" +
           std::to_string(u.worst.index) + ", first minimum wins a tie)\n";
    out += render_grid(
        {{"worst loss", true},
         {"option contingency", true},
         {"future contingency", true},
         {"maintenance", true},
         {"initial", true}},
        {{to_string(u.worst_loss), to_string(u.option_contingency), to_string(u.future_contingency),
          to_string(u.maintenance_margin), to_string(u.initial_margin)}});
    std::vector<std::vector<std::string>> rows;
    for (std::size_t k = 0; k < u.scenarios.size(); ++k) {
      rows.push_back({std::to_string(k), to_string(u.scenarios[k].spot_move),
                      std::string(scenario_volatility_name(u.scenarios[k].volatility)), to_string(u.pnl[k]),
                      k == u.worst.index ? "worst" : ""});
    }
    out += render_grid({{"#", true}, {"spot move", true}, {"volatility", false}, {"PnL", true}, {"", false}},
                       rows);
  }
  return out;
}

}  // namespace

std::string render_pool_table(const std::string& title, const PoolReport& pool, bool color) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"status", status_text(pool.status, color)},
      {"equity", to_string(pool.equity)},
      {"maintenance margin", to_string(pool.maintenance_margin)},
      {"health (equity - maintenance)", to_string(pool.health)},
      {"margin ratio (equity / maintenance)", text_of(pool.margin_ratio)},
      {"initial equity", to_string(pool.initial_equity)},
      {"initial margin", to_string(pool.initial_margin)},
      {"free collateral", to_string(pool.free_collateral)},
      {"collateral value (unweighted)", to_string(pool.collateral_value)},
      {"collateral value (maintenance)", to_string(pool.maintenance_collateral_value)},
      {"collateral value (initial)", to_string(pool.initial_collateral_value)},
      {"unrealized PnL", to_string(pool.unrealized_pnl)},
      {"insurance fund shortfall", to_string(pool.insurance_fund_shortfall)},
  };
  if (pool.open_orders_margin) {  // spec §5.9: after "initial margin", which includes it
    rows.insert(rows.begin() + 7, {"  of it, open orders", to_string(*pool.open_orders_margin)});
  }
  if (!pool.option_value.is_zero())
    rows.push_back({"option value (toward equity)", to_string(pool.option_value)});
  if (pool.liquidation_prices_unavailable) {
    rows.push_back({"liquidation prices", "n/a (portfolio margin: not defined yet)"});
    if (pool.liquidation_plan_unavailable) rows.push_back({"liquidation plan", "n/a (portfolio margin)"});
  } else if (pool.liquidation_plan_unavailable) {
    rows.push_back({"liquidation plan", "n/a (pool holds options)"});
  }
  for (const PriceBoundaries& b : pool.price_boundaries) {
    rows.push_back({"liquidation " + terminal_safe(b.feed) + " below / above",
                    text_of(b.liquidation_below) + " / " + text_of(b.liquidation_above)});
    rows.push_back({"bankruptcy " + terminal_safe(b.feed) + " below / above",
                    text_of(b.bankruptcy_below) + " / " + text_of(b.bankruptcy_above)});
  }
  std::size_t width = 0;
  for (const auto& [label, value] : rows) width = std::max(width, label.size());
  std::string out = title + "\n";
  for (const auto& [label, value] : rows) out += "  " + pad(label, width, false) + "  " + value + "\n";
  if (pool.liquidation_plan) out += render_plan(*pool.liquidation_plan);
  return out;
}

std::string render_report_table(const AccountReport& report, std::uint64_t risk_parameters_version,
                                bool color) {
  // Ids come from the inputs: escaped (terminal_safe), so that none can
  // move the cursor or forge a line of this table.
  std::string out = "Account " + terminal_safe(report.account) + " (risk parameters version " +
                    std::to_string(risk_parameters_version) + "), as of " + std::to_string(report.as_of_ms) +
                    " ms\n\n";
  const bool portfolio = report.margin_mode == MarginMode::portfolio;
  out += render_pool_table(portfolio ? "Cross margin pool (portfolio margin)" : "Cross margin pool",
                           report.cross, color);
  for (const IsolatedPoolReport& p : report.isolated)
    out += "\n" + render_pool_table("Isolated pool: " + terminal_safe(p.market), p.pool, color);
  return out + render_positions(report.positions) + render_options(report) +
         (portfolio ? render_portfolio(report.portfolio_margin) : std::string()) +
         render_collateral(report.collateral);
}

std::string render_largest_order(const LargestOrder& order, bool color) {
  return "Largest " + std::string(order.side == OrderSide::buy ? "buy" : "sell") + " order in " +
         terminal_safe(order.market) + " at " + to_string(order.price) + ": " + to_string(order.quantity) +
         "\n\n" + render_pool_table("Pool after the order", order.pool_after, color);
}

}  // namespace vmargin::cli
