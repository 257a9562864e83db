// The rounding directions. Every operation that can lose precision takes
// one, with no default, so the direction of every rounding is visible at the
// call site (docs/spec.md lists each one).
#pragma once

#include <cstdint>

namespace vmargin {

/// The rule for choosing one: against the account, in favour of the
/// system's solvency (requirements up, credits down).
enum class Round : std::uint8_t {
  down,         ///< toward minus infinity (floor)
  up,           ///< toward plus infinity (ceiling)
  toward_zero,  ///< truncation
};

}  // namespace vmargin
