// Deterministic transcendental kernels on 18-decimal fixed point: exp, ln,
// sqrt, the standard normal CDF and density, and the decimal power.
//
// Each is an integer program specified step by step in docs/spec.md §K
// (every constant, every shift, every division), so an independent
// implementation reproduces the bits; tests/independent/kernels.py is one.
// The algorithms are the published ones Derive's (Lyra v2) contracts use:
// Remco Bloemen's rational approximations of exp and ln in a 2^96 basis, an
// exact floor square root, and Hart's 5666 algorithm (West 2005) for the CDF
// in a 2^64 basis with a continued fraction in the tail. That makes Derive's
// public kernel test vectors exact checks of this code. Error bounds against
// exact values (tested with mpmath on random inputs over the whole domain,
// tests/independent/kernel_bounds.py) are stated per function.
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin::kernel {

/// exp(x) is 0 for x at or below this (the exact value is below 10^-18 / 2).
inline constexpr i128 exp_underflow_at = -(static_cast<i128>(42'139'678'854'452'767) * 1000 + 551);
/// exp_wide(x) is defined below this; exp(x) must also fit 128 bits.
inline constexpr i128 exp_wide_limit = static_cast<i128>(135'305'999'368'893'231) * 1000 + 589;

/// e^x, 18 decimals, unbounded above up to 2^255 / 10^18. Error: within
/// [-1.1, +0.1] x 10^-18 absolute on [-3, 3] and 10^-18 relative above
/// (exp(0) is 1 - 10^-18: the approximation is biased low). Fails with
/// overflow for x >= exp_wide_limit.
[[nodiscard]] Result<U256> exp_wide(Ratio x);

/// e^x; overflow when the result exceeds the fixed-point range (x > ~46.58).
[[nodiscard]] Result<Ratio> exp(Ratio x);

/// ln(x) for x > 0 (domain_error otherwise). Error within [-1.05, +0.05] x
/// 10^-18: essentially the exact value rounded down. ln(1) is 0 exactly.
[[nodiscard]] Result<Ratio> ln(Ratio x);

/// ln(x) for a 256-bit raw x (x / 10^18 up to 2^256 / 10^18, e.g. a
/// moneyness K / F of extreme strikes); the same program and bounds as ln.
[[nodiscard]] Result<Ratio> ln_wide(const U256& x);

/// floor(sqrt(x) x 10^18) / 10^18: the exact square root rounded down;
/// domain_error for x < 0.
[[nodiscard]] Result<Ratio> sqrt(Ratio x);

/// Phi(x), the standard normal cumulative distribution, in [0, 1]. Error
/// within 50 x 10^-18 absolute (43 measured); 0 and 1 beyond |x| > 37.
[[nodiscard]] Ratio normal_cdf(Ratio x) noexcept;

/// phi(x) = e^(-x^2/2) / sqrt(2 pi), the standard normal density. Error
/// within 2 x 10^-18 absolute.
[[nodiscard]] Ratio normal_pdf(Ratio x) noexcept;

/// normal_cdf(x) and normal_pdf(x) at once, bit for bit the separate calls,
/// with one exponential fewer whenever their exponents agree (x >= 0 or x
/// even): Black-76's Greeks need both at d1.
struct NormalValues {
  Ratio cdf;
  Ratio pdf;
};
[[nodiscard]] NormalValues normal_cdf_and_pdf(Ratio x) noexcept;

/// a^b = exp(ln(a) x b) for a > 0 (domain_error otherwise); overflow when
/// the result leaves the range.
[[nodiscard]] Result<Ratio> pow(Ratio a, Ratio b);

}  // namespace vmargin::kernel
