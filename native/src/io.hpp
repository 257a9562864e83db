// Files and terminals for the CLI.
#pragma once

#include <optional>
#include <string>

#include "common.hpp"

namespace vmargin::cli {

/// The whole file ("-" is standard input), or an I/O failure. Reading stops
/// past `max_bytes` so a huge file cannot exhaust memory before the parser's
/// own size check reports it.
CliResult<std::string> read_file(const std::string& path, std::size_t max_bytes = (std::size_t{64} << 20));

/// read_file, or "" when no path was given.
CliResult<std::string> read_optional_file(const std::optional<std::string>& path);

/// Writes `text` to `path`, or an I/O failure.
CliResult<std::monostate> write_file(const std::string& path, const std::string& text);

bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace vmargin::cli
