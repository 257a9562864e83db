// Exact comparisons of products, so ratios are compared by cross-multiplying
// instead of dividing (a rounded quotient could put a value on the wrong side
// of a threshold).
#pragma once

#include <type_traits>

#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// The sign of a x b - c x d, exactly (-1, 0 or 1), for any raw values.
[[nodiscard]] int compare_products(i128 a, i128 b, i128 c, i128 d) noexcept;

/// The sign of a x b - c x d for products of one unit, exactly.
template <class A, class B, class C, class D>
requires std::is_same_v<Product<A, B>, Product<C, D>>
[[nodiscard]] int compare_products(A a, B b, C c, D d) noexcept {
  return compare_products(a.raw(), b.raw(), c.raw(), d.raw());
}

}  // namespace vmargin
