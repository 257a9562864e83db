#include "vmargin/options/black76.hpp"

#include <algorithm>

#include "vmargin/numeric/int256.hpp"
#include "vmargin/numeric/kernels.hpp"

// docs/spec.md §O.1, step by step. Every product of two 18-decimal values
// is divided by 10^18 and floored (all operands are nonnegative there);
// d1 is the one signed division and truncates toward zero.
namespace vmargin {
namespace {

constexpr u128 scale = static_cast<u128>(fixed_scale);
// d1 beyond +-10^20 changes no price: Phi(d1) and Phi(d1 - tv) are already
// 0 or 1 there (|d1 - tv| > 37 since tv < 24).
constexpr u128 d1_limit = scale * scale * 100;

[[nodiscard]] u128 mul_scaled(u128 a, u128 b) noexcept { return div_wide(mul_wide(a, b), scale).quotient; }

[[nodiscard]] bool less(const U256& a, const U256& b) noexcept { return compare_wide(a, b) < 0; }

struct StandardCall {
  U256 value;  // the call per unit forward, undiscounted: in [0, 1] x 10^18
  u128 delta;  // N(d1)
  i128 d1;
  Ratio pdf_d1;
};

// The call on a forward of 1 with strike m (the moneyness K / F) and total
// volatility tv < 24.
StandardCall standard_call(U256 m, u128 tv) {
  tv = std::max<u128>(tv, 1);
  if (m == U256{}) m = U256{0, 1};
  const i128 k = kernel::ln_wide(m).value().raw();  // m >= 1: cannot fail
  const u128 h = mul_scaled(tv >> 1, tv);           // tv^2 / 2
  // d1 = (h - k) x 10^18 / tv, truncated toward zero, limited to +-10^20.
  const i128 spread = static_cast<i128>(h) - k;
  const U256 numerator = mul_wide(magnitude(spread), scale);
  u128 d1_magnitude = d1_limit;
  if (less(numerator, mul_wide(tv, d1_limit))) d1_magnitude = div_wide(numerator, tv).quotient;
  const i128 d1 = spread < 0 ? -static_cast<i128>(d1_magnitude) : static_cast<i128>(d1_magnitude);
  const i128 d2 = d1 - static_cast<i128>(tv);

  const kernel::NormalValues at_d1 = kernel::normal_cdf_and_pdf(Ratio::from_raw(d1));
  const auto n_d1 = static_cast<u128>(at_d1.cdf.raw());
  const auto n_d2 = static_cast<u128>(kernel::normal_cdf(Ratio::from_raw(d2)).raw());
  const U256 m_n_d2 = divide_wide(mul_wide(m, n_d2), scale);
  const U256 call = less(m_n_d2, U256{0, n_d1}) ? sub_wide(U256{0, n_d1}, m_n_d2) : U256{};
  return StandardCall{call, n_d1, d1, at_d1.pdf};
}

Result<Black76Prices> validate(const Black76Inputs& in) {
  if (in.seconds_to_expiry < 0) return Error(ErrorCode::invalid_value, "time to expiry is negative");
  if (in.seconds_to_expiry > black76_max_seconds)
    return Error(ErrorCode::invalid_value, "time to expiry is beyond 100 years");
  if (!in.discount.is_positive() || in.discount > Ratio::one())
    return Error(ErrorCode::invalid_value, "discount factor outside (0, 1]");
  if (in.volatility.is_negative()) return Error(ErrorCode::invalid_value, "volatility is negative");
  if (in.forward.is_negative()) return Error(ErrorCode::invalid_value, "forward is negative");
  if (in.strike.is_negative()) return Error(ErrorCode::invalid_value, "strike is negative");
  return Black76Prices{};
}

}  // namespace

Ratio annualise(std::int64_t seconds) noexcept {
  return Ratio::from_raw(static_cast<i128>(seconds) * fixed_scale / seconds_per_year);
}

Result<Black76Prices> black76(const Black76Inputs& in) {
  Result<Black76Prices> checked = validate(in);
  if (!checked) return checked;
  Black76Prices out;
  Black76Terms& terms = out.terms;
  terms.tau = annualise(in.seconds_to_expiry);
  terms.sqrt_tau = kernel::sqrt(terms.tau).value();
  const auto sigma = static_cast<u128>(in.volatility.raw());
  const auto discount = static_cast<u128>(in.discount.raw());
  const auto forward = static_cast<u128>(in.forward.raw());
  const auto strike = static_cast<u128>(in.strike.raw());

  // Total volatility, saturated at the cap (the price is the same above it).
  const U256 tv_product = mul_wide(sigma, static_cast<u128>(terms.sqrt_tau.raw()));
  const u128 cap = static_cast<u128>(black76_max_total_volatility);
  u128 tv = cap;
  if (less(tv_product, mul_wide(cap, scale))) tv = div_wide(tv_product, scale).quotient;
  terms.total_volatility = Ratio::from_raw(static_cast<i128>(tv));

  const u128 forward_discounted = mul_scaled(forward, discount);
  const u128 strike_discounted = mul_scaled(strike, discount);
  if (strike == 0) {
    out.call = Price::from_raw(static_cast<i128>(forward_discounted));
    out.call_delta = in.discount;
    return out;
  }
  if (forward == 0) {
    out.put = Price::from_raw(static_cast<i128>(strike_discounted));
    return out;
  }
  const U256 moneyness = divide_wide(mul_wide(strike, scale), forward);
  StandardCall standard{U256{0, scale}, scale, 0, Ratio::zero()};
  if (tv < cap) {
    standard = standard_call(moneyness, tv);
    terms.d1 = Ratio::from_raw(standard.d1);
    terms.pdf_d1 = standard.pdf_d1;
    terms.degenerate = false;
  }
  // The put per unit forward by parity: c + m - 1, floored at 0.
  const U256 c_plus_m = add_wide(standard.value, moneyness);
  const U256 put = less(c_plus_m, U256{0, scale}) ? U256{} : sub_wide(c_plus_m, U256{0, scale});

  // Per unit underlying: x F x D, capped by F x D and K x D. Both products
  // are below 2^189 (c <= 1, and p x F <= K + F).
  const U256 call_value = divide_wide(mul_wide(standard.value, forward_discounted), scale);
  const U256 put_value = divide_wide(mul_wide(put, forward_discounted), scale);
  out.call = Price::from_raw(
      static_cast<i128>(less(call_value, U256{0, forward_discounted}) ? call_value.lo : forward_discounted));
  out.put = Price::from_raw(
      static_cast<i128>(less(put_value, U256{0, strike_discounted}) ? put_value.lo : strike_discounted));
  out.call_delta = Ratio::from_raw(static_cast<i128>(mul_scaled(standard.delta, discount)));
  return out;
}

}  // namespace vmargin
