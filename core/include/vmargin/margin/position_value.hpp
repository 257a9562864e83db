// What a position is worth and requires at a mark price, in the valuation
// currency (docs/spec.md §5.1). Linear: size in base units. Inverse: size in
// contracts of a whole face value, margined in the base coin.
#pragma once

#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/margin/requirement.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/round.hpp"

namespace vmargin {

/// coin x price: a coin amount in the valuation currency.
[[nodiscard]] Result<Money> to_valuation_currency(Money coin_amount, Price coin_price, Round round);
/// value / price: a valuation-currency amount in coins.
[[nodiscard]] Result<Money> to_coin(Money value, Price coin_price, Round round);

/// What does not change when only the mark moves: computed once per
/// position and reused by every revaluation (liquidation searches).
struct PositionConstants {
  std::optional<SizePremium> premium;
  Ratio volatility_multiplier = Ratio::one();
  Money face;  ///< inverse: quantity x contract size (exact, signed)
};

[[nodiscard]] Result<PositionConstants> position_constants(const Market& market, const Position& position,
                                                           Ratio volatility_multiplier);

struct PositionValue {
  Money notional;           ///< valuation currency: linear up(|q| x mark); inverse |q| x face value
  Money tier_notional;      ///< margin asset: linear = notional; inverse up(notional / mark)
  Money unrealized_pnl;     ///< valuation currency, including pending funding
  Requirement requirement;  ///< valuation currency
  Money initial_margin;     ///< = requirement.initial
  Money maintenance_margin;
};

/// The position at `mark`: the one function every evaluation and every
/// search uses, so they round identically.
[[nodiscard]] Result<PositionValue> value_position(const Market& market, const Position& position,
                                                   const PositionConstants& constants, Price mark);

/// The unrealized PnL (with funding) alone, in the valuation currency.
[[nodiscard]] Result<Money> position_pnl(const Market& market, const Position& position,
                                         const PositionConstants& constants, Price mark);

/// Only the parts liquidation searches need: unrealized PnL (with funding)
/// and the maintenance margin, both in the valuation currency.
struct PositionHealth {
  Money unrealized_pnl;
  Money maintenance_margin;
};
[[nodiscard]] Result<PositionHealth> position_health(const Market& market, const Position& position,
                                                     const PositionConstants& constants, Price mark);

}  // namespace vmargin
