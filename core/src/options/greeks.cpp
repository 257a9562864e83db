#include "vmargin/options/greeks.hpp"

#include "vmargin/numeric/kernels.hpp"

// docs/spec.md §O.2. With x = floor(phi(d1) x D): gamma = x / (F tv),
// vega = F x sqrt(tau), decay = F x tv / (2 tau) (= F x sigma / (2
// sqrt(tau)) with the floored total volatility), each one floored division
// of an exact 256-bit product (floor(floor(a / b) / c) = floor(a / (b c))).
namespace vmargin {
namespace {

constexpr u128 scale = static_cast<u128>(fixed_scale);

[[nodiscard]] Result<i128> narrow(const U256& v, const char* what) {
  if (v.hi != 0 || v.lo > static_cast<u128>(fixed_max_raw))
    return Error(ErrorCode::overflow, std::string(what) + " exceeds the fixed-point range");
  return static_cast<i128>(v.lo);
}

}  // namespace

Result<Ratio> discount_factor(Ratio rate, Ratio tau) {
  if (rate.is_negative()) return Error(ErrorCode::invalid_value, "interest rate is negative");
  if (tau.is_negative()) return Error(ErrorCode::invalid_value, "time to expiry is negative");
  if (rate.is_zero() || tau.is_zero()) return Ratio::one();
  // r x tau, floored; then e^(-r tau) (0 < D <= 1).
  const U256 product = mul_wide(static_cast<u128>(rate.raw()), static_cast<u128>(tau.raw()));
  if (product.hi >= scale) return Error(ErrorCode::overflow, "rate x time to expiry is out of range");
  const u128 exponent = div_wide(product, scale).quotient;
  if (exponent > static_cast<u128>(fixed_max_raw))
    return Error(ErrorCode::overflow, "rate x time is out of range");
  // A product below 10^-18 floors to 0: no discounting, exactly (exp(0) is
  // 1 - 10^-18).
  if (exponent == 0) return Ratio::one();
  Result<Ratio> d = kernel::exp(Ratio::from_raw(-static_cast<i128>(exponent)));
  if (d && d->is_zero()) return Error(ErrorCode::invalid_value, "discount factor underflows to 0");
  return d;
}

Result<OptionGreeks> black76_greeks(const Black76Inputs& in, const Black76Prices& prices, Ratio rate,
                                    OptionType type) {
  if (rate.is_negative()) return Error(ErrorCode::invalid_value, "interest rate is negative");
  OptionGreeks g;
  const bool call = type == OptionType::call;
  g.delta = call ? prices.call_delta : Ratio::from_raw(prices.call_delta.raw() - in.discount.raw());
  const Price value = call ? prices.call : prices.put;
  // Carry: + r x V (theta with F fixed and discounting e^(-r tau)).
  const U256 carry_wide = mul_wide(static_cast<u128>(rate.raw()), static_cast<u128>(value.raw()));
  Result<i128> carry = narrow(divide_wide(carry_wide, scale), "theta");
  if (!carry) return std::move(carry).error();

  const Black76Terms& t = prices.terms;
  i128 decay = 0;
  if (!t.degenerate && t.total_volatility.is_positive() && in.forward.is_positive()) {
    const auto pdf = static_cast<u128>(t.pdf_d1.raw());  // phi(d1), computed with N(d1)
    const u128 x = div_wide(mul_wide(pdf, static_cast<u128>(in.discount.raw())), scale).quotient;
    const auto forward = static_cast<u128>(in.forward.raw());
    const auto tv = static_cast<u128>(t.total_volatility.raw());

    // gamma = x x 10^36 / (F x tv)
    const U256 gamma_wide = divide_wide(divide_wide(mul_wide(mul_wide(x, scale), scale), forward), tv);
    Result<i128> gamma = narrow(gamma_wide, "gamma");
    if (!gamma) return std::move(gamma).error();
    g.gamma = Ratio::from_raw(*gamma);

    // vega = F x x x sqrt(tau) / 10^36 (F x x < 2^187, sqrt(tau) <= 10 x
    // 10^18 < 2^64: black76 prices at most 100 years)
    const U256 fx = mul_wide(forward, x);
    const U256 vega_wide = divide_wide(mul_wide(fx, static_cast<u128>(t.sqrt_tau.raw())), scale * scale);
    Result<i128> vega = narrow(vega_wide, "vega");
    if (!vega) return std::move(vega).error();
    g.vega = Price::from_raw(*vega);
    g.vega_per_point = Price::from_raw(*vega / 100);

    // decay = F x x x tv / (2 tau x 10^18) (tv < 24 x 10^18 < 2^65)
    const U256 decay_wide =
        divide_wide(divide_wide(mul_wide(fx, tv), 2 * static_cast<u128>(t.tau.raw())), scale);
    Result<i128> d = narrow(decay_wide, "theta");
    if (!d) return std::move(d).error();
    decay = *d;
  }
  g.theta_per_year = Price::from_raw(*carry - decay);
  g.theta_per_day = Price::from_raw(g.theta_per_year.raw() / 365);
  return g;
}

}  // namespace vmargin
