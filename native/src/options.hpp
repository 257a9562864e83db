// The command line, parsed: what each command was given. CLI11 fills these
// (cli_app.cpp); the commands read them. An option not given is nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vmargin::cli {

using OptionalPath = std::optional<std::string>;

struct Options {
  // Plain documents (eval, max-order, verify).
  OptionalPath params, prices, account, input, scenario;
  std::vector<std::string> shocks;  ///< --shock FEED=X, repeatable
  // Signed documents (--trust: eval, verify).
  OptionalPath trust, snapshot, statement, state, save_state;
  // max-order.
  std::optional<std::string> market, side, price;
  // verify.
  OptionalPath published, accounts, out, summary;
  unsigned threads = 0;  ///< 0: all cores
  bool no_progress = false;
  // watch (also --params, --accounts, --trust, --state, --save-state).
  OptionalPath stream, events, metrics;
  std::optional<std::string> insurance_fund, shard;
  std::optional<std::string> nats, stream_subject, events_subject;
  // keygen, sign, inspect.
  std::optional<std::string> seed, role, key, key_id;
  std::optional<std::string> type;  ///< sign --type: a document type other than the role's first
  std::vector<std::string> files;   ///< positional FILE
  std::optional<std::string> format;
  bool version = false;  ///< vmargin --version

  /// --format, or table on a terminal and json otherwise.
  [[nodiscard]] std::string output_format() const;
};

}  // namespace vmargin::cli
