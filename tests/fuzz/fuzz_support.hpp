// Shared by the libFuzzer targets of tests/fuzz: splitting one input into
// several documents, reading the bundled examples, and failing loudly when an
// invariant does not hold (abort: libFuzzer keeps the input as a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace vmargin::fuzz {

/// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Exactly `count` parts separated by `separator` (a NUL byte: raw control
/// characters are never valid JSON, so the separator cannot be part of a
/// valid document); missing parts are empty, the last part keeps the rest.
inline std::vector<std::string_view> split(std::string_view text, std::size_t count, char separator = '\0') {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const std::size_t at = text.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  parts.push_back(text);
  parts.resize(count);
  return parts;
}

/// A file of the source tree (the examples), read once by a target.
inline std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(VMARGIN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot read %s/%s\n", VMARGIN_SOURCE_DIR, relative.c_str());
    std::abort();
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// An invariant that does not hold: the input is a finding.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace vmargin::fuzz
