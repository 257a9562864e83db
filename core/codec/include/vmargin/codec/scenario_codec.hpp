// JSON for what-if scenarios and largest-order queries (docs/spec.md §9).
#pragma once

#include <string>
#include <string_view>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/whatif/largest_order.hpp"
#include "vmargin/whatif/scenario.hpp"

namespace vmargin::codec {

/// {"shocks": {feed: ratio}, "collateral": {asset: delta}, "orders": [...]},
/// every member optional; paths under /scenario.
[[nodiscard]] Result<Scenario> decode_scenario(const Json& doc);

/// {"market": id, "side": "buy" | "sell", "price": decimal (optional)}; paths under /query.
[[nodiscard]] Result<OrderQuery> decode_order_query(const Json& doc);

[[nodiscard]] Json encode_largest_order(const LargestOrder& order);

/// The combined document {"risk_parameters", "prices", "account", "scenario"
/// (optional), "query"}: the largest order, as canonical JSON.
[[nodiscard]] Result<std::string> largest_order_json(std::string_view input);

/// "BTC-USD=-10%" or "BTC-USD=-0.1" (the CLI's --shock) into a shock.
[[nodiscard]] Result<PriceShock> parse_shock_argument(std::string_view text);

}  // namespace vmargin::codec
