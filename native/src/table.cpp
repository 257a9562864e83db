#include "table.hpp"

#include <algorithm>
#include <vector>

namespace vmargin::cli {
namespace {

using Json = nlohmann::json;

std::string text_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string status_text(const std::string& status, bool color) {
  if (!color) return status;
  const char* code = status == "healthy" ? "32" : status == "margin_call" ? "33" : "31;1";
  return std::string("\x1b[") + code + "m" + status + "\x1b[0m";
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

std::string render_plan(const Json& plan) {
  if (plan.is_null()) return "";
  std::string out =
      "  partial liquidation plan (" +
      std::string(plan.value("restores", false) ? "restores the target" : "does NOT restore the target") +
      "): equity after " + text_of(plan["equity_after"]) + ", maintenance after " +
      text_of(plan["maintenance_margin_after"]) + ", target " + text_of(plan["target"]) + "\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& s : plan["steps"]) {
    rows.push_back(
        {"  " + text_of(s["market"]), text_of(s["reduce_by"]), text_of(s["remaining"]), text_of(s["fee"])});
  }
  if (!rows.empty()) {
    out += render_grid({{"  step", false}, {"reduce by", true}, {"remaining", true}, {"fee", true}}, rows);
  }
  return out;
}

}  // namespace

std::string render_pool_table(const std::string& title, const Json& pool, bool color) {
  static const std::vector<std::pair<std::string, std::string>> rows = {
      {"status", "status"},
      {"equity", "equity"},
      {"maintenance_margin", "maintenance margin"},
      {"health", "health (equity - maintenance)"},
      {"margin_ratio", "margin ratio (equity / maintenance)"},
      {"initial_equity", "initial equity"},
      {"initial_margin", "initial margin"},
      {"free_collateral", "free collateral"},
      {"collateral_value", "collateral value (unweighted)"},
      {"maintenance_collateral_value", "collateral value (maintenance)"},
      {"initial_collateral_value", "collateral value (initial)"},
      {"unrealized_pnl", "unrealized PnL"},
      {"insurance_fund_shortfall", "insurance fund shortfall"},
  };
  std::string out = title + "\n";
  std::size_t width = 0;
  for (const auto& [key, label] : rows) width = std::max(width, label.size());
  for (const auto& [key, label] : rows) {
    if (!pool.contains(key)) continue;
    std::string value = text_of(pool[key]);
    if (key == "status") value = status_text(value, color);
    out += "  " + pad(label, width, false) + "  " + value + "\n";
  }
  if (pool.contains("liquidation_plan")) out += render_plan(pool["liquidation_plan"]);
  return out;
}

std::string render_report_table(const Json& report, bool color) {
  std::string out;
  out += "Account " + text_of(report.value("account", Json("?")));
  if (report.contains("risk_parameters_version"))
    out += " (risk parameters version " + text_of(report["risk_parameters_version"]) + ")";
  if (report.contains("as_of")) out += ", as of " + text_of(report["as_of"]) + " ms";
  out += "\n\n";
  if (report.contains("cross")) out += render_pool_table("Cross margin pool", report["cross"], color);
  const Json isolated = report.value("isolated", Json::object());
  for (const auto& [market, pool] : isolated.items())
    out += "\n" + render_pool_table("Isolated pool: " + market, pool, color);

  const Json positions = report.value("positions", Json::object());
  if (!positions.empty()) {
    const std::vector<std::pair<std::string, Column>> columns = {
        {"", {"market", false}},
        {"pool", {"pool", false}},
        {"quantity", {"quantity", true}},
        {"entry_price", {"entry", true}},
        {"mark_price", {"mark", true}},
        {"notional", {"notional", true}},
        {"unrealized_pnl", {"PnL", true}},
        {"tier", {"tier", true}},
        {"initial_margin", {"initial", true}},
        {"maintenance_margin", {"maintenance", true}},
        {"liquidation_price", {"liquidation", true}},
        {"bankruptcy_price", {"bankruptcy", true}},
        {"adl_index", {"ADL", true}},
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& [market, p] : positions.items()) {
      std::vector<std::string> row;
      for (const auto& [key, col] : columns)
        row.push_back(key.empty() ? market : text_of(p.value(key, Json())));
      rows.push_back(std::move(row));
    }
    std::vector<Column> cols;
    for (const auto& [key, col] : columns) cols.push_back(col);
    out += "\nPositions\n" + render_grid(cols, rows);
  }
  const Json collateral = report.value("collateral", Json::object());
  if (!collateral.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [asset, c] : collateral.items()) {
      rows.push_back({asset, text_of(c["balance"]), text_of(c["price"]), text_of(c["value"]),
                      text_of(c["maintenance_weight"]), text_of(c["maintenance_value"]),
                      text_of(c["initial_weight"]), text_of(c["initial_value"])});
    }
    out += "\nCollateral\n" + render_grid({{"asset", false},
                                           {"balance", true},
                                           {"price", true},
                                           {"value", true},
                                           {"maint. weight", true},
                                           {"maint. value", true},
                                           {"init. weight", true},
                                           {"init. value", true}},
                                          rows);
  }
  return out;
}

}  // namespace vmargin::cli
