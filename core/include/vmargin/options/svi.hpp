// The raw SVI volatility smile of one expiry (Gatheral): total variance
//   w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)),  k = ln(K / F_ref),
// and the implied volatility sqrt(w / tau_ref). F_ref and tau_ref are the
// reference forward and time the surface was fitted at, carried with it;
// Black-76 then prices on the live forward and time (docs/spec.md §O.3).
//
// The evaluation is Derive's program (k limited to +-4 sqrt(a + b sigma),
// w capped at 144 so that sigma sqrt(tau) <= 12), so its public SVI cases
// check it. Unlike Derive, a surface is validated once when it is loaded:
// no negative total variance at any strike, not merely at the one priced.
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct SviParameters {
  Ratio a;        ///< variance level
  Ratio b;        ///< wing slope, >= 0
  Ratio rho;      ///< skew, |rho| < 1
  Ratio m;        ///< horizontal shift
  Ratio sigma;    ///< curvature at the minimum, > 0
  Price forward;  ///< the reference forward F_ref, > 0
  Ratio tau;      ///< the reference time in years, > 0
};

/// |a|, b, |m| and sigma at most this (SVI fits are orders of magnitude
/// smaller); it keeps every intermediate within 256 bits.
inline constexpr i128 svi_parameter_limit = i128{1000} * fixed_scale;

/// Total variance at or above which it is capped (Derive's MAX_TOTAL_VAR).
inline constexpr i128 svi_max_total_variance = i128{144} * fixed_scale;

/// invalid_value, with the path of the field ("/b", "/rho", ...), unless
/// b >= 0, |rho| < 1, sigma > 0, F_ref > 0, tau_ref > 0, the limits above,
/// and the minimum total variance a + b sigma sqrt(1 - rho^2), with the
/// square root and the product floored, is >= 0.
[[nodiscard]] Status validate(const SviParameters& svi);

/// The implied volatility at a strike (0 at strike 0). Precondition:
/// validate(svi) passed. Fails (invalid_value) only if rounding makes the
/// total variance at this strike negative, which validation leaves possible
/// for surfaces whose minimum is within 10^-18 of 0.
[[nodiscard]] Result<Ratio> svi_volatility(const SviParameters& svi, Price strike);

}  // namespace vmargin
