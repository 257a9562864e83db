// `vmargin verify`: recompute and compare with the exchange's published
// results, for one account or for JSON Lines in bulk (multi-threaded, output
// in input order whatever the number of threads).
#include "verify_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "common.hpp"
#include "io.hpp"
#include "terminal_text.hpp"
#include "vmargin/audit/bulk_audit.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::cli {

using audit::Tally;
using codec::InputVersions;
using codec::Json;

namespace {

// --<name> FILE, whose document is located at `document` in errors.
CliResult<std::string> read_named(const OptionalPath& path, const char* name, std::string_view document) {
  if (!path) return CliFailure::usage(std::string("missing --") + name);
  return read_file(*path, document);
}

// The auditor every account is recomputed with: plain documents, or signed
// ones verified first (vmargin::audit).
CliResult<codec::ReportAuditor> make_auditor(const Options& o) {
  if (!o.trust) {
    VMARGIN_TRY(const std::string params, read_named(o.params, "params", input_path::risk_parameters));
    VMARGIN_TRY(const std::string prices, read_named(o.prices, "prices", input_path::prices));
    return audit::plain_auditor(params, prices);
  }
  VMARGIN_TRY(const std::string trust, read_named(o.trust, "trust", "/trust"));
  VMARGIN_TRY(const std::string params, read_named(o.params, "params", "/params"));
  VMARGIN_TRY(const std::string snapshot, read_named(o.snapshot, "snapshot", "/snapshot"));
  VMARGIN_TRY(const std::string state, read_state_file(o.state));
  return audit::signed_auditor(trust, state, params, snapshot);
}

// A value as one line of JSON, whatever bytes its strings hold.
std::string json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string differences_table(const Json& comparison) {
  std::string out;
  if (comparison["match"].get<bool>()) {
    out = "match: the published report equals the recomputed one, field for field\n";
  } else {
    out = "MISMATCH: " + std::to_string(comparison["differences"].size()) + " field(s) differ\n";
    for (const Json& d : comparison["differences"]) {
      // Paths name markets and assets, values come from the published file:
      // escaped for the terminal (terminal_safe).
      out += "  " + terminal_safe(d["path"].get<std::string>()) + " (" + d["kind"].get<std::string>() + ")";
      if (d.contains("recomputed")) out += "  recomputed " + terminal_safe(json_text(d["recomputed"]));
      if (d.contains("published")) out += "  published " + terminal_safe(json_text(d["published"]));
      out += "\n";
    }
  }
  const Json& in = comparison["inputs"];
  out += "account " + terminal_safe(comparison["account"].get<std::string>()) + ", risk parameters version " +
         std::to_string(in["risk_parameters_version"].get<std::uint64_t>()) + ", as_of " +
         std::to_string(in["as_of"].get<std::int64_t>()) + " ms" +
         (in.contains("snapshot_id") ? ", snapshot " + terminal_safe(in["snapshot_id"].get<std::string>())
                                     : "") +
         "\n";
  return out;
}

// A recomputed report and the inputs it came from.
struct Recomputed {
  Json report;
  InputVersions inputs;
};

// --input FILE, or --params, --prices and --account: decoded and evaluated by
// the codec. A what-if scenario has nothing published to compare with.
CliResult<Recomputed> recompute_plain(const Options& o) {
  codec::EvaluationInput in;
  if (o.input) {
    VMARGIN_TRY(const std::string text, read_file(*o.input, ""));
    VMARGIN_TRY(const Json doc, codec::parse_strict_json(text));
    VMARGIN_TRY(in, codec::decode_evaluation_input(doc));
    if (!in.scenario.shocks.empty() || !in.scenario.collateral.empty() || !in.scenario.orders.empty()) {
      return Error(ErrorCode::invalid_value, "a what-if scenario has no published results to verify against",
                   "/scenario");
    }
  } else {
    VMARGIN_TRY(const std::string params, read_named(o.params, "params", input_path::risk_parameters));
    VMARGIN_TRY(const std::string prices, read_named(o.prices, "prices", input_path::prices));
    VMARGIN_TRY(const std::string account, read_named(o.account, "account", input_path::account));
    VMARGIN_TRY(in, codec::decode_evaluation_documents(params, prices, account));
  }
  const InputVersions inputs{in.risk_parameters.version, in.prices.as_of_ms, ""};
  VMARGIN_TRY(const codec::Evaluation e, codec::evaluate_input(std::move(in)));
  return Recomputed{codec::encode_report(e.report, e.risk_parameters), inputs};
}

CliResult<Recomputed> recompute_signed(const Options& o) {
  VMARGIN_TRY(const std::string trust, read_named(o.trust, "trust", "/trust"));
  VMARGIN_TRY(const std::string params, read_named(o.params, "params", "/params"));
  VMARGIN_TRY(const std::string snapshot, read_named(o.snapshot, "snapshot", "/snapshot"));
  VMARGIN_TRY(const std::string statement, read_named(o.statement, "statement", "/statement"));
  VMARGIN_TRY(const std::string state, read_state_file(o.state));
  VMARGIN_TRY(const signing::SignedEvaluation e,
              signing::verify_and_evaluate(trust, state, params, snapshot, statement));
  const signing::VerificationSummary& v = e.inputs.summary();
  return Recomputed{codec::encode_report(e.report, e.inputs.parameters().get()),
                    InputVersions{v.parameters_version, v.snapshot_as_of_ms, v.snapshot_id}};
}

// The comparison document of one account.
CliResult<Json> compare_one(const Options& o) {
  VMARGIN_TRY(const std::string published_text, read_named(o.published, "published", "/published"));
  VMARGIN_TRY(const Recomputed r, o.trust ? recompute_signed(o) : recompute_plain(o));
  VMARGIN_TRY(const Json published, codec::parse_strict_json(published_text, "/published"));
  return codec::encode_comparison(r.report["account"].get<std::string>(), r.inputs,
                                  codec::compare_reports(r.report, published));
}

int verify_one(const Options& o) {
  const std::string format = o.output_format();
  const CliResult<Json> comparison = compare_one(o);
  if (!comparison.ok()) return report_failure(comparison.error(), format);
  print(format == "json" ? codec::canonical_dump(*comparison) + "\n" : differences_table(*comparison));
  return (*comparison)["match"].get<bool>() ? exit_ok : exit_differences;
}

// --- bulk ------------------------------------------------------------------

std::string with_commas(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// The files of a bulk run and how it reports progress.
struct BulkFiles {
  audit::LineReader accounts, published;
  std::ofstream out;  ///< not open: standard output
  std::string out_path;
};

// Every input file of a verify run, for the check that no output is one.
std::vector<std::pair<const char*, const OptionalPath*>> input_files(const Options& o) {
  return {{"--accounts", &o.accounts}, {"--published", &o.published}, {"--params", &o.params},
          {"--prices", &o.prices},     {"--trust", &o.trust},         {"--snapshot", &o.snapshot},
          {"--state", &o.state}};
}

// --out and --summary may not name an input (compared by device and inode,
// so other spellings and links of one file are caught) or each other: the
// input would be erased before it is read. Checked before anything is
// opened for writing.
CliResult<std::monostate> check_outputs(const Options& o) {
  for (const auto& [output, path] : {std::pair{"--out", &o.out}, std::pair{"--summary", &o.summary}}) {
    if (!*path) continue;
    for (const auto& [input, in] : input_files(o)) {
      if (*in && same_file(**path, **in))
        return CliFailure::usage(std::string(output) + " " + **path + " is the same file as " + input + " " +
                                 **in + ": it would be overwritten; write the results elsewhere");
    }
  }
  if (o.out && o.summary && same_file(*o.out, *o.summary))
    return CliFailure::usage("--out and --summary are the same file");
  return std::monostate{};
}

CliResult<BulkFiles> open_bulk_files(const Options& o) {
  VMARGIN_TRY(audit::LineReader accounts, open_lines(*o.accounts));
  VMARGIN_TRY(audit::LineReader published, open_lines(*o.published));
  BulkFiles f{std::move(accounts), std::move(published), {}, {}};
  if (o.out) {
    f.out_path = *o.out;
    f.out.open(*o.out, std::ios::binary);
    if (!f.out) return CliFailure::io("cannot write " + *o.out);
  }
  return f;
}

CliResult<std::monostate> write_results(BulkFiles& f, const std::string& text) {
  if (!f.out.is_open()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::monostate{};
  }
  f.out << text;
  if (!f.out) return CliFailure::io("cannot write " + f.out_path);
  return std::monostate{};
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

void show_progress(const BulkFiles& f, const Tally& tally, Clock::time_point started) {
  const std::uint64_t total = std::max<std::uint64_t>(f.accounts.size(), 1);
  const std::uint64_t at = std::min(f.accounts.consumed(), total);
  const auto rate = static_cast<std::uint64_t>(static_cast<double>(tally.accounts) /
                                               std::max(seconds_since(started), 1e-9));
  std::fprintf(stderr, "\rverified %s accounts (%3u%%), %s mismatches, %s bad lines, %s accounts/s   ",
               with_commas(tally.accounts).c_str(), static_cast<unsigned>(at * 100 / total),
               with_commas(tally.mismatches).c_str(),
               with_commas(tally.bad_accounts + tally.bad_published).c_str(), with_commas(rate).c_str());
}

std::string summary_text(const Tally& tally, unsigned threads, double seconds) {
  std::string summary = "vmargin verify: " + with_commas(tally.accounts) + " accounts, " +
                        with_commas(tally.matches) + " match, " + with_commas(tally.mismatches) +
                        " mismatch, " + with_commas(tally.bad_accounts) + " bad account lines, " +
                        with_commas(tally.bad_published) + " bad published lines (" +
                        std::to_string(threads) + " threads, " +
                        std::to_string(static_cast<std::uint64_t>(seconds * 1000)) + " ms)\n";
  for (const auto& [field, count] : tally.by_field)
    summary += "  " + with_commas(count) + "  " + terminal_safe(field) + "\n";
  return summary;
}

// Every line pair audited on `threads` threads (vmargin::audit), the results
// written in line order after each batch.
CliResult<Tally> audit_all(const codec::ReportAuditor& auditor, BulkFiles& files, unsigned threads,
                           bool progress) {
  audit::BulkAuditor bulk(auditor, threads);
  Tally tally;
  std::optional<CliFailure> write_failure;
  const auto started = Clock::now();
  const auto sink = [&](const std::string& text) {
    const CliResult<std::monostate> written = write_results(files, text);
    if (!written.ok()) write_failure = written.error();
    if (progress && written.ok()) show_progress(files, tally, started);
    return written.ok();
  };
  switch (bulk.run(files.accounts, files.published, 1, tally, sink)) {
    case audit::BulkAuditor::Outcome::accounts_unreadable:
      return CliFailure::io("cannot read the --accounts file");
    case audit::BulkAuditor::Outcome::published_unreadable:
      return CliFailure::io("cannot read the --published file");
    case audit::BulkAuditor::Outcome::stopped:
      return *write_failure;
    case audit::BulkAuditor::Outcome::done:
      break;
  }
  if (progress) std::fprintf(stderr, "\n");
  return tally;
}

int verify_bulk(const Options& o) {
  const auto started = Clock::now();
  const CliResult<std::monostate> outputs = check_outputs(o);
  if (!outputs.ok()) return report_failure(outputs.error(), "text");
  const CliResult<codec::ReportAuditor> auditor = make_auditor(o);
  if (!auditor.ok()) return report_failure(auditor.error(), "text");
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  CliResult<BulkFiles> files = open_bulk_files(o);
  if (!files.ok()) return report_failure(files.error(), "text");
  const bool progress = !o.no_progress && stderr_is_terminal();
  const CliResult<Tally> tally = audit_all(*auditor, *files, threads, progress);
  if (!tally.ok()) return report_failure(tally.error(), "text");
  std::fflush(stdout);
  std::fputs(summary_text(*tally, threads, seconds_since(started)).c_str(), stderr);
  if (o.summary) {
    const auto written = write_file(*o.summary, audit::summary_json(*tally, auditor->inputs()));
    if (!written.ok()) return report_failure(written.error(), "text");
  }
  return tally->matches == tally->accounts ? exit_ok : exit_differences;
}

}  // namespace

int run_verify(const Options& o) { return o.accounts ? verify_bulk(o) : verify_one(o); }

}  // namespace vmargin::cli
