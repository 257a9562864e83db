// What every CLI command shares: exit codes, output, error reporting.
#pragma once

#include <cstdio>
#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/error.hpp"

namespace vmargin::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 2;
inline constexpr int exit_io = 3;
inline constexpr int exit_rejected = 4;

inline void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

inline int usage_error(const std::string& message, const char* help) {
  std::fprintf(stderr, "vmargin: %s\n\n%s", message.c_str(), help);
  return exit_usage;
}

inline int io_error(const std::string& message) {
  std::fprintf(stderr, "vmargin: %s\n", message.c_str());
  return exit_io;
}

/// A rejected input: the error on standard error, and as {"error": ...} on
/// standard output with --format json.
inline int report_error(const Error& e, const std::string& format) {
  std::fprintf(stderr, "vmargin: %s\n", e.to_string().c_str());
  if (format == "json") print(codec::canonical_dump(codec::encode_error(e)) + "\n");
  return exit_rejected;
}

}  // namespace vmargin::cli
