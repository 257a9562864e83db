#include "vmargin/margin/option_position.hpp"

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/int256.hpp"
#include "vmargin/options/svi.hpp"

namespace vmargin {
namespace {

// q x per-unit greek, truncated toward zero; overflow beyond the range.
template <class T>
Result<T> scaled(Quantity q, T per_unit) {
  return mul_div_to<T>(q, per_unit, Quantity::one(), Round::toward_zero);
}

}  // namespace

Result<OptionQuote> quote_option(const OptionMarket& market, const OptionExpiry& expiry,
                                 std::int64_t as_of_ms) {
  OptionQuote q;
  q.forward = expiry.forward;
  if (as_of_ms >= market.expiry_ms) {
    if (!expiry.settlement_price) {
      return Error(ErrorCode::contract_expired,
                   market.id + " expired at " + std::to_string(market.expiry_ms) +
                       " ms and its expiry has no settlement price; the evaluation time is " +
                       std::to_string(as_of_ms) + " ms");
    }
    q.settled = true;
    const Price p = *expiry.settlement_price;
    const i128 intrinsic =
        market.type == OptionType::call ? p.raw() - market.strike.raw() : market.strike.raw() - p.raw();
    q.value = Price::from_raw(intrinsic > 0 ? intrinsic : 0);
    q.prices.call = market.type == OptionType::call ? q.value : Price::zero();
    q.prices.put = market.type == OptionType::put ? q.value : Price::zero();
    return q;
  }
  // Whole seconds to expiry, rounded down.
  q.seconds_to_expiry = (market.expiry_ms - as_of_ms) / 1000;
  VMARGIN_TRY(const Ratio smile, svi_volatility(expiry.svi, market.strike));
  VMARGIN_TRY(q.volatility, add(smile, expiry.volatility_shift));
  if (q.volatility.is_negative()) q.volatility = Ratio::zero();
  VMARGIN_TRY(q.discount, discount_factor(expiry.rate, annualise(q.seconds_to_expiry)));
  return quote_at_forward(market, q, expiry.forward);
}

Result<OptionQuote> quote_at_forward(const OptionMarket& market, const OptionQuote& quote, Price forward) {
  if (quote.settled) return quote;
  OptionQuote q = quote;
  q.forward = forward;
  VMARGIN_TRY(q.prices, black76({q.seconds_to_expiry, q.discount, q.volatility, q.forward, market.strike}));
  q.value = market.type == OptionType::call ? q.prices.call : q.prices.put;
  return q;
}

Result<OptionPositionValue> value_option_position(const OptionMarket& market, const OptionRules& rules,
                                                  const Position& position, const OptionQuote& quote,
                                                  Price index) {
  OptionPositionValue v;
  const Quantity q = position.quantity;
  const bool long_position = q.is_positive();
  // Against the account: a long is worth less, a short owes more.
  VMARGIN_TRY(v.value, mul(q, quote.value, Round::down));
  if (long_position) {
    VMARGIN_TRY(v.equity_value, mul(rules.long_value_weight, v.value, Round::down));
  } else {
    v.equity_value = v.value;
  }
  VMARGIN_TRY(const Money paid, mul(q, position.entry_price, Round::up));
  VMARGIN_TRY(v.unrealized_pnl, sub(v.value, paid));
  if (!long_position && !quote.settled) {
    VMARGIN_TRY(v.per_unit,
                short_option_requirement(market.type, market.strike, index, quote.value, rules.margin));
    const Quantity size = q.abs();
    VMARGIN_TRY(v.initial_margin, mul(size, v.per_unit.initial, Round::up));
    VMARGIN_TRY(v.maintenance_margin, mul(size, v.per_unit.maintenance, Round::up));
  }
  return v;
}

Result<OptionGreeks> position_greeks(const OptionMarket& market, const OptionExpiry& expiry,
                                     const Position& position, const OptionQuote& quote) {
  if (quote.settled) return OptionGreeks{};
  const Black76Inputs in{quote.seconds_to_expiry, quote.discount, quote.volatility, quote.forward,
                         market.strike};
  VMARGIN_TRY(const OptionGreeks unit, black76_greeks(in, quote.prices, expiry.rate, market.type));
  const Quantity q = position.quantity;
  OptionGreeks g;
  VMARGIN_TRY(g.delta, scaled(q, unit.delta));
  VMARGIN_TRY(g.gamma, scaled(q, unit.gamma));
  VMARGIN_TRY(g.vega, scaled(q, unit.vega));
  VMARGIN_TRY(g.vega_per_point, scaled(q, unit.vega_per_point));
  VMARGIN_TRY(g.theta_per_year, scaled(q, unit.theta_per_year));
  VMARGIN_TRY(g.theta_per_day, scaled(q, unit.theta_per_day));
  return g;
}

}  // namespace vmargin
