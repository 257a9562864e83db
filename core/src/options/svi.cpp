#include "vmargin/options/svi.hpp"

#include <algorithm>

#include "vmargin/numeric/int256.hpp"
#include "vmargin/numeric/kernels.hpp"

// docs/spec.md §O.3. Within the validated limits every value below is
// under 10^8 (|k| <= 4 sqrt(a + b sigma) < 4100, |k - m| < 5100); only the
// products of two parameters need 256 bits.
namespace vmargin {
namespace {

constexpr i128 scale = fixed_scale;

// x x y / 10^18, truncated toward zero (Derive's signed multiplyDecimal).
[[nodiscard]] i128 mul_truncating(i128 x, i128 y) noexcept {
  return divide_truncating(to_i256(x) * to_i256(y), scale);
}

[[nodiscard]] Status field_error(const char* path, const char* message) {
  return Error(ErrorCode::invalid_value, message, path);
}

[[nodiscard]] i128 sqrt_raw(i128 x) noexcept { return kernel::sqrt(Ratio::from_raw(x)).value().raw(); }

}  // namespace

Status validate(const SviParameters& s) {
  const auto within = [](Ratio v) { return v.abs().raw() <= svi_parameter_limit; };
  if (!within(s.a)) return field_error("/a", "SVI a must be within +-1000");
  if (s.b.is_negative() || !within(s.b)) return field_error("/b", "SVI b must be in [0, 1000]");
  if (s.rho.abs() >= Ratio::one()) return field_error("/rho", "SVI rho must be in (-1, 1)");
  if (!within(s.m)) return field_error("/m", "SVI m must be within +-1000");
  if (!s.sigma.is_positive() || !within(s.sigma))
    return field_error("/sigma", "SVI sigma must be in (0, 1000]");
  if (!s.forward.is_positive()) return field_error("/forward", "the SVI reference forward must be positive");
  if (!s.tau.is_positive()) return field_error("/tau", "the SVI reference time must be positive");
  // min over k of w(k) = a + b sigma sqrt(1 - rho^2), here rounded down.
  const auto rho = static_cast<u128>(s.rho.abs().raw());
  const u128 one_minus_rho2 = static_cast<u128>(scale) * static_cast<u128>(scale) - rho * rho;  // 36 decimals
  const u128 root = isqrt(one_minus_rho2);                                                      // 18 decimals
  const U256 product =
      mul_wide(mul_wide(static_cast<u128>(s.b.raw()), static_cast<u128>(s.sigma.raw())), root);
  const auto wing =
      static_cast<i128>(divide_wide(product, static_cast<u128>(scale) * static_cast<u128>(scale)).lo);
  if (s.a.raw() + wing < 0)
    return field_error("/a", "the SVI total variance a + b sigma sqrt(1 - rho^2) is negative at its minimum");
  return Ok{};
}

Result<Ratio> svi_volatility(const SviParameters& s, Price strike) {
  if (!strike.is_positive()) return Ratio::zero();
  // k = ln(K / F_ref), limited to +-4 sqrt(a + b sigma) (0 moneyness: -limit).
  const i128 limit = 4 * sqrt_raw(s.a.raw() + mul_truncating(s.b.raw(), s.sigma.raw()));
  const U256 moneyness = divide_wide(mul_wide(static_cast<u128>(strike.raw()), static_cast<u128>(scale)),
                                     static_cast<u128>(s.forward.raw()));
  i128 k = -limit;
  if (moneyness != U256{}) k = std::clamp(kernel::ln_wide(moneyness).value().raw(), -limit, limit);

  const i128 shifted = k - s.m.raw();
  const i128 root = sqrt_raw(mul_truncating(shifted, shifted) + mul_truncating(s.sigma.raw(), s.sigma.raw()));
  i128 w = s.a.raw() + mul_truncating(s.b.raw(), root + mul_truncating(s.rho.raw(), shifted));
  if (w < 0) return Error(ErrorCode::invalid_value, "the SVI total variance is negative at this strike");
  w = std::min(w, svi_max_total_variance);
  // vol = sqrt(w / tau_ref); w x 10^18 <= 1.44 x 10^38 fits.
  return Ratio::from_raw(sqrt_raw(w * scale / s.tau.raw()));
}

}  // namespace vmargin
