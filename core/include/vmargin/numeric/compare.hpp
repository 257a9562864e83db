// Exact comparisons of products, so ratios are compared by cross-multiplying
// instead of dividing (a rounded quotient could put a value on the wrong side
// of a threshold).
#pragma once

#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// The sign of a x b - c x d, exactly (-1, 0 or 1), for any raw values.
[[nodiscard]] int compare_products(i128 a, i128 b, i128 c, i128 d) noexcept;

}  // namespace vmargin
