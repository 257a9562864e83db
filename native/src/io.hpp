// Files and terminals for the CLI.
#pragma once

#include <optional>
#include <string>

namespace vmargin::cli {

/// The whole file ("-" is standard input); nullopt with `error` set when it
/// cannot be read. Reading stops past `max_bytes` so a huge file cannot
/// exhaust memory before the parser's own size check reports it.
std::optional<std::string> read_file(const std::string& path, std::string& error,
                                     std::size_t max_bytes = (std::size_t{64} << 20));

bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace vmargin::cli
