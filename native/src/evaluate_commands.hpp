// `vmargin eval` (plain documents; signed ones go to signing_commands) and
// `vmargin max-order`.
#pragma once

#include "options.hpp"

namespace vmargin::cli {

int run_eval(const Options& options);
int run_max_order(const Options& options);

}  // namespace vmargin::cli
