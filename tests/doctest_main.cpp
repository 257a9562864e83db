// doctest's main, keeping argv so tests can read their own options
// (--vmargin-vectors=DIR, --vmargin-outputs=FILE); doctest ignores options it does not know.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "support/test_support.hpp"

int main(int argc, char** argv) {
  vmargin::test::set_arguments(argc, argv);
  doctest::Context context(argc, argv);
  return context.run();
}
