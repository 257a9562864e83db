#include "vmargin/model/input_path.hpp"

namespace vmargin::input_path {

std::string escape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child(std::string_view parent, std::string_view token) {
  std::string out(parent);
  out += '/';
  out += escape(token);
  return out;
}

std::string market(std::string_view market_id) {
  return child(std::string(risk_parameters) + "/markets", market_id);
}
std::string asset(std::string_view asset_id) {
  return child(std::string(risk_parameters) + "/assets", asset_id);
}
std::string feed_risk(std::string_view feed_id) {
  return child(std::string(risk_parameters) + "/feeds", feed_id);
}
std::string feed_price(std::string_view feed_id) { return child(std::string(prices) + "/feeds", feed_id); }
std::string option_market(std::string_view market_id) {
  return child(std::string(risk_parameters) + "/option_markets", market_id);
}
std::string option_rules(std::string_view feed_id) {
  return child(std::string(risk_parameters) + "/option_rules", feed_id);
}
std::string portfolio_margin(std::string_view feed_id) {
  return child(std::string(risk_parameters) + "/portfolio_margin", feed_id);
}
std::string option_expiry(std::string_view feed_id, std::int64_t expiry_ms) {
  return child(child(std::string(prices) + "/option_expiries", feed_id), std::to_string(expiry_ms));
}
std::string open_interest(std::string_view market_id) {
  return child(std::string(prices) + "/open_interest", market_id);
}
std::string total_deposits(std::string_view asset_id) {
  return child(std::string(prices) + "/total_deposits", asset_id);
}
std::string open_order(std::size_t index) {
  return std::string(account) + "/open_orders/" + std::to_string(index);
}
std::string position(std::string_view market_id) {
  return child(std::string(account) + "/positions", market_id);
}
std::string collateral(std::string_view asset_id) {
  return child(std::string(account) + "/collateral", asset_id);
}

}  // namespace vmargin::input_path
