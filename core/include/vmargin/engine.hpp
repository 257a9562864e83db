// The engine: a pure function from (risk parameters, prices, account) to a
// report. Same inputs, same report, on every target.
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/report.hpp"

namespace vmargin {

/// Validates the three inputs, resolves every reference (markets, assets,
/// feeds) and evaluates the account. Errors carry the JSON pointer of the
/// offending input within {"risk_parameters", "prices", "account"}.
[[nodiscard]] Result<AccountReport> evaluate(const RiskParameters& params, const MarketState& prices,
                                             const Account& account);

}  // namespace vmargin
