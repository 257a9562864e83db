// What an option position is worth and requires (docs/spec.md §5.7): the
// option priced per unit by Black-76 on its expiry's forward with the
// smile's volatility at its strike, then scaled by the position, every
// rounding against the account.
#pragma once

#include <cstdint>

#include "vmargin/error.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/options/black76.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/options/option_margin.hpp"

namespace vmargin {

/// One option priced per unit of the underlying.
struct OptionQuote {
  std::int64_t seconds_to_expiry = 0;  ///< 0 once settled
  bool settled = false;                ///< at or after expiry: intrinsic at the settlement price
  Price forward;
  Ratio volatility;  ///< implied, from the smile at the strike (0 once settled)
  Ratio discount = Ratio::one();
  Black76Prices prices;
  Price value;  ///< the call or the put
};

/// Prices `market` at `as_of_ms` with its expiry's data. Fails with
/// contract_expired at or after expiry when the expiry has no settlement
/// price, and with the kernels' errors otherwise.
[[nodiscard]] Result<OptionQuote> quote_option(const OptionMarket& market, const OptionExpiry& expiry,
                                               std::int64_t as_of_ms);

/// The same quote with the expiry's forward at `forward`: the volatility
/// (sticky strike), discount and time stay, so only Black-76 reruns; a
/// settled quote is returned unchanged. quote_option ends with it.
[[nodiscard]] Result<OptionQuote> quote_at_forward(const OptionMarket& market, const OptionQuote& quote,
                                                   Price forward);

/// The position's figures at a quote; `index` is the underlying's mark (the
/// S of the standard margin formulas).
struct OptionPositionValue {
  Money value;                 ///< q x V: longs rounded down, shorts up in magnitude
  Money equity_value;          ///< what counts toward equity: longs down(weight x value), shorts value
  Money unrealized_pnl;        ///< down(value - q x premium paid)
  OptionRequirement per_unit;  ///< shorts before expiry; zero otherwise
  Money initial_margin;        ///< up(|q| x per-unit initial) for shorts, else 0
  Money maintenance_margin;
};

[[nodiscard]] Result<OptionPositionValue> value_option_position(const OptionMarket& market,
                                                                const OptionRules& rules,
                                                                const Position& position,
                                                                const OptionQuote& quote, Price index);

/// The position's Greeks: the per-unit Greeks times the quantity, truncated
/// toward zero (zero once settled). Units as in options/greeks.hpp, per position.
[[nodiscard]] Result<OptionGreeks> position_greeks(const OptionMarket& market, const OptionExpiry& expiry,
                                                   const Position& position, const OptionQuote& quote);

}  // namespace vmargin
