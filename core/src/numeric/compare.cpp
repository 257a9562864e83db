#include "vmargin/numeric/compare.hpp"

namespace vmargin {
namespace {

int sign_of(i128 x) { return (x > 0) - (x < 0); }

}  // namespace

int compare_products(i128 a, i128 b, i128 c, i128 d) noexcept {
  const int s1 = sign_of(a) * sign_of(b);
  const int s2 = sign_of(c) * sign_of(d);
  if (s1 != s2) return s1 > s2 ? 1 : -1;
  if (s1 == 0) return 0;
  const int m = compare_wide(mul_wide(magnitude(a), magnitude(b)), mul_wide(magnitude(c), magnitude(d)));
  return s1 > 0 ? m : -m;
}

}  // namespace vmargin
