// The command line's grammar (CLI11): the subcommands, their options, help
// texts, validation and the options that exclude each other. Parsing fills
// an Options; everything else is the commands'.
#pragma once

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace vmargin::cli {

/// Adds every subcommand of vmargin to `app`, bound to `options`.
void build_command_line(CLI::App& app, Options& options);

}  // namespace vmargin::cli
