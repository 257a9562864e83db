#include "support/test_support.hpp"

#include <fstream>
#include <sstream>
#include <utility>
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

SignedExample signed_example(const std::string& option_name) {
  const auto dir = option(option_name);
  REQUIRE_MESSAGE(dir.has_value(), "pass --" << option_name << "=DIR (examples/signed)");
  SignedExample e;
  const std::pair<std::string*, const char*> files[] = {{&e.trust, "trust.json"},
                                                        {&e.params, "risk_parameters.signed"},
                                                        {&e.snapshot, "snapshot.signed"},
                                                        {&e.statement, "statement.signed"}};
  for (const auto& [out, name] : files) {
    const std::string path = *dir + "/" + name;
    const auto text = read_text_file(path);
    REQUIRE_MESSAGE(text.has_value(), "cannot read " << path);
    *out = *text;
  }
  return e;
}

}  // namespace vmargin::test
