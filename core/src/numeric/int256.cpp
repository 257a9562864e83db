#include "vmargin/numeric/int256.hpp"

namespace vmargin {

i128 divide_truncating(const I256& n, i128 d) noexcept {
  const bool negative = is_negative(n) != (d < 0);
  const I256 m = is_negative(n) ? -n : n;
  const WideDivision q = div_wide(U256{m.hi, m.lo}, magnitude(d));
  const auto quotient = static_cast<i128>(q.quotient);
  return negative ? -quotient : quotient;
}

}  // namespace vmargin
