#pragma once
// Clamped arithmetic, for ranking keys only: a key beyond the representable
// range keeps its place in the order at the range's end instead of failing
// the report that carries it. Every figure of a report that is an amount
// uses the checked operations of arithmetic.hpp.

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

/// a x b / c rounded once, clamped to the representable range (min() or
/// max(), by the sign of the exact quotient) where that lies beyond it: only
/// for ranking keys, whose order the clamp keeps (the ADL index, §7.5).
template <class A, class B, class C>
[[nodiscard]] Result<Quotient<Product<A, B>, C>> mul_div_saturating(A a, B b, C c, Round round) {
  using Q = Quotient<Product<A, B>, C>;
  i128 r = 0;
  const Fault f = mul_div_fault(a.raw(), b.raw(), c.raw(), round, r);
  if (f == Fault::overflow) {
    const bool negative = ((a.raw() < 0) != (b.raw() < 0)) != (c.raw() < 0);
    return negative ? Q::min() : Q::max();
  }
  if (f != Fault::none)
    return arithmetic_error(f, to_string(a) + " x " + to_string(b) + " / " + to_string(c));
  return Q::from_raw(r);
}

}  // namespace vmargin
