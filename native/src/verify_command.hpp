// `vmargin verify`: compare published results with recomputed reports.
#pragma once

#include "options.hpp"

namespace vmargin::cli {

int run_verify(const Options& options);

}  // namespace vmargin::cli
