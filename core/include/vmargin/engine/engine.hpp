// The engine: a pure function from (risk parameters, prices, account) to a
// report. Same inputs, same report, on every target.
#pragma once

#include <cstddef>

#include "vmargin/engine/report.hpp"
#include "vmargin/error.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"

namespace vmargin {

struct EvaluationOptions {
  /// Liquidation and bankruptcy prices of every position (§7.1-§7.2).
  bool liquidation_prices = true;
  /// Partial-liquidation plans of liquidatable and bankrupt pools (§7.3).
  bool liquidation_plans = true;
  /// Evaluations each price search may use (see BoundarySearch::budget).
  std::size_t search_budget = 512;
};

/// Validates the three inputs, resolves every reference (markets, assets,
/// feeds) and evaluates the account. Errors carry the JSON pointer of the
/// offending input within {"risk_parameters", "prices", "account"}.
[[nodiscard]] Result<AccountReport> evaluate(const RiskParameters& params, const MarketState& prices,
                                             const Account& account, const EvaluationOptions& options = {});

/// The same with parameters validated once beforehand (the tick path).
[[nodiscard]] Result<AccountReport> evaluate(const ValidatedParameters& params, const MarketState& prices,
                                             const Account& account, const EvaluationOptions& options = {});

}  // namespace vmargin
