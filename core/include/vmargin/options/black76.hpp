// Black-76: European options on a forward, priced with the deterministic
// kernels (docs/spec.md §O.1). Values are per one unit of the underlying, in
// the currency the forward is quoted in.
//
// The program is the one Derive's contracts run (call from the normalised
// formula, the put from parity, both capped by their discounted bounds), so
// Derive's published Black-76 vectors check it; every division truncates
// toward zero like theirs. Rounding against the account happens where a
// position is valued (options/option_value.hpp), not here.
#pragma once

#include <cstdint>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// Seconds in the 365-day year that annualises time to expiry.
inline constexpr std::int64_t seconds_per_year = 31'536'000;

/// The longest time to expiry priced: 100 years (keeps sqrt(tau) below
/// 2^64 in every Greek's product).
inline constexpr std::int64_t black76_max_seconds = 100 * seconds_per_year;

/// Total volatility sigma x sqrt(tau) at or above which the call is worth
/// the whole discounted forward (Derive's MAX_TOTAL_VOL, 24).
inline constexpr i128 black76_max_total_volatility = i128{24} * fixed_scale;

struct Black76Inputs {
  std::int64_t seconds_to_expiry = 0;  ///< in [0, 100 years]
  Ratio discount = Ratio::one();       ///< D in (0, 1]: e^(-r tau), 1 without discounting
  Ratio volatility;                    ///< sigma >= 0, annualised (1 = 100 %)
  Price forward;                       ///< F >= 0
  Price strike;                        ///< K >= 0
};

/// The intermediate quantities of one pricing, kept for the Greeks.
struct Black76Terms {
  Ratio tau;               ///< seconds / 31,536,000, floored
  Ratio sqrt_tau;          ///< floor sqrt(tau)
  Ratio total_volatility;  ///< sigma x sqrt(tau), floored (0 when tau or sigma is 0)
  Ratio d1;                ///< (ln(F/K) + total_volatility^2 / 2) / total_volatility, truncated
  Ratio pdf_d1;            ///< phi(d1) (0 when degenerate), for the Greeks
  bool degenerate = true;  ///< K = 0, F = 0 or total volatility >= 24: no d1
};

struct Black76Prices {
  Price call;        ///< in [0, F x D]
  Price put;         ///< in [0, K x D]
  Ratio call_delta;  ///< D x N(d1); the put's delta is call_delta - D
  Black76Terms terms;
};

/// tau = floor(seconds x 10^18 / 31,536,000) as an 18-decimal year fraction.
[[nodiscard]] Ratio annualise(std::int64_t seconds) noexcept;

/// Prices a call and a put. Fails with invalid_value on a negative input, a
/// time beyond 100 years or a discount outside (0, 1], and with overflow where an intermediate leaves
/// the 256-bit range the spec allows (extreme strikes on tiny forwards).
[[nodiscard]] Result<Black76Prices> black76(const Black76Inputs& in);

}  // namespace vmargin
