// Where in the input a value came from, as a JSON pointer (RFC 6901) into the
// evaluation input {"risk_parameters": ..., "prices": ..., "account": ...}.
// The core never sees JSON, but its errors must say which input was wrong in
// terms a user can find, so the document layout is named here, once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vmargin::input_path {

/// Escapes one reference token: "~" -> "~0", "/" -> "~1".
[[nodiscard]] std::string escape(std::string_view token);

/// "<parent>/<escaped token>".
[[nodiscard]] std::string child(std::string_view parent, std::string_view token);

inline constexpr std::string_view risk_parameters = "/risk_parameters";
inline constexpr std::string_view prices = "/prices";
inline constexpr std::string_view account = "/account";

[[nodiscard]] std::string market(std::string_view market_id);
[[nodiscard]] std::string asset(std::string_view asset_id);
[[nodiscard]] std::string feed_risk(std::string_view feed_id);
[[nodiscard]] std::string feed_price(std::string_view feed_id);
[[nodiscard]] std::string option_market(std::string_view market_id);
[[nodiscard]] std::string option_rules(std::string_view feed_id);
[[nodiscard]] std::string portfolio_margin(std::string_view feed_id);
/// "/prices/option_expiries/<feed>/<expiry ms>"
[[nodiscard]] std::string option_expiry(std::string_view feed_id, std::int64_t expiry_ms);
/// "/prices/open_interest/<market>", "/prices/total_deposits/<asset>"
[[nodiscard]] std::string open_interest(std::string_view market_id);
[[nodiscard]] std::string total_deposits(std::string_view asset_id);
[[nodiscard]] std::string position(std::string_view market_id);
[[nodiscard]] std::string collateral(std::string_view asset_id);
/// "/account/open_orders/<index>"
[[nodiscard]] std::string open_order(std::size_t index);

}  // namespace vmargin::input_path
