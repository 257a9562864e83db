// The signed-input commands: keygen, sign, inspect, and eval with --trust.
#pragma once

#include <string>
#include <vector>

namespace vmargin::cli {

[[nodiscard]] const char* signing_help(const std::string& command);
int run_keygen(const std::vector<std::string>& argv);
int run_sign(const std::vector<std::string>& argv);
int run_inspect(const std::vector<std::string>& argv);
/// `vmargin eval --trust ...`: verify the signed documents, then evaluate.
int run_signed_eval(const std::vector<std::string>& argv);

}  // namespace vmargin::cli
