// Integers do not silently become fixed-point values (is 5 five units or
// five raw steps of 10^-18?): from_units or from_raw says which.
#include "vmargin/numeric/fixed.hpp"

int main() {
#if VMARGIN_FAILING_CODE
  vmargin::Money m = 5;
#else
  vmargin::Money m = vmargin::Money::from_units(5);
#endif
  return m.is_positive() ? 0 : 1;
}
