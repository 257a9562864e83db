// price x price has no meaning: there is no operator* and no ProductOf.
#include "vmargin/numeric/arithmetic.hpp"

int main() {
  const vmargin::Price a = vmargin::Price::one();
  const vmargin::Price b = vmargin::Price::one();
#if VMARGIN_FAILING_CODE
  auto c = vmargin::mul(a, b, vmargin::Round::up);
#else
  auto c = vmargin::mul(vmargin::Quantity::one(), b, vmargin::Round::up);
#endif
  (void)a;
  return c.ok() ? 0 : 1;
}
