#include "evaluate_commands.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "common.hpp"
#include "io.hpp"
#include "signing_commands.hpp"
#include "table.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"

namespace vmargin::cli {
namespace {

// The three documents' texts; a usage failure names the first one missing.
struct Documents {
  std::string params, prices, account;
};

bool has_documents(const Options& o) { return o.params && o.prices && o.account; }

CliResult<Documents> read_documents(const Options& o) {
  if (!has_documents(o))
    return CliFailure::usage("give either --input, or all of --params, --prices and --account");
  VMARGIN_TRY(std::string params, read_file(*o.params, "/risk_parameters"));
  VMARGIN_TRY(std::string prices, read_file(*o.prices, "/prices"));
  VMARGIN_TRY(std::string account, read_file(*o.account, "/account"));
  return Documents{std::move(params), std::move(prices), std::move(account)};
}

// --scenario FILE and --shock FEED=X into one scenario.
CliResult<Scenario> read_scenario(const Options& o) {
  Scenario scenario;
  if (o.scenario) {
    VMARGIN_TRY(const std::string text, read_file(*o.scenario, "/scenario"));
    VMARGIN_TRY(const codec::Json doc, codec::parse_strict_json(text, "/scenario"));
    VMARGIN_TRY(scenario, codec::decode_scenario(doc));
  }
  for (const std::string& s : o.shocks) {
    VMARGIN_TRY(const PriceShock shock,
                codec::parse_shock_argument(s).on_error([](Error& e) { e.at("/scenario/shocks"); }));
    scenario.shocks.push_back(shock);
  }
  std::sort(scenario.shocks.begin(), scenario.shocks.end(),
            [](const PriceShock& a, const PriceShock& b) { return a.feed < b.feed; });
  return scenario;
}

// One evaluation, from --input or from the separate documents (and scenario).
CliResult<codec::Evaluation> evaluate_plain(const Options& o) {
  if (o.input) {
    VMARGIN_TRY(const std::string text, read_file(*o.input, ""));
    return codec::evaluate_text(text);
  }
  VMARGIN_TRY(const Documents docs, read_documents(o));
  VMARGIN_TRY(const Scenario scenario, read_scenario(o));
  return codec::evaluate_text(docs.params, docs.prices, docs.account, scenario);
}

CliResult<LargestOrder> largest_order(const Options& o) {
  if (o.input) {
    VMARGIN_TRY(const std::string text, read_file(*o.input, ""));
    return codec::largest_order_of(text);
  }
  if (has_documents(o) && (!o.market || !o.side))
    return CliFailure::usage(std::string("missing --") + (o.market ? "side" : "market"));
  VMARGIN_TRY(const Documents docs, read_documents(o));
  VMARGIN_TRY(const Scenario scenario, read_scenario(o));
  VMARGIN_TRY(const OrderQuery query, codec::order_query_of(*o.market, *o.side, o.price));
  return codec::largest_order_of(docs.params, docs.prices, docs.account, scenario, query);
}

}  // namespace

int run_eval(const Options& o) {
  if (o.trust) return run_signed_eval(o);
  const std::string format = o.output_format();
  const CliResult<codec::Evaluation> evaluation = evaluate_plain(o);
  if (!evaluation.ok()) return report_failure(evaluation.error(), format);
  if (format == "json") {
    print(codec::report_text(*evaluation) + "\n");
  } else {
    print(render_report_table(evaluation->report, evaluation->risk_parameters.version, stdout_is_terminal()));
  }
  return exit_ok;
}

int run_max_order(const Options& o) {
  const std::string format = o.output_format();
  const CliResult<LargestOrder> order = largest_order(o);
  if (!order.ok()) return report_failure(order.error(), format);
  print(format == "json" ? codec::largest_order_text(*order) + "\n"
                         : render_largest_order(*order, stdout_is_terminal()));
  return exit_ok;
}

}  // namespace vmargin::cli
