// `vmargin verify`: compare published results with recomputed reports.
#pragma once

#include <string>
#include <vector>

namespace vmargin::cli {

extern const char* const verify_help;

int run_verify(const std::vector<std::string>& argv);

}  // namespace vmargin::cli
