// vmargin: the command-line face of the engine. It parses the command line
// (cli_app.cpp), reads files, calls the codec and prints; nothing computes here.
//
// Exit codes (README "Exit codes"): 0 success, 2 usage error, 3 a file could
// not be read or written, 4 an input was rejected (a [vmargin.<code>] error),
// 5 verify found differences or bad lines.
#include <cstdio>
#include <string>

#include "cli_app.hpp"
#include "common.hpp"
#include "evaluate_commands.hpp"
#include "io.hpp"
#include "options.hpp"
#include "signing_commands.hpp"
#include "verify_command.hpp"
#include "vmargin/version.hpp"
#include "watch_command.hpp"

namespace vmargin::cli {

std::string Options::output_format() const {
  return format.value_or(stdout_is_terminal() ? "table" : "json");
}

namespace {

// `vmargin help [<command>]`: that command's help, or the overview. Handled
// before parsing: CLI11 would take "help eval" for two commands.
int print_help(const CLI::App& app, const std::string& topic) {
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name() == topic) {
      print(command->help(app.get_name()));
      return exit_ok;
    }
  }
  print(app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal));
  return exit_ok;
}

int dispatch(const CLI::App& app, const Options& o) {
  if (o.version || app.got_subcommand("version")) {
    print(std::string("vmargin ") + version_string + "\n");
    return exit_ok;
  }
  if (app.got_subcommand("eval")) return run_eval(o);
  if (app.got_subcommand("max-order")) return run_max_order(o);
  if (app.got_subcommand("verify")) return run_verify(o);
  if (app.got_subcommand("watch")) return run_watch(o);
  if (app.got_subcommand("keygen")) return run_keygen(o);
  if (app.got_subcommand("sign")) return run_sign(o);
  if (app.got_subcommand("inspect")) return run_inspect(o);
  return report_failure(CliFailure::usage("give a command (vmargin help lists them)"), "");
}

int run(int argc, char** argv) {
  CLI::App app("vmargin - verifiable margin engine for crypto derivatives", "vmargin");
  Options options;
  build_command_line(app, options);
  if (argc < 2) {
    print(app.help());
    return exit_usage;
  }
  if (std::string(argv[1]) == "help") return print_help(app, argc > 2 ? argv[2] : "");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    print(app.help());  // the selected command's help
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    print(app.help("", CLI::AppFormatMode::All));
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    return report_failure(CliFailure::usage(e.what()), "");
  }
  return dispatch(app, options);
}

}  // namespace
}  // namespace vmargin::cli

int main(int argc, char** argv) { return vmargin::cli::run(argc, argv); }
