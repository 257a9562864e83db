#include "vmargin/numeric/kernels.hpp"

#include "vmargin/numeric/int256.hpp"

// The integer programs of docs/spec.md §K, in the same order and with the
// same constants; comments give the spec's step names. Widths: every named
// variable fits 128 bits (the spec's bound table); only the numerators of
// the exp and ln approximations and the final scalings need 256.
namespace vmargin::kernel {
namespace {

constexpr i128 scale = fixed_scale;                                                   // 10^18
constexpr i128 five_pow_18 = 3'814'697'265'625;                                       // 10^18 / 2^18
constexpr i128 ln2_q96 = narrow_i128(i256_literal("54916777467707473351141471128"));  // ln 2 x 2^96

[[nodiscard]] consteval i128 c128(const char* text) { return narrow_i128(i256_literal(text)); }

// floor(a x b / 2^96) for the Horner steps of the 2^96-basis approximations.
[[nodiscard]] i128 mul_q96(i128 a, i128 b) noexcept { return shift_right_i128(to_i256(a) * to_i256(b), 96); }

// floor(n / 2^s) for an unsigned 256-bit n, 0 <= s (0 beyond 255).
[[nodiscard]] U256 shift_right_unsigned(const I256& n, int s) noexcept {
  if (s >= 256) return U256{};
  if (s == 0) return U256{n.hi, n.lo};
  if (s >= 128) return U256{0, n.hi >> (s - 128)};
  return U256{n.hi >> s, (n.lo >> s) | (n.hi << (128 - s))};
}

// §K.1 exp, for exp_underflow_at < x < exp_wide_limit.
U256 exp_program(i128 x) noexcept {
  // To the 2^96 basis: x x 2^96 / 10^18 = x x 2^78 / 5^18.
  const i128 xq = divide_truncating(shift_left(to_i256(x), 78), five_pow_18);
  // k = round(x / ln 2), then the reduced argument |r| <= ln 2 / 2 x 2^96.
  const i128 k = (divide_truncating(shift_left(to_i256(xq), 96), ln2_q96) + (i128{1} << 95)) >> 96;
  const i128 r = xq - k * ln2_q96;

  // The (6, 7) rational approximation of e^r, numerator p (in 2^192) ...
  i128 p = r + c128("2772001395605857295435445496992");
  p = mul_q96(p, r) + c128("44335888930127919016834873520032");
  p = mul_q96(p, r) + c128("398888492587501845352592340339721");
  p = mul_q96(p, r) + c128("1993839819670624470859228494792842");
  const I256 numerator =
      to_i256(p) * to_i256(r) + shift_left(to_i256(c128("4385272521454847904632057985693276")), 96);
  // ... and denominator q, by Knuth's scheme (in 2^96).
  i128 z = r + c128("750530180792738023273180420736");
  z = mul_q96(z, r) + c128("32788456221302202726307501949080");
  i128 w = r - c128("2218138959503481824038194425854");
  w = mul_q96(w, z) + c128("892943633302991980437332862907700");
  i128 q = z + w - c128("78174809823045304726920794422040");
  q = mul_q96(q, w) + c128("4203224763890128580604056984195872");
  const i128 ratio = divide_truncating(numerator, q);  // in (0.09, 0.25) x 2^96

  // x 2^k, x 10^18, and the constant factor of the approximation, at once.
  constexpr I256 finish = i256_literal("3822833074963236453042738258902158003155416615667");
  return shift_right_unsigned(to_i256(ratio) * finish, static_cast<int>(195 - k));
}

// §K.2 ln, for x > 0 (up to 2^256 - 1).
i128 ln_program(const U256& x) noexcept {
  // ln(2^k x m) = k ln 2 + ln m with m in [1, 2) x 2^96.
  const int width = x.hi != 0 ? 128 + bit_width_u128(x.hi) : bit_width_u128(x.lo);
  const int k = width - 1 - 96;
  u128 top = 0;
  if (k < 0) {
    top = x.lo << -k;
  } else if (k >= 128) {
    top = x.hi >> (k - 128);
  } else {
    top = k == 0 ? x.lo : (x.lo >> k) | (x.hi << (128 - k));
  }
  const auto m = static_cast<i128>(top);

  i128 p = m + c128("3273285459638523848632254066296");
  p = mul_q96(p, m) + c128("24828157081833163892658089445524");
  p = mul_q96(p, m) + c128("43456485725739037958740375743393");
  p = mul_q96(p, m) - c128("11111509109440967052023855526967");
  p = mul_q96(p, m) - c128("45023709667254063763336534515857");
  p = mul_q96(p, m) - c128("14706773417378608786704636184526");
  const I256 numerator =
      to_i256(p) * to_i256(m) - shift_left(to_i256(c128("795164235651350426258249787498")), 96);

  i128 q = m + c128("5573035233440673466300451813936");
  q = mul_q96(q, m) + c128("71694874799317883764090561454958");
  q = mul_q96(q, m) + c128("283447036172924575727196451306956");
  q = mul_q96(q, m) + c128("401686690394027663651624208769553");
  q = mul_q96(q, m) + c128("204048457590392012362485061816622");
  q = mul_q96(q, m) + c128("31853899698501571402653359427138");
  q = mul_q96(q, m) + c128("909429971244387300277376558375");
  const i128 ratio = divide_truncating(numerator, q);

  // ratio x scale + k x ln 2 x 10^18 + offset, all in 2^174, then floor.
  constexpr I256 scale_factor = i256_literal("1677202110996718588342820967067443963516166");
  constexpr I256 ln2_term =
      i256_literal("16597577552685614221487285958193947469193820559219878177908093499208371");
  constexpr I256 offset =
      i256_literal("600920179829731861736702779321621459595472258049074101567377883020018308");
  return shift_right_i128(to_i256(ratio) * scale_factor + to_i256(k) * ln2_term + offset, 174);
}

// exp(-(t / 10^18)) for a floored nonnegative t = h x z (the Gaussian
// exponent), 0 once the argument is past exp's underflow.
i128 exp_of_negative_square(u128 half, u128 z) noexcept {
  const U256 product = mul_wide(half, z);
  if (product.hi >= static_cast<u128>(scale)) return 0;  // the quotient is >= 2^128: far past underflow
  const u128 t = div_wide(product, static_cast<u128>(scale)).quotient;
  if (t >= static_cast<u128>(-exp_underflow_at)) return 0;
  return static_cast<i128>(exp_program(-static_cast<i128>(t)).lo);
}

[[nodiscard]] u128 mul_q64(u128 a, u128 b) noexcept {
  const U256 p = mul_wide(a, b);
  return (p.hi << 64) | (p.lo >> 64);
}

}  // namespace

Result<U256> exp_wide(Ratio x) {
  if (x.raw() <= exp_underflow_at) return U256{};
  if (x.raw() >= exp_wide_limit) return Error(ErrorCode::overflow, "exp(x) for x >= 135.305999368893231589");
  return exp_program(x.raw());
}

Result<Ratio> exp(Ratio x) {
  if (x.raw() <= exp_underflow_at) return Ratio::zero();
  if (x.raw() < exp_wide_limit) {
    const U256 e = exp_program(x.raw());
    if (e.hi == 0 && e.lo <= static_cast<u128>(fixed_max_raw))
      return Ratio::from_raw(static_cast<i128>(e.lo));
  }
  return Error(ErrorCode::overflow, "exp(x) exceeds the fixed-point range");
}

Result<Ratio> ln(Ratio x) {
  if (x.raw() <= 0) return Error(ErrorCode::domain_error, "ln(x) is undefined for x <= 0");
  return Ratio::from_raw(ln_program(U256{0, static_cast<u128>(x.raw())}));
}

Result<Ratio> ln_wide(const U256& x) {
  if (x == U256{}) return Error(ErrorCode::domain_error, "ln(x) is undefined for x <= 0");
  return Ratio::from_raw(ln_program(x));
}

Result<Ratio> sqrt(Ratio x) {
  if (x.is_negative()) return Error(ErrorCode::domain_error, "sqrt(x) is undefined for x < 0");
  return Ratio::from_raw(static_cast<i128>(isqrt_wide(mul_wide(static_cast<u128>(x.raw()), scale))));
}

namespace {

constexpr u128 cdf_tail = u128{37} * scale;
constexpr u128 pdf_tail = u128{10} * scale;  // from |x| = 10 on, the exponent is past exp's underflow
constexpr i128 sqrt_two_pi = 2'506'628'274'631'000'502;

// §K.4 from the point where e = exp(-(z >> 1) z) is known (z <= 37).
Ratio cdf_with(i128 x, u128 z, i128 e) noexcept {
  // z and e in the 2^64 basis.
  const u128 z64 = (z << 46) / five_pow_18;
  const u128 e64 = (static_cast<u128>(e) << 46) / five_pow_18;

  u128 c = 0;
  constexpr u128 hart_limit = static_cast<u128>(c128("130438178253327725388"));  // 7.07106781186547 x 2^64
  if (z64 < hart_limit) {
    // Hart 5666: c = e x N(z) / M(z), Horner in the 2^64 basis.
    static constexpr u128 numerator[] = {
        static_cast<u128>(c128("650478250178244362")),     static_cast<u128>(c128("12919787143353136591")),
        static_cast<u128>(c128("117578849504046139487")),  static_cast<u128>(c128("625581961353917287603")),
        static_cast<u128>(c128("2067498006223917203771")), static_cast<u128>(c128("4080670594171652639712")),
        static_cast<u128>(c128("4062099735652764000328"))};
    static constexpr u128 denominator[] = {static_cast<u128>(c128("1630477228166597028")),
                                           static_cast<u128>(c128("32386342837845824709")),
                                           static_cast<u128>(c128("296331772558254578451")),
                                           static_cast<u128>(c128("1600821957476871612085")),
                                           static_cast<u128>(c128("5470644798650576484341")),
                                           static_cast<u128>(c128("11756730424506726822413")),
                                           static_cast<u128>(c128("14643514515380871948050")),
                                           static_cast<u128>(c128("8124199471305528000657"))};
    u128 n = numerator[0];
    for (int i = 1; i < 7; ++i) n = mul_q64(n, z64) + numerator[i];
    u128 d = denominator[0];
    for (int i = 1; i < 8; ++i) d = mul_q64(d, z64) + denominator[i];
    c = div_wide(mul_wide(n, e64), d).quotient;
  } else {
    // The continued fraction of the Mills ratio, four levels deep.
    u128 f = static_cast<u128>(c128("11990383647911208550"));  // 0.65 x 2^64
    for (const u128 level : {u128{4}, u128{3}, u128{2}, u128{1}})
      f = div_wide(U256{level, 0}, z64 + f).quotient;
    f = mul_q64(f + z64, static_cast<u128>(c128("46239130270042206915")));  // x sqrt(2 pi)
    c = div_wide(U256{e64 >> 64, e64 << 64}, f).quotient;
  }
  c = (c * five_pow_18) >> 46;  // back to 18 decimals
  return Ratio::from_raw(x <= 0 ? static_cast<i128>(c) : scale - static_cast<i128>(c));
}

}  // namespace

Ratio normal_cdf(Ratio x) noexcept {
  const u128 z = magnitude(x.raw());
  if (z > cdf_tail) return x.raw() <= 0 ? Ratio::zero() : Ratio::one();
  return cdf_with(x.raw(), z, exp_of_negative_square(z >> 1, z));
}

Ratio normal_pdf(Ratio x) noexcept {
  const u128 z = magnitude(x.raw());
  if (z >= pdf_tail) return Ratio::zero();
  // Derive's stdNormal halves the signed x (floor), not |x|.
  const i128 e = exp_of_negative_square(magnitude(x.raw() >> 1), z);
  return Ratio::from_raw(e * scale / sqrt_two_pi);
}

NormalValues normal_cdf_and_pdf(Ratio x) noexcept {
  const u128 z = magnitude(x.raw());
  if (z > cdf_tail) return NormalValues{x.raw() <= 0 ? Ratio::zero() : Ratio::one(), Ratio::zero()};
  const i128 e = exp_of_negative_square(z >> 1, z);
  NormalValues out{cdf_with(x.raw(), z, e), Ratio::zero()};
  if (z < pdf_tail) {
    // The density's exponent halves the signed x: the same as |x| >> 1
    // unless x is negative and odd (then one more ulp).
    const u128 half = magnitude(x.raw() >> 1);
    const i128 e_pdf = half == (z >> 1) ? e : exp_of_negative_square(half, z);
    out.pdf = Ratio::from_raw(e_pdf * scale / sqrt_two_pi);
  }
  return out;
}

Result<Ratio> pow(Ratio a, Ratio b) {
  if (a.raw() <= 0) return Error(ErrorCode::domain_error, "pow(a, b) is undefined for a <= 0");
  const i128 la = ln_program(U256{0, static_cast<u128>(a.raw())});
  // ln(a) x b / 10^18, truncated toward zero; beyond exp's domain it is
  // enough to know the sign.
  const U256 product = mul_wide(magnitude(la), magnitude(b.raw()));
  const bool negative = (la < 0) != (b.raw() < 0);
  const bool huge = product.hi >= static_cast<u128>(scale);
  const u128 quotient = huge ? 0 : div_wide(product, static_cast<u128>(scale)).quotient;
  if (huge || quotient >= static_cast<u128>(exp_wide_limit)) {
    if (negative) return Ratio::zero();
    return Error(ErrorCode::overflow, "pow(a, b) exceeds the fixed-point range");
  }
  const auto exponent = static_cast<i128>(quotient);
  return exp(Ratio::from_raw(negative ? -exponent : exponent));
}

}  // namespace vmargin::kernel
