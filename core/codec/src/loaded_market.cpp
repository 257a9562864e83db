#include "vmargin/codec/loaded_market.hpp"

#include <utility>

#include "vmargin/codec/scenario_codec.hpp"

namespace vmargin::codec {
namespace {

// A document given as its own text, decoded under its path prefix.
Result<Scenario> decode_scenario_text(std::string_view text) {
  VMARGIN_TRY(const Json doc, parse_strict_json(text, "/scenario"));
  return decode_scenario(doc);
}

Result<OrderQuery> decode_order_query_text(std::string_view text) {
  VMARGIN_TRY(const Json doc, parse_strict_json(text, "/query"));
  return decode_order_query(doc);
}

}  // namespace

Result<LoadedMarket> LoadedMarket::open(std::string_view risk_parameters, std::string_view prices) {
  // The stateless calls decode every document before validating any; so
  // does this, so a handle opens exactly when their errors are not
  // about these two documents.
  VMARGIN_TRY(RiskParameters params, decode_risk_parameters_text(risk_parameters));
  VMARGIN_TRY(MarketState state, decode_market_state_text(prices));
  return open(std::move(params), std::move(state));
}

Result<LoadedMarket> LoadedMarket::open(RiskParameters risk_parameters, MarketState prices) {
  VMARGIN_TRY(ValidatedParameters params, ValidatedParameters::make(std::move(risk_parameters)));
  VMARGIN_CHECK(validate(prices));
  return LoadedMarket(std::move(params), std::move(prices));
}

Result<AccountReport> LoadedMarket::evaluate_account(const Account& account, const Scenario& scenario) const {
  return evaluate_validated(params_, prices_, account, scenario);
}

Result<std::string> LoadedMarket::evaluate(std::string_view account, const Scenario& scenario) const {
  VMARGIN_TRY(const Account decoded, decode_account_text(account));
  VMARGIN_TRY(const AccountReport report, evaluate_account(decoded, scenario));
  return report_text(report, params_.get());
}

Result<std::string> LoadedMarket::evaluate(std::string_view account, std::string_view scenario) const {
  if (scenario.empty()) return evaluate(account, Scenario{});
  // The combined document decodes the account before the scenario.
  VMARGIN_TRY(const Account decoded, decode_account_text(account));
  VMARGIN_TRY(const Scenario what_if, decode_scenario_text(scenario));
  VMARGIN_TRY(const AccountReport report, evaluate_account(decoded, what_if));
  return report_text(report, params_.get());
}

Result<LargestOrder> LoadedMarket::largest_order(std::string_view account, const Scenario& scenario,
                                                 const OrderQuery& query) const {
  VMARGIN_TRY(const Account decoded, decode_account_text(account));
  return vmargin::largest_order(params_.get(), prices_, decoded, scenario, query);
}

Result<std::string> LoadedMarket::largest_order_json(std::string_view account, std::string_view scenario,
                                                     std::string_view query) const {
  // The combined document's order: the account, the scenario, the query.
  VMARGIN_TRY(const Account decoded, decode_account_text(account));
  Scenario what_if;
  if (!scenario.empty()) {
    VMARGIN_TRY(what_if, decode_scenario_text(scenario));
  }
  VMARGIN_TRY(const OrderQuery order, decode_order_query_text(query));
  VMARGIN_TRY(const LargestOrder answer,
              vmargin::largest_order(params_.get(), prices_, decoded, what_if, order));
  return largest_order_text(answer);
}

Status LoadedMarket::update_prices(std::string_view prices) {
  VMARGIN_TRY(MarketState state, decode_market_state_text(prices));
  return update_prices(std::move(state));
}

Status LoadedMarket::update_prices(MarketState prices) {
  VMARGIN_CHECK(validate(prices));
  prices_ = std::move(prices);
  return Ok{};
}

}  // namespace vmargin::codec
