// money + quantity has no meaning.
#include "vmargin/numeric/arithmetic.hpp"

int main() {
  const vmargin::Money m = vmargin::Money::one();
  const vmargin::Quantity q = vmargin::Quantity::one();
#if VMARGIN_FAILING_CODE
  auto s = vmargin::add(m, q);
#else
  auto s = vmargin::add(m, m);
#endif
  (void)q;
  return s.ok() ? 0 : 1;
}
