#include "io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "vmargin/codec/model_codec.hpp"

namespace vmargin::cli {

int report_failure(const CliFailure& failure, const std::string& format) {
  if (!failure.error) {
    std::fprintf(stderr, "vmargin: %s\n", failure.message.c_str());
    return failure.exit_code;
  }
  std::fprintf(stderr, "vmargin: %s\n", failure.error->to_string().c_str());
  if (format == "json") print(codec::canonical_dump(codec::encode_error(*failure.error)) + "\n");
  return failure.exit_code;
}

CliResult<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return CliFailure::io("cannot open " + path + ": " + std::strerror(errno));
  std::string data;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    data.append(buffer, n);
    if (data.size() > max_bytes) break;  // the parser reports the size
  }
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) return CliFailure::io("cannot read " + path);
  return data;
}

CliResult<std::string> read_optional_file(const std::optional<std::string>& path) {
  if (!path) return std::string();
  return read_file(*path);
}

CliResult<std::monostate> write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.flush();
  if (!f.good()) return CliFailure::io("cannot write " + path);
  return std::monostate{};
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) != 0; }
bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace vmargin::cli
