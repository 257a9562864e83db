// vmargin: the command-line face of the engine.
//
// Exit codes (README "Exit codes"): 0 success, 2 usage error, 3 a file could
// not be read or written, 4 an input was rejected (a [vmargin.<code>] error),
// 5 verify found differences or bad lines.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "common.hpp"
#include "io.hpp"
#include "signing_commands.hpp"
#include "table.hpp"
#include "verify_command.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/version.hpp"

namespace vmargin::cli {
namespace {

constexpr const char* main_help = R"(vmargin - verifiable margin engine for crypto derivatives

Usage: vmargin <command> [options]

Commands:
  eval       evaluate an account: equity, requirements, ratio, status,
             liquidation and bankruptcy prices, partial-liquidation plans;
             optionally under a what-if scenario (--shock, --scenario)
  max-order  the largest order that still meets the initial requirement
  verify     compare the exchange's published results with recomputed
             reports: one account, or millions from JSON Lines in bulk
  keygen     make an Ed25519 key pair (from a seed, or random)
  sign       sign a document: a signed envelope of its exact bytes
  inspect    show what a signed document holds and whether it verifies
  version    print the version
  help       show help for a command (vmargin help eval)

Exit codes: 0 success, 2 usage error, 3 file not readable or writable,
4 input rejected (the message names the error code, the JSON path and why),
5 verify found differences or bad lines.
)";

constexpr const char* eval_help = R"(Usage: vmargin eval --params FILE --prices FILE --account FILE [options]
       vmargin eval --input FILE [--format json|table]

Evaluates one account under the exchange's risk parameters at the given
prices and prints the report (docs/spec.md): pools, positions with their
liquidation and bankruptcy prices, collateral, partial-liquidation plans.
With --trust, the inputs are signed documents, verified first: see
vmargin eval --trust x --help.

Options:
  --params FILE      risk parameters document (JSON)
  --prices FILE      prices document (JSON)
  --account FILE     account document (JSON)
  --input FILE       the documents in one: {"risk_parameters": ..., "prices": ...,
                     "account": ..., "scenario": ... (optional)} ("-": standard input)
  --shock FEED=X     what-if: move FEED's mark and stable price by X, e.g.
                     BTC-USD=-10% or BTC-USD=-0.1 (repeatable)
  --scenario FILE    what-if: a scenario document (shocks, collateral changes,
                     hypothetical orders; docs/spec.md section 9)
  --format F         "json": the canonical report (one line, sorted keys,
                     decimals as strings); "table": a readable table.
                     Default: table on a terminal, json otherwise.
  --help             show this help

On a rejected input, the error goes to standard error as
"[vmargin.<code>] <JSON path>: <message>" and, with --format json, to
standard output as {"error": {"code", "path", "message"}}; exit code 4.
)";

// --scenario FILE and --shock FEED=X into one scenario; `io_error` is set
// when the file cannot be read.
Result<Scenario> read_scenario(const Args& args, std::string& io_error) {
  Scenario scenario;
  if (const auto file = args.get("scenario")) {
    const auto text = read_file(*file, io_error);
    if (!text) return Error(ErrorCode::invalid_value, io_error);
    VMARGIN_TRY(const codec::Json doc, codec::parse_strict_json(*text, "/scenario"));
    VMARGIN_TRY(scenario, codec::decode_scenario(doc));
  }
  for (const std::string& s : args.all("shock")) {
    VMARGIN_TRY(const PriceShock shock,
                codec::parse_shock_argument(s).on_error([](Error& e) { e.at("/scenario/shocks"); }));
    scenario.shocks.push_back(shock);
  }
  std::sort(scenario.shocks.begin(), scenario.shocks.end(),
            [](const PriceShock& a, const PriceShock& b) { return a.feed < b.feed; });
  return scenario;
}

constexpr const char* max_order_help = R"(Usage: vmargin max-order --params FILE --prices FILE --account FILE
                         --market MARKET --side buy|sell [--price P] [--shock FEED=X]... [--format json|table]
       vmargin max-order --input FILE [--format json|table]

The largest order in MARKET on SIDE (lot-rounded) after which the pool the
order lands in still meets its initial requirement (docs/spec.md section 9).
Orders that only reduce an existing position always pass.

Options:
  --params, --prices, --account FILE   the documents, as for eval
  --input FILE      everything in one document: {"risk_parameters", "prices",
                    "account", "scenario" (optional), "query": {"market",
                    "side", "price" (optional)}}
  --market MARKET   the market to trade
  --side buy|sell   the order's side
  --price P         fill price (default: the mark)
  --shock FEED=X    evaluate after a price move (repeatable)
  --scenario FILE   evaluate after a scenario (see eval --help)
  --format F        json (default when not a terminal) or table
)";

int print_largest_order(const Result<std::string>& out, const std::string& format) {
  if (!out.ok()) return report_error(out.error(), format);
  if (format == "json") {
    print(*out + "\n");
  } else {
    const auto j = nlohmann::json::parse(*out);
    print("Largest " + j["side"].get<std::string>() + " order in " + j["market"].get<std::string>() + " at " +
          j["price"].get<std::string>() + ": " + j["quantity"].get<std::string>() + "\n\n");
    print(render_pool_table("Pool after the order", j["pool_after"], stdout_is_terminal()));
  }
  return exit_ok;
}

