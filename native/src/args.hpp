// A small, strict command-line parser: --name value, --name=value and flags;
// unknown options and missing values are usage errors, never ignored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmargin::cli {

struct OptionSpec {
  std::string name;  ///< without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
};

class Args {
 public:
  /// Parses argv[first..]; on error returns nullopt and sets `error`.
  static std::optional<Args> parse(const std::vector<std::string>& argv, std::size_t first,
                                   const std::vector<OptionSpec>& specs, std::string& error);

  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) != 0; }
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace vmargin::cli
