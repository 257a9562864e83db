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

struct Column {
  std::string key;
  std::string title;
  bool right_aligned;
};

std::string pad(const std::string& s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

void render_pool(std::string& out, const std::string& title, const Json& pool, bool color) {
  static const std::vector<std::pair<std::string, std::string>> rows = {
      {"status", "status"},
      {"equity", "equity"},
      {"collateral_value", "collateral value"},
      {"unrealized_pnl", "unrealized PnL"},
      {"initial_margin", "initial margin"},
      {"maintenance_margin", "maintenance margin"},
      {"free_collateral", "free collateral"},
      {"health", "health (equity - maintenance)"},
      {"margin_ratio", "margin ratio (equity / maintenance)"},
  };
  out += title + "\n";
  std::size_t width = 0;
  for (const auto& [key, label] : rows) width = std::max(width, label.size());
  for (const auto& [key, label] : rows) {
    if (!pool.contains(key)) continue;
    std::string value = text_of(pool[key]);
    if (key == "status") value = status_text(value, color);
    out += "  " + pad(label, width, false) + "  " + value + "\n";
  }
}

}  // namespace

std::string render_report_table(const Json& report, bool color) {
  std::string out;
  out += "Account " + text_of(report.value("account", Json("?")));
  if (report.contains("risk_parameters_version"))
    out += " (risk parameters version " + text_of(report["risk_parameters_version"]) + ")";
  out += "\n\n";
  if (report.contains("cross")) render_pool(out, "Cross margin", report["cross"], color);

  const Json positions = report.value("positions", Json::object());
  if (!positions.empty()) {
    const std::vector<Column> columns = {
        {"", "market", false},
        {"quantity", "quantity", true},
        {"entry_price", "entry", true},
        {"mark_price", "mark", true},
        {"notional", "notional", true},
        {"unrealized_pnl", "unrealized PnL", true},
        {"initial_margin", "initial margin", true},
        {"maintenance_margin", "maintenance margin", true},
    };
    std::vector<std::vector<std::string>> cells;
    for (const auto& [market, p] : positions.items()) {
      std::vector<std::string> row;
      for (const Column& c : columns) row.push_back(c.key.empty() ? market : text_of(p.value(c.key, Json())));
      cells.push_back(std::move(row));
    }
    std::vector<std::size_t> widths;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::size_t w = columns[i].title.size();
      for (const auto& row : cells) w = std::max(w, row[i].size());
      widths.push_back(w);
    }
    out += "\nPositions\n ";
    for (std::size_t i = 0; i < columns.size(); ++i)
      out += " " + pad(columns[i].title, widths[i], columns[i].right_aligned);
    out += "\n";
    for (const auto& row : cells) {
      out += " ";
      for (std::size_t i = 0; i < columns.size(); ++i)
        out += " " + pad(row[i], widths[i], columns[i].right_aligned);
      out += "\n";
    }
  }
  return out;
}

}  // namespace vmargin::cli
