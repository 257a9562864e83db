#include "args.hpp"

namespace vmargin::cli {

std::optional<Args> Args::parse(const std::vector<std::string>& argv, std::size_t first,
                                const std::vector<OptionSpec>& specs, std::string& error) {
  Args args;
  for (std::size_t i = first; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      for (++i; i < argv.size(); ++i) args.positional_.push_back(argv[i]);
      break;
    }
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      args.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      error = "unknown option --" + name;
      return std::nullopt;
    }
    if (args.has(name) && !spec->repeatable) {
      error = "option --" + name + " given more than once";
      return std::nullopt;
    }
    if (!spec->takes_value) {
      if (inline_value) {
        error = "option --" + name + " takes no value";
        return std::nullopt;
      }
      args.values_[name].emplace_back();
      continue;
    }
    if (inline_value) {
      args.values_[name].push_back(*inline_value);
    } else if (i + 1 < argv.size()) {
      args.values_[name].push_back(argv[++i]);
    } else {
      error = "option --" + name + " needs a value";
      return std::nullopt;
    }
  }
  return args;
}

std::optional<std::string> Args::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace vmargin::cli
