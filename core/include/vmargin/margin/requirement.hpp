// Margin requirements: what a position must hold to be opened (initial) and
// to stay open (maintenance).
#pragma once

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// requirement = notional x rate, rounded up (a requirement never rounds in
/// the account's favour).
[[nodiscard]] Result<Money> margin_requirement(Money notional, Ratio rate);

}  // namespace vmargin
