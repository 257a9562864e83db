#include "vmargin/options/option_margin.hpp"

#include <algorithm>
#include <vector>

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/int256.hpp"

namespace vmargin {
namespace {

// The loss of a payoff sum in 36 decimals, as a requirement rounded up.
Result<Money> loss_of(const I256& payoff) {
  if (!is_negative(payoff)) return Money::zero();
  const I256 loss = -payoff;
  const U256 magnitude{loss.hi, loss.lo};
  if (compare_wide(magnitude,
                   mul_wide(static_cast<u128>(fixed_max_raw) - 1, static_cast<u128>(fixed_scale))) > 0)
    return Error(ErrorCode::overflow, "the expiry's maximum loss exceeds the fixed-point range");
  const WideDivision q = div_wide(magnitude, static_cast<u128>(fixed_scale));
  return Money::from_raw(static_cast<i128>(q.quotient) + (q.remainder != 0 ? 1 : 0));
}

// Sum of quantity x payoff per unit at settlement price P, exact (36
// decimals). Each term is below 2^255; a sum that leaves 256 bits fails.
Result<I256> payoff_at(std::span<const ExpiryLeg> legs, Price settlement) {
  I256 sum{};
  for (const ExpiryLeg& leg : legs) {
    const i128 intrinsic = leg.type == OptionType::call ? settlement.raw() - leg.strike.raw()
                                                        : leg.strike.raw() - settlement.raw();
    if (intrinsic <= 0) continue;
    const I256 term = to_i256(leg.quantity.raw()) * to_i256(intrinsic);
    const I256 next = sum + term;
    if (is_negative(sum) == is_negative(term) && is_negative(next) != is_negative(sum))
      return Error(ErrorCode::overflow, "the expiry's settlement payoff exceeds 256 bits");
    sum = next;
  }
  return sum;
}

}  // namespace

Result<OptionRequirement> short_option_requirement(OptionType type, Price strike, Price spot, Price mark,
                                                   const OptionMarginRates& r) {
  if (!strike.is_positive() || !spot.is_positive() || mark.is_negative())
    return Error(ErrorCode::invalid_value, "option margin needs a positive strike and index and a mark >= 0");
  // OTM / S, rounded down (less relief).
  const i128 otm_raw = type == OptionType::call ? strike.raw() - spot.raw() : spot.raw() - strike.raw();
  Ratio otm = Ratio::zero();
  if (otm_raw > 0) {
    VMARGIN_TRY(otm, div(Price::from_raw(otm_raw), spot, Round::down));
  }
  const Ratio multiplier = std::max(Ratio::from_raw(r.max_spot_rate.raw() - otm.raw()), r.min_spot_rate);
  VMARGIN_TRY(const Price spot_term, mul(multiplier, spot, Round::up));
  VMARGIN_TRY(Price initial, add(spot_term, mark));

  OptionRequirement out;
  if (type == OptionType::call) {
    VMARGIN_TRY(const Price maintenance_term, mul(r.call_maintenance_rate, spot, Round::up));
    VMARGIN_TRY(out.maintenance, add(maintenance_term, mark));
  } else {
    VMARGIN_TRY(const Price of_spot, mul(r.put_maintenance_rate, spot, Round::up));
    VMARGIN_TRY(const Price of_mark, mul(r.put_maintenance_mark_rate, mark, Round::up));
    VMARGIN_TRY(out.maintenance, add(std::max(of_spot, of_mark), mark));
    VMARGIN_TRY(const Price floor, mul(r.put_initial_floor, out.maintenance, Round::up));
    initial = std::max(initial, floor);
  }
  out.initial = initial;
  return out;
}

Result<NettedRequirement> max_loss_requirement(std::span<const ExpiryLeg> legs, Price forward,
                                               const OptionMarginRates& r) {
  for (const ExpiryLeg& leg : legs) {
    if (!leg.strike.is_positive()) return Error(ErrorCode::invalid_value, "option strikes must be positive");
  }
  // The payoff is piecewise linear with kinks at the strikes, so its
  // minimum over [0, max strike] is at 0 or at a strike; above the largest
  // strike it moves by (net calls) per unit, charged separately below.
  VMARGIN_TRY(I256 worst, payoff_at(legs, Price::zero()));
  for (const ExpiryLeg& leg : legs) {
    VMARGIN_TRY(const I256 p, payoff_at(legs, leg.strike));
    if (p < worst) worst = p;
  }
  VMARGIN_TRY(const Money loss, loss_of(worst));
  Quantity net_calls = Quantity::zero();
  for (const ExpiryLeg& leg : legs) {
    if (leg.type == OptionType::call) {
      VMARGIN_TRY(net_calls, add(net_calls, leg.quantity));
    }
  }

  NettedRequirement out{loss, loss};
  if (net_calls.is_negative()) {
    const Quantity unpaired = net_calls.abs();
    VMARGIN_TRY(const Price initial_unit, mul(r.unpaired_initial_scale, forward, Round::up));
    VMARGIN_TRY(const Price maintenance_unit, mul(r.unpaired_maintenance_scale, forward, Round::up));
    VMARGIN_TRY(const Money initial_charge, mul(unpaired, initial_unit, Round::up));
    VMARGIN_TRY(const Money maintenance_charge, mul(unpaired, maintenance_unit, Round::up));
    VMARGIN_TRY(out.initial, add(loss, initial_charge));
    VMARGIN_TRY(out.maintenance, add(loss, maintenance_charge));
  }
  return out;
}

}  // namespace vmargin
