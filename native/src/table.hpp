// Human-readable rendering of a report (the JSON report is the source).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace vmargin::cli {

/// A plain-text table of a report document; `color` adds ANSI colours to the
/// status (the words carry the meaning without them).
std::string render_report_table(const nlohmann::json& report, bool color);

/// One pool's figures (and its liquidation plan, if any).
std::string render_pool_table(const std::string& title, const nlohmann::json& pool, bool color);

}  // namespace vmargin::cli
