#include "vmargin/numeric/slope.hpp"

namespace vmargin {

void SlopeSum::add_quotient(i128 x, i128 d) noexcept {
  i128 q = 0;
  if (!known_ || mul_div_fault(x, fixed_scale, d, Round::toward_zero, q) != Fault::none) {
    known_ = false;
    return;
  }
  add_exact(q);
  error_ += 1;
}

void SlopeSum::add_product_raw(i128 x, i128 y, bool negate) noexcept {
  i128 p = 0;
  if (!known_ || mul_div_fault(x, y, fixed_scale, Round::toward_zero, p) != Fault::none) {
    known_ = false;
    return;
  }
  add_exact(negate ? -p : p);
  error_ += 1;
}

void SlopeSum::subtract_requirement(Quantity size, Ratio rate, Ratio multiplier) noexcept {
  // |q| x rate x m / 10^36 in two truncations: error 1 x m / 10^18 + 1, plus 1.
  i128 a = 0, p = 0;
  if (!known_ ||
      mul_div_fault(size.abs().raw(), rate.raw(), fixed_scale, Round::toward_zero, a) != Fault::none ||
      mul_div_fault(a, multiplier.raw(), fixed_scale, Round::toward_zero, p) != Fault::none) {
    known_ = false;
    return;
  }
  add_exact(-p);
  error_ += multiplier.raw() / fixed_scale + 2;
}

void SlopeSum::add(const SlopeSum& other) noexcept {
  if (!other.known_) known_ = false;
  add_exact(other.value_);
  error_ += other.error_;
}

SlopeSum SlopeSum::weighted(Ratio weight) const noexcept {
  // |w x (v +- e) - trunc(w x v)| <= w e + 1 <= e + 1 for a weight <= 1.
  SlopeSum w;
  w.known_ = known_;
  w.error_ = error_;
  if (known_) w.add_product_raw(value_, weight.raw(), false);
  return w;
}

}  // namespace vmargin
