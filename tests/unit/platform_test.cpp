// The widths every result depends on, asserted on each target (this file also
// runs compiled to wasm32), in the spirit of nlohmann/json's unit-32bit.cpp.
#include <climits>
#include <cstdint>

#include "support/test_support.hpp"

using namespace vmargin;

static_assert(CHAR_BIT == 8);
static_assert(sizeof(i128) == 16);
static_assert(sizeof(std::int64_t) == 8);
static_assert(static_cast<i128>(-1) >> 1 == -1, "arithmetic right shift of negative values (C++20)");

TEST_CASE("fixed widths behave identically on this target") {
  // The i128 helpers (lowered to compiler-rt calls on wasm32) give the
  // textbook results.
  const i128 big = static_cast<i128>(1) << 100;
  CHECK(big / 3 * 3 + big % 3 == big);
  CHECK(static_cast<u128>(-big) == (~static_cast<u128>(big)) + 1);
  CHECK(static_cast<std::uint64_t>(big >> 64) == (std::uint64_t{1} << 36));
  // The pointer width differs between targets and must not matter.
  CHECK((sizeof(void*) == 4 || sizeof(void*) == 8));
  CHECK(sizeof(std::size_t) == sizeof(void*));
#if defined(__wasm32__)
  CHECK(sizeof(long) == 4);
#endif
}
