// A market handle (issue 14): risk parameters and prices decoded and
// validated once, then any number of accounts evaluated against them, and
// the prices replaced per tick. Every result is the stateless call's:
// evaluate(account) is byte for byte evaluate_json(risk_parameters, prices,
// account), errors included (same codes, same JSON paths), for every input
// the handle could be opened with. Nothing here computes a figure: it holds
// what decode_*_text and ValidatedParameters::make return and hands it to
// evaluate_validated and report_text.
#pragma once

#include <string>
#include <string_view>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/whatif/largest_order.hpp"

namespace vmargin::codec {

class LoadedMarket {
 public:
  /// The two documents' texts, strictly parsed and decoded (errors under
  /// /risk_parameters and /prices, as the stateless calls report them),
  /// then the parameters validated, then the prices.
  [[nodiscard]] static Result<LoadedMarket> open(std::string_view risk_parameters, std::string_view prices);
  /// The same from decoded documents.
  [[nodiscard]] static Result<LoadedMarket> open(RiskParameters risk_parameters, MarketState prices);

  /// The canonical report of one account (its JSON text), the scenario (if
  /// any, docs/spec.md §9) applied first: evaluate_json(risk_parameters,
  /// prices, account, scenario).
  [[nodiscard]] Result<std::string> evaluate(std::string_view account, const Scenario& scenario = {}) const;
  /// The same with the scenario as JSON text (errors under /scenario); ""
  /// for none.
  [[nodiscard]] Result<std::string> evaluate(std::string_view account, std::string_view scenario) const;
  /// The typed report of a decoded account (faces that do not want text).
  [[nodiscard]] Result<AccountReport> evaluate_account(const Account& account,
                                                       const Scenario& scenario = {}) const;

  /// largest_order(risk_parameters, prices, account, scenario, query), the
  /// account as text (the order search validates the parameters itself).
  [[nodiscard]] Result<LargestOrder> largest_order(std::string_view account, const Scenario& scenario,
                                                   const OrderQuery& query) const;

  /// The same with the scenario ("" for none) and the query as JSON text
  /// (errors under /scenario and /query), the answer as canonical text:
  /// largest_order_json(risk_parameters, prices, account, scenario, query).
  [[nodiscard]] Result<std::string> largest_order_json(std::string_view account, std::string_view scenario,
                                                       std::string_view query) const;

  /// Replaces the prices (decoded and validated as open() does); on an
  /// error the handle keeps the prices it had.
  [[nodiscard]] Status update_prices(std::string_view prices);
  [[nodiscard]] Status update_prices(MarketState prices);

  [[nodiscard]] const RiskParameters& risk_parameters() const noexcept { return params_.get(); }
  [[nodiscard]] const MarketState& prices() const noexcept { return prices_; }

 private:
  LoadedMarket(ValidatedParameters params, MarketState prices)
      : params_(std::move(params)), prices_(std::move(prices)) {}

  ValidatedParameters params_;
  MarketState prices_;
};

}  // namespace vmargin::codec
