// `vmargin watch`: a whole exchange's accounts revalued on every snapshot of
// a stream, with the events that matter (docs/formats.md §10).
#pragma once

#include "options.hpp"

namespace vmargin::cli {

int run_watch(const Options& options);

}  // namespace vmargin::cli
