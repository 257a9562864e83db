// The signed-input commands: keygen, sign, inspect, and eval with --trust.
#pragma once

#include "options.hpp"

namespace vmargin::cli {

int run_keygen(const Options& options);
int run_sign(const Options& options);
int run_inspect(const Options& options);
/// `vmargin eval --trust ...`: verify the signed documents, then evaluate.
int run_signed_eval(const Options& options);

}  // namespace vmargin::cli