int run_max_order(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2,
                                {{"params"},
                                 {"prices"},
                                 {"account"},
                                 {"input"},
                                 {"market"},
                                 {"side"},
                                 {"price"},
                                 {"shock", true, true},
                                 {"scenario"},
                                 {"format"},
                                 {"help", false}},
                                error);
  if (!args) return usage_error(error, max_order_help);
  if (args->has("help")) {
    print(max_order_help);
    return exit_ok;
  }
  const std::string format = args->get("format").value_or(stdout_is_terminal() ? "table" : "json");
  if (format != "json" && format != "table")
    return usage_error("--format must be json or table, not " + format, max_order_help);
  if (!args->positional().empty())
    return usage_error("unexpected argument " + args->positional()[0], max_order_help);
  if (args->has("input")) {
    for (const char* name : {"params", "prices", "account", "market", "side", "price", "shock", "scenario"}) {
      if (args->has(name))
        return usage_error(
            std::string("--") + name + " cannot be combined with --input (put it in the document)",
            max_order_help);
    }
    const auto text = read_file(*args->get("input"), error);
    if (!text) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
    return print_largest_order(codec::largest_order_json(*text), format);
  }
  for (const char* name : {"params", "prices", "account", "market", "side"}) {
    if (!args->has(name)) return usage_error(std::string("missing --") + name, max_order_help);
  }
  codec::Json input = codec::Json::object();
  for (const auto& [name, key] : {std::pair{"params", "risk_parameters"}, std::pair{"prices", "prices"},
                                  std::pair{"account", "account"}}) {
    const auto text = read_file(*args->get(name), error);
    if (!text) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
    const Result<codec::Json> doc = codec::parse_strict_json(*text, std::string("/") + key);
    if (!doc.ok()) return report_error(doc.error(), format);
    input[key] = doc.value();
  }
  const Result<Scenario> scenario = read_scenario(*args, error);
  if (!scenario.ok()) {
    if (!error.empty()) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
    return report_error(scenario.error(), format);
  }
  codec::Json query = {{"market", *args->get("market")}, {"side", *args->get("side")}};
  if (const auto price = args->get("price")) query["price"] = *price;
  input["query"] = query;
  // The scenario is re-encoded for the combined document.
  if (!scenario->shocks.empty() || !scenario->collateral.empty() || !scenario->orders.empty()) {
    codec::Json s = codec::Json::object();
    codec::Json shocks = codec::Json::object();
    for (const PriceShock& sh : scenario->shocks) shocks[sh.feed] = vmargin::to_string(sh.change);
    s["shocks"] = shocks;
    codec::Json collateral = codec::Json::object();
    for (const CollateralChange& c : scenario->collateral) collateral[c.asset] = vmargin::to_string(c.delta);
    s["collateral"] = collateral;
    codec::Json orders = codec::Json::array();
    for (const Order& o : scenario->orders) {
      codec::Json j = {{"market", o.market}, {"quantity", vmargin::to_string(o.quantity)}};
      if (o.price) j["price"] = vmargin::to_string(*o.price);
      orders.push_back(j);
    }
    s["orders"] = orders;
    input["scenario"] = s;
  }
  return print_largest_order(codec::largest_order_json(codec::canonical_dump(input)), format);
}

int run_eval(const std::vector<std::string>& argv) {
  // Signed inputs: verify first (vmargin eval --trust ...).
  for (std::size_t i = 2; i < argv.size(); ++i) {
    if (argv[i] == "--trust" || argv[i].rfind("--trust=", 0) == 0) return run_signed_eval(argv);
  }
  std::string error;
  const auto args = Args::parse(argv, 2,
                                {{"params"},
                                 {"prices"},
                                 {"account"},
                                 {"input"},
                                 {"format"},
                                 {"shock", true, true},
                                 {"scenario"},
                                 {"help", false}},
                                error);
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

  if (combined && (args->has("shock") || args->has("scenario")))
    return usage_error("with --input, put the scenario in the input document", eval_help);
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
    const Result<Scenario> scenario = read_scenario(*args, error);
    if (!scenario.ok()) {
      if (!error.empty()) return std::fprintf(stderr, "vmargin: %s\n", error.c_str()), exit_io;
      return report_error(scenario.error(), format);
    }
    report = codec::evaluate_json(texts[0], texts[1], texts[2], scenario.value());
  }

  if (!report.ok()) return report_error(report.error(), format);
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
  if (command == "max-order") return run_max_order(argv);
  if (command == "verify") return run_verify(argv);
  if (command == "keygen") return run_keygen(argv);
  if (command == "sign") return run_sign(argv);
  if (command == "inspect") return run_inspect(argv);
  if (command == "version" || command == "--version") {
    print(std::string("vmargin ") + version_string + "\n");
    return exit_ok;
  }
  if (command == "help") {
    if (argv.size() > 2 && argv[2] == "eval") {
      print(eval_help);
    } else if (argv.size() > 2 && argv[2] == "max-order") {
      print(max_order_help);
    } else if (argv.size() > 2 && argv[2] == "verify") {
      print(verify_help);
    } else if (argv.size() > 2 && (argv[2] == "keygen" || argv[2] == "sign" || argv[2] == "inspect")) {
      print(signing_help(argv[2]));
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
