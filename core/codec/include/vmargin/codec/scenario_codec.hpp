// JSON for what-if scenarios and largest-order queries (docs/spec.md §9).
#pragma once

#include <optional>
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

/// The largest order as canonical text: canonical_dump(encode_largest_order(order)).
[[nodiscard]] std::string largest_order_text(const LargestOrder& order);

/// The combined document {"risk_parameters", "prices", "account", "scenario"
/// (optional), "query"}: the largest order, typed.
[[nodiscard]] Result<LargestOrder> largest_order_of(std::string_view input);
/// The same with the three documents as separate texts, each decoded under
/// its own path prefix (as evaluate_json's separate-text overload does), a
/// decoded scenario and query.
[[nodiscard]] Result<LargestOrder> largest_order_of(std::string_view risk_parameters, std::string_view prices,
                                                    std::string_view account, const Scenario& scenario,
                                                    const OrderQuery& query);

/// largest_order_of(...) as canonical JSON.
[[nodiscard]] Result<std::string> largest_order_json(std::string_view input);
[[nodiscard]] Result<std::string> largest_order_json(std::string_view risk_parameters,
                                                     std::string_view prices, std::string_view account,
                                                     const Scenario& scenario, const OrderQuery& query);

/// The CLI's --market, --side and --price as a query, decoded as the
/// document {"market", "side", "price"} would be (errors under /query).
[[nodiscard]] Result<OrderQuery> order_query_of(std::string_view market, std::string_view side,
                                                const std::optional<std::string>& price);

/// "BTC-USD=-10%" or "BTC-USD=-0.1" (the CLI's --shock) into a shock.
[[nodiscard]] Result<PriceShock> parse_shock_argument(std::string_view text);

}  // namespace vmargin::codec
