// Every operation that can lose precision names its rounding direction.
#include "vmargin/numeric/arithmetic.hpp"

int main() {
  const vmargin::Money m = vmargin::Money::one();
  const vmargin::Ratio r = vmargin::Ratio::one();
#if VMARGIN_FAILING_CODE
  auto x = vmargin::mul(m, r);
#else
  auto x = vmargin::mul(m, r, vmargin::Round::up);
#endif
  return x.ok() ? 0 : 1;
}
