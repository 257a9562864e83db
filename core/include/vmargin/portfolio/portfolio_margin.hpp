// Portfolio margin of a pool (docs/spec.md §14): per underlying, the PnL of
// every grid scenario (options repriced on the shocked forward with the
// shocked volatility, perpetuals and futures revalued, offsetting
// collateral moved), the worst loss (first minimum in parameter order), the
// contingencies, and the requirements that replace the pool's standard ones.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/portfolio/scenario_grid.hpp"
#include "vmargin/valuation/account_valuation.hpp"

namespace vmargin {

/// The worst scenario: the first index of the smallest PnL.
struct WorstScenario {
  std::size_t index = 0;
  Money pnl;
};

/// One underlying's figures. Invariant: maintenance_margin <= initial_margin.
struct UnderlyingMargin {
  std::string feed;
  std::vector<GridScenario> scenarios;  ///< parameter order
  std::vector<Money> pnl;               ///< per scenario
  WorstScenario worst;
  Money worst_loss;  ///< -worst.pnl (>= 0: scenario (0, unchanged) is 0)
  Money option_contingency;
  Money future_contingency;
  Money initial_margin;      ///< up(im_factor x worst_loss) + contingencies
  Money maintenance_margin;  ///< up(mm_factor x worst_loss) + contingencies
};

struct PortfolioMargin {
  std::vector<UnderlyingMargin> underlyings;  ///< ascending feed
  Money initial_margin;                       ///< sums over the underlyings
  Money maintenance_margin;
};

/// §14.1's binding rules for a portfolio pool: linear markets only, every
/// feed with portfolio margin parameters. Errors at the position.
[[nodiscard]] Status check_portfolio_pool(const AccountValuation& account, const PoolValuation& pool);

/// The feeds the pool holds a linear position or an option on, ascending.
[[nodiscard]] std::vector<std::string> pool_underlyings(const AccountValuation& account,
                                                        const PoolValuation& pool);

/// The first minimum: strict <, so ties go to the earlier scenario.
/// Precondition: `pnl` is not empty.
[[nodiscard]] WorstScenario worst_scenario(const std::vector<Money>& pnl) noexcept;

/// An option's term in a scenario: down(q x V') - value, 0 when settled;
/// `scale` is volatility_scale() of its expiry.
[[nodiscard]] Result<Money> option_scenario_pnl(const OptionValuation& option,
                                                const PortfolioMarginParameters& params,
                                                const GridScenario& scenario, Ratio scale);

/// The PnL of `feed`'s book in one scenario (§14.3); `scales` holds
/// volatility_scale() per option of the pool, in the pool's option order.
[[nodiscard]] Result<Money> scenario_pnl(const AccountValuation& account, const PoolValuation& pool,
                                         const PortfolioMarginParameters& params,
                                         const GridScenario& scenario, const std::vector<Ratio>& scales);

/// Σ over (expiry, strike) of up(up(naked x index) x rate), naked = max(-Σ q, 0).
[[nodiscard]] Result<Money> option_contingency(const AccountValuation& account, const PoolValuation& pool,
                                               const PortfolioMarginParameters& params);

/// Σ over perpetuals and futures of up(up(|q| x mark) x rate).
[[nodiscard]] Result<Money> future_contingency(const AccountValuation& account, const PoolValuation& pool,
                                               const PortfolioMarginParameters& params);

/// One underlying: grid, PnL, worst, contingencies, requirements.
[[nodiscard]] Result<UnderlyingMargin> underlying_margin(const AccountValuation& account,
                                                         const PoolValuation& pool,
                                                         const PortfolioMarginParameters& params);

/// Every underlying of the pool and the summed requirements.
[[nodiscard]] Result<PortfolioMargin> portfolio_margin(const AccountValuation& account,
                                                       const PoolValuation& pool);

/// Replaces the pool's requirements by the portfolio ones and recomputes
/// free collateral, health, ratio and status (§6) from them.
[[nodiscard]] Status apply_portfolio_requirements(PoolFigures& figures, const PortfolioMargin& margin,
                                                  Ratio margin_call_ratio);

}  // namespace vmargin
