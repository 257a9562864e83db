#include "vmargin/codec/loaded_market.hpp"

#include <utility>

#include "vmargin/codec/scenario_codec.hpp"

namespace vmargin::codec {

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
  VMARGIN_TRY(const Json doc, parse_strict_json(scenario, "/scenario"));
  VMARGIN_TRY(const Scenario what_if, decode_scenario(doc));
  VMARGIN_TRY(const AccountReport report, evaluate_account(decoded, what_if));
  return report_text(report, params_.get());
}

Result<LargestOrder> LoadedMarket::largest_order(std::string_view account, const Scenario& scenario,
                                                 const OrderQuery& query) const {
  VMARGIN_TRY(const Account decoded, decode_account_text(account));
  return vmargin::largest_order(params_.get(), prices_, decoded, scenario, query);
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
