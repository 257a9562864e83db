#include "vmargin/numeric/compare.hpp"

#include "support/test_support.hpp"

using namespace vmargin;

TEST_CASE("compare_products is exact for every sign and at the bounds") {
  CHECK(compare_products(2, 3, 3, 2) == 0);
  CHECK(compare_products(2, 3, 5, 1) == 1);
  CHECK(compare_products(-2, 3, 5, 1) == -1);
  CHECK(compare_products(-2, 3, -5, 1) == -1);  // -6 < -5
  CHECK(compare_products(-2, 3, -7, 1) == 1);   // -6 > -7
  CHECK(compare_products(-2, -3, 5, 1) == 1);
  CHECK(compare_products(0, 3, 0, -7) == 0);
  CHECK(compare_products(0, 3, -1, 7) == 1);
  CHECK(compare_products(0, 3, 1, 7) == -1);
  // Products beyond 128 bits, differing in the last unit.
  CHECK(compare_products(i128_max, i128_max, i128_max, i128_max - 1) == 1);
  CHECK(compare_products(-i128_max, i128_max, i128_max, -(i128_max - 1)) == -1);
  CHECK(compare_products(i128_min, i128_min, i128_max, i128_max) == 1);
  CHECK(compare_products(i128_min, 1, -i128_max, 1) == -1);
}
