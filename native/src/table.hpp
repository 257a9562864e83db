// Human-readable rendering of a report, from the typed report itself (the
// same evaluation the JSON output is written from).
#pragma once

#include <cstdint>
#include <string>

#include "vmargin/engine/report.hpp"
#include "vmargin/whatif/largest_order.hpp"

namespace vmargin::cli {

/// A plain-text table of a report; `color` adds ANSI colours to the status
/// (the words carry the meaning without them).
std::string render_report_table(const AccountReport& report, std::uint64_t risk_parameters_version,
                                bool color);

/// One pool's figures (and its liquidation plan, if any).
std::string render_pool_table(const std::string& title, const PoolReport& pool, bool color);

/// The largest order and the pool after it.
std::string render_largest_order(const LargestOrder& order, bool color);

}  // namespace vmargin::cli
