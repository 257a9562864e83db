// What a position is worth and requires at a mark price, in the valuation
// currency (docs/spec.md §5.1). Linear: size in base units. Inverse: size in
// contracts of a whole face value, margined in the base coin.
//
// Each formula is one function here: the report (value_position) and the
// liquidation searches (position_health, at other prices) call the same
// ones, so they round identically and carry the same error bounds.
#pragma once

#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/margin/requirement.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/bounded.hpp"
#include "vmargin/numeric/round.hpp"

namespace vmargin {

/// What does not change when only the mark moves: computed once per
/// position and reused by every revaluation (liquidation searches).
struct PositionConstants {
  std::optional<SizePremium> premium;
  Ratio volatility_multiplier = Ratio::one();
  Money face;  ///< inverse: quantity x contract size (exact, signed)
  /// The market's open interest, when its initial margin scales with it (§5.7).
  std::optional<Quantity> open_interest;
};

[[nodiscard]] Result<PositionConstants> position_constants(const Market& market, const Position& position,
                                                           Ratio volatility_multiplier);

/// The requirement base at `mark`: linear up(|q| x mark), inverse |q| x face value.
[[nodiscard]] Result<Exposure> position_exposure(const Market& market, const Position& position,
                                                 const PositionConstants& constants, Price mark);

/// The unrealized PnL with funding, in the valuation currency:
/// linear down(q x (P - E)) + f; inverse down(S x (P - E) / E) + down(f x P).
[[nodiscard]] Result<Bounded<Money>> unrealized_pnl(const Market& market, const Position& position,
                                                    const PositionConstants& constants, Price mark);

struct PositionValue {
  Money notional;                 ///< valuation currency: linear up(|q| x mark); inverse |q| x face value
  Money tier_notional;            ///< margin asset: linear = notional; inverse up(notional / mark)
  Bounded<Money> unrealized_pnl;  ///< valuation currency, including pending funding
  Requirement requirement;        ///< valuation currency; initial includes open_interest_margin
  /// What the market's open interest adds to the initial margin (§5.7);
  /// none when the market does not scale with it.
  std::optional<Money> open_interest_margin;
  /// The PnL initial equity counts, profit weighted (§5.10); none when the
  /// market does not weigh profit (then initial equity counts unrealized_pnl).
  std::optional<Money> initial_unrealized_pnl;
  /// The PnL (maintenance) equity counts, profit weighted (§5.10); none when
  /// the market has no maintenance profit weight.
  std::optional<Bounded<Money>> maintenance_unrealized_pnl;
  /// What equity counts: maintenance_unrealized_pnl, else unrealized_pnl.
  [[nodiscard]] const Bounded<Money>& equity_pnl() const noexcept {
    return maintenance_unrealized_pnl ? *maintenance_unrealized_pnl : unrealized_pnl;
  }
};

/// The market's open interest as a notional in its margin asset (§5.7):
/// linear up(OI x mark), inverse up(OI x contract size / mark) coins (one
/// rounding, no intermediate that could overflow on its own).
[[nodiscard]] Result<Money> open_interest_notional(const Market& market, Quantity open_interest, Price mark);

/// What initial equity counts of a PnL (§5.10): a loss in full; a profit
/// down(pnl x w), w = min(initial profit weight (1 if absent), size_discount of
/// up(profit size factor x up(sqrt(pnl)))) when the factor is positive.
[[nodiscard]] Result<Money> initial_profit(const Market& market, Money pnl);

/// What equity counts of a PnL (§5.10): a loss in full, a profit
/// down(pnl x maintenance profit weight); the PnL itself when the market has
/// no such weight. The bound is the same in both branches (the weighted
/// one's), so it does not depend on the price (docs/liquidation.md).
[[nodiscard]] Result<Bounded<Money>> maintenance_profit(const Market& market, const Bounded<Money>& pnl);

/// The PnL equity counts at `mark`: maintenance_profit of unrealized_pnl.
[[nodiscard]] Result<Bounded<Money>> equity_pnl(const Market& market, const Position& position,
                                                const PositionConstants& constants, Price mark);

/// The position at `mark`, as the report shows it.
[[nodiscard]] Result<PositionValue> value_position(const Market& market, const Position& position,
                                                   const PositionConstants& constants, Price mark);

/// Only the parts liquidation searches need: the PnL equity counts (with
/// funding, profit weighted, §5.10) and the maintenance margin, both in the
/// valuation currency.
struct PositionHealth {
  Bounded<Money> equity_pnl;
  Bounded<Money> maintenance_margin;
};
[[nodiscard]] Result<PositionHealth> position_health(const Market& market, const Position& position,
                                                     const PositionConstants& constants, Price mark);

}  // namespace vmargin
