#include "support/test_support.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace vmargin::test {
namespace {
std::vector<std::string>& arguments() {
  static std::vector<std::string> args;
  return args;
}
}  // namespace

void set_arguments(int argc, char** argv) { arguments().assign(argv, argv + argc); }

std::optional<std::string> option(const std::string& name) {
  const std::string prefix = "--" + name + "=";
  for (const std::string& a : arguments()) {
    if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
  }
  return std::nullopt;
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vmargin::test
