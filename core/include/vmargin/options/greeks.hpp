// The Black-76 Greeks of one option, per one unit of the underlying, with
// their units (docs/spec.md §O.2). Venues disagree on Greek units; these are
// the ones written in every report:
//
//   delta           dV/dF: units of the underlying per contract (call in
//                   [0, D], put in [-D, 0])
//   gamma           d2V/dF2: delta change per 1 unit of quote currency of F
//   vega            dV/dsigma per 1.00 of volatility (100 vol points), quote
//   vega_per_point  per 1 vol point (sigma + 0.01), quote
//   theta_per_year  dV/dt as calendar time passes, F and sigma fixed, quote
//                   per year (negative: time decay)
//   theta_per_day   theta_per_year / 365
//
// Greeks are reported figures: no requirement depends on them, and each is
// its closed form evaluated with the floors listed in the spec.
#pragma once

#include <cstdint>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/options/black76.hpp"

namespace vmargin {

enum class OptionType : std::uint8_t { call, put };

struct OptionGreeks {
  Ratio delta;
  Ratio gamma;
  Price vega;
  Price vega_per_point;
  Price theta_per_year;
  Price theta_per_day;
};

/// D = e^(-r tau) for a rate r >= 0 and tau >= 0 (invalid_value otherwise);
/// exactly 1 when r x tau, floored to 18 decimals, is 0 (the exp kernel's
/// exp(0) is 1 - 10^-18).
[[nodiscard]] Result<Ratio> discount_factor(Ratio rate, Ratio tau);

/// The Greeks of a call or a put priced by black76(in) = prices, where the
/// discount came from `rate` (the carry term of theta). Fails with overflow
/// when gamma leaves the fixed-point range (a tiny forward at tiny total
/// volatility).
[[nodiscard]] Result<OptionGreeks> black76_greeks(const Black76Inputs& in, const Black76Prices& prices,
                                                  Ratio rate, OptionType type);

}  // namespace vmargin
