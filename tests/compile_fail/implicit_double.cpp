// No floating point becomes a fixed-point value.
#include "vmargin/numeric/fixed.hpp"

int main() {
#if VMARGIN_FAILING_CODE
  vmargin::Price p = 1.5;
#else
  vmargin::Price p = vmargin::Price::from_units(1);
#endif
  return p.is_positive() ? 0 : 1;
}
