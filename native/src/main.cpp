// vmargin: the command-line face of the engine.
//
// Exit codes (README "Exit codes"): 0 success, 2 usage error, 3 a file could
// not be read or written, 4 an input was rejected (a [vmargin.<code>] error).
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "io.hpp"
#include "table.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/version.hpp"

namespace vmargin::cli {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr int exit_io = 3;
constexpr int exit_rejected = 4;

constexpr const char* main_help = R"(vmargin - verifiable margin engine for crypto derivatives

Usage: vmargin <command> [options]

Commands:
  eval      evaluate an account: equity, requirements, margin ratio, status
  version   print the version
  help      show help for a command (vmargin help eval)

Exit codes: 0 success, 2 usage error, 3 file not readable or writable,
4 input rejected (the message names the error code, the JSON path and why).
)";

constexpr const char* eval_help =
    R"(Usage: vmargin eval --params FILE --prices FILE --account FILE [--format json|table]
       vmargin eval --input FILE [--format json|table]

Evaluates one account under the exchange's risk parameters at the given mark
prices and prints the report.

Options:
  --params FILE    risk parameters document (JSON)
  --prices FILE    mark prices document (JSON)
  --account FILE   account document (JSON)
  --input FILE     the three documents in one:
                   {"risk_parameters": ..., "prices": ..., "account": ...}
                   ("-" reads standard input)
  --format F       "json": the canonical report (one line, sorted keys,
                   decimals as strings); "table": a readable table.
                   Default: table on a terminal, json otherwise.
  --help           show this help

On a rejected input, the error goes to standard error as
"[vmargin.<code>] <JSON path>: <message>" and, with --format json, to
standard output as {"error": {"code", "path", "message"}}; exit code 4.
)";

int usage_error(const std::string& message, const char* help) {
  std::fprintf(stderr, "vmargin: %s\n\n%s", message.c_str(), help);
  return exit_usage;
}

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int run_eval(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(
      argv, 2, {{"params"}, {"prices"}, {"account"}, {"input"}, {"format"}, {"help", false}}, error);
  if (!args) return usage_error(error, eval_help);
  if (args->has("help")) {
    print(eval_help);
    return exit_ok;
  }
  if (!args->positional().empty())
    return usage_error("unexpected argument " + args->positional()[0], eval_help);

  const std::string format = args->get("format").value_or(stdout_is_terminal() ? "table" : "json");
  if (format != "json" && format != "table")
    return usage_error("--format must be json or table, not " + format, eval_help);

  const bool combined = args->has("input");
  const bool separate = args->has("params") || args->has("prices") || args->has("account");
  if (combined == separate)
    return usage_error("give either --input, or all of --params, --prices and --account", eval_help);

  Result<std::string> report = std::string();
  if (combined) {
    const auto input = read_file(*args->get("input"), error);
    if (!input) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
    report = codec::evaluate_json(*input);
  } else {
    std::vector<std::string> texts;
    for (const char* name : {"params", "prices", "account"}) {
      const auto path = args->get(name);
      if (!path) return usage_error(std::string("missing --") + name, eval_help);
      auto text = read_file(*path, error);
      if (!text) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
      texts.push_back(std::move(*text));
    }
    report = codec::evaluate_json(texts[0], texts[1], texts[2]);
  }

  if (!report.ok()) {
    std::fprintf(stderr, "vmargin: %s\n", report.error().to_string().c_str());
    if (format == "json") print(codec::canonical_dump(codec::encode_error(report.error())) + "\n");
    return exit_rejected;
  }
  if (format == "json") {
    print(*report + "\n");
  } else {
    print(render_report_table(nlohmann::json::parse(*report), stdout_is_terminal()));
  }
  return exit_ok;
}

int run(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || argv[1] == "--help" || argv[1] == "-h") {
    print(main_help);
    return argv.size() < 2 ? exit_usage : exit_ok;
  }
  const std::string& command = argv[1];
  if (command == "eval") return run_eval(argv);
  if (command == "version" || command == "--version") {
    print(std::string("vmargin ") + version_string + "\n");
    return exit_ok;
  }
  if (command == "help") {
    if (argv.size() > 2 && argv[2] == "eval") {
      print(eval_help);
    } else {
      print(main_help);
    }
    return exit_ok;
  }
  return usage_error("unknown command \"" + command + "\"", main_help);
}

}  // namespace
}  // namespace vmargin::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return vmargin::cli::run(args);
}
