// `vmargin verify`: recompute and compare with the exchange's published
// results, for one account or for JSON Lines in bulk (multi-threaded, output
// in input order whatever the number of threads).
#include "verify_command.hpp"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "common.hpp"
#include "io.hpp"
#include "terminal_text.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::cli {

using codec::AuditOutcome;
using codec::InputVersions;
using codec::Json;

namespace {

// --<name> FILE, whose document is located at `document` in errors.
CliResult<std::string> read_named(const OptionalPath& path, const char* name, std::string_view document) {
  if (!path) return CliFailure::usage(std::string("missing --") + name);
  return read_file(*path, document);
}

// The parameters, prices and versions every account is recomputed with.
struct Market {
  ValidatedParameters params;
  MarketState prices;
  InputVersions inputs;
};

CliResult<Market> plain_market(const Options& o) {
  VMARGIN_TRY(const std::string params_text, read_named(o.params, "params", input_path::risk_parameters));
  VMARGIN_TRY(const std::string prices_text, read_named(o.prices, "prices", input_path::prices));
  VMARGIN_TRY(const Json p, codec::parse_strict_json(params_text, input_path::risk_parameters));
  VMARGIN_TRY(RiskParameters risk, codec::decode_risk_parameters(p));
  VMARGIN_TRY(const Json q, codec::parse_strict_json(prices_text, input_path::prices));
  VMARGIN_TRY(MarketState prices, codec::decode_market_state(q));
  const InputVersions inputs{risk.version, prices.as_of_ms, ""};
  VMARGIN_TRY(ValidatedParameters params, ValidatedParameters::make(std::move(risk)));
  return Market{std::move(params), std::move(prices), inputs};
}

CliResult<Market> signed_market(const Options& o) {
  VMARGIN_TRY(const std::string trust_text, read_named(o.trust, "trust", "/trust"));
  VMARGIN_TRY(const std::string params_text, read_named(o.params, "params", "/params"));
  VMARGIN_TRY(const std::string snapshot_text, read_named(o.snapshot, "snapshot", "/snapshot"));
  VMARGIN_TRY(const std::string state_text, read_state_file(o.state));
  VMARGIN_TRY(const signing::TrustStore trust, signing::decode_trust_store(trust_text));
  VMARGIN_TRY(const signing::AcceptanceState state, signing::decode_acceptance_state(state_text));
  VMARGIN_TRY(const signing::VerifiedParameters params,
              signing::verify_parameters(trust, state, params_text));
  VMARGIN_TRY(const signing::VerifiedMarket market,
              signing::verify_snapshot(trust, params, state, snapshot_text));
  return Market{params.parameters(), market.prices(),
                InputVersions{params.signed_parameters().risk.version, market.as_of_ms(), market.id()}};
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

// One line of each file: its text, or its length when over the limit.
struct Line {
  std::string account, published;
  bool has_account = false, has_published = false;
  bool account_too_long = false, published_too_long = false;
  std::uint64_t account_bytes = 0, published_bytes = 0;
};

struct Tally {
  std::uint64_t accounts = 0, matches = 0, mismatches = 0, bad_accounts = 0, bad_published = 0;
  std::map<std::string, std::uint64_t> by_field;  // sorted: deterministic summary
};

// A field for the summary: the market or asset of /positions/<id>/...,
// /collateral/<id>/... and /isolated/<id>/... becomes "*", so a million
// accounts give one line per kind of field, not one per market.
std::string field_of(const std::string& path) {
  for (const char* group : {"/positions/", "/collateral/", "/isolated/"}) {
    const std::string_view g(group);
    if (path.rfind(g, 0) != 0) continue;
    const std::size_t end = path.find('/', g.size());
    return std::string(g) + "*" + (end == std::string::npos ? "" : path.substr(end));
  }
  return path;
}

// The JSON line for an account that did not match (empty for a match).
std::string outcome_line(std::uint64_t line_no, const AuditOutcome& o, const InputVersions& inputs,
                         Tally& tally) {
  ++tally.accounts;
  Json j;
  switch (o.status) {
    case AuditOutcome::Status::match:
      ++tally.matches;
      return {};
    case AuditOutcome::Status::mismatch:
      ++tally.mismatches;
      for (const auto& d : o.differences) ++tally.by_field[field_of(d.path)];
      j = codec::encode_comparison(o.account, inputs, o.differences);
      break;
    case AuditOutcome::Status::bad_account:
    case AuditOutcome::Status::bad_published: {
      const bool account_side = o.status == AuditOutcome::Status::bad_account;
      ++(account_side ? tally.bad_accounts : tally.bad_published);
      j = codec::encode_error(*o.error);
      j["source"] = account_side ? "accounts" : "published";
      j["account"] = o.account.empty() ? Json(nullptr) : Json(o.account);
      break;
    }
  }
  j["line"] = line_no;
  return codec::canonical_dump(j) + "\n";
}

// A line over the document limit: a bad line (the run goes on), typed, with
// its number and length. It was read through, not held.
Error line_too_long(std::uint64_t line_no, std::uint64_t bytes, const char* path) {
  return Error(ErrorCode::input_too_large,
               "line " + std::to_string(line_no) + " has " + std::to_string(bytes) + " bytes; the limit is " +
                   std::to_string(document_limit()) + " (one JSON document per line)",
               path);
}

// A line that is not audited: missing on one side, or too long.
AuditOutcome unaudited_line(const Line& l, std::uint64_t line_no) {
  AuditOutcome o;
  if (l.account_too_long || l.published_too_long) {
    o.status = l.account_too_long ? AuditOutcome::Status::bad_account : AuditOutcome::Status::bad_published;
    o.error = l.account_too_long ? line_too_long(line_no, l.account_bytes, "/account")
                                 : line_too_long(line_no, l.published_bytes, "/published");
    return o;
  }
  if (!l.has_published) {
    o.status = AuditOutcome::Status::bad_published;
    o.error =
        Error(ErrorCode::invalid_value, "the published results end before this account's line", "/published");
  } else {
    o.status = AuditOutcome::Status::bad_account;
    o.error = Error(ErrorCode::invalid_value, "the accounts file ends before this published report's line",
                    "/account");
  }
  return o;
}

std::string with_commas(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// Worker threads for the whole run. For each batch, every worker (and the
// calling thread) claims the next unclaimed line until the batch is done; two
// barriers start a batch and wait for its end, so the threads start once.
class AuditPool {
 public:
  AuditPool(const codec::ReportAuditor& auditor, unsigned threads)
      : auditor_(auditor), start_(threads), done_(threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this] { worker(); });
  }
  AuditPool(const AuditPool&) = delete;
  AuditPool& operator=(const AuditPool&) = delete;
  ~AuditPool() {
    stopping_ = true;
    start_.arrive_and_wait();
    for (std::thread& t : workers_) t.join();
  }

  /// Audits lines [0, n) of `batch` into `outcomes` (same indices); line
  /// i is line `first_line + i` of the files.
  void run(const std::vector<Line>& batch, std::size_t n, std::uint64_t first_line,
           std::vector<AuditOutcome>& outcomes) {
    batch_ = &batch;
    outcomes_ = &outcomes;
    n_ = n;
    first_line_ = first_line;
    next_.store(0, std::memory_order_relaxed);
    start_.arrive_and_wait();
    work();
    done_.arrive_and_wait();
  }

 private:
  void worker() {
    for (;;) {
      start_.arrive_and_wait();
      if (stopping_) return;
      work();
      done_.arrive_and_wait();
    }
  }
  void work() {
    for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < n_;) {
      const Line& l = (*batch_)[i];
      const bool whole = l.has_account && l.has_published && !l.account_too_long && !l.published_too_long;
      (*outcomes_)[i] = whole ? auditor_.audit(l.account, l.published) : unaudited_line(l, first_line_ + i);
    }
  }

  const codec::ReportAuditor& auditor_;
  std::barrier<> start_, done_;
  const std::vector<Line>* batch_ = nullptr;
  std::vector<AuditOutcome>* outcomes_ = nullptr;
  std::size_t n_ = 0;
  std::uint64_t first_line_ = 1;
  std::atomic<std::size_t> next_{0};
  bool stopping_ = false;  // written before a barrier, read after it
  std::vector<std::thread> workers_;
};

// The files of a bulk run and how it reports progress.
struct BulkFiles {
  LineReader accounts, published;
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
  VMARGIN_TRY(LineReader accounts, LineReader::open(*o.accounts, document_limit()));
  VMARGIN_TRY(LineReader published, LineReader::open(*o.published, document_limit()));
  BulkFiles f{std::move(accounts), std::move(published), {}, {}};
  if (o.out) {
    f.out_path = *o.out;
    f.out.open(*o.out, std::ios::binary);
    if (!f.out) return CliFailure::io("cannot write " + *o.out);
  }
  return f;
}

// Up to batch.size() line pairs, and at most about 64 MiB of text (lines
// are at most 16 MiB each); the number read, or an I/O failure.
CliResult<std::size_t> read_batch(BulkFiles& f, std::vector<Line>& batch) {
  constexpr std::uint64_t batch_bytes = std::uint64_t{64} << 20;
  std::uint64_t bytes = 0;
  std::size_t n = 0;
  while (n < batch.size() && bytes < batch_bytes) {
    Line& l = batch[n];
    l.has_account = f.accounts.next(l.account, l.account_bytes, l.account_too_long);
    l.has_published = f.published.next(l.published, l.published_bytes, l.published_too_long);
    if (!l.has_account && !l.has_published) break;
    bytes += l.account.size() + l.published.size();
    ++n;
  }
  if (f.accounts.failed()) return CliFailure::io("cannot read the --accounts file");
  if (f.published.failed()) return CliFailure::io("cannot read the --published file");
  return n;
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

std::string summary_json(const Tally& tally, const InputVersions& inputs) {
  Json fields = Json::object();
  for (const auto& [field, count] : tally.by_field) fields[field] = count;
  const Json j = {{"accounts", tally.accounts},
                  {"matches", tally.matches},
                  {"mismatches", tally.mismatches},
                  {"bad_account_lines", tally.bad_accounts},
                  {"bad_published_lines", tally.bad_published},
                  {"mismatches_by_field", fields},
                  {"inputs", codec::encode_comparison("", inputs, {})["inputs"]}};
  return codec::canonical_dump(j) + "\n";
}

// Batches: read N line pairs, audit them on every thread, write the results
// in line order. Memory is bounded by the batch, not by the number of accounts.
CliResult<Tally> audit_all(const codec::ReportAuditor& auditor, BulkFiles& files, unsigned threads,
                           bool progress) {
  constexpr std::size_t batch_size = 4096;
  std::vector<Line> batch(batch_size);
  std::vector<AuditOutcome> outcomes(batch_size);
  AuditPool pool(auditor, threads);
  Tally tally;
  std::uint64_t line_no = 0;
  const auto started = Clock::now();
  for (;;) {
    VMARGIN_TRY(const std::size_t n, read_batch(files, batch));
    if (n == 0) break;
    pool.run(batch, n, line_no + 1, outcomes);
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += outcome_line(++line_no, outcomes[i], auditor.inputs(), tally);
    VMARGIN_TRY(const std::monostate written, write_results(files, text));
    static_cast<void>(written);
    if (progress) show_progress(files, tally, started);
  }
  if (progress) std::fprintf(stderr, "\n");
  return tally;
}

int verify_bulk(const Options& o) {
  const auto started = Clock::now();
  const CliResult<std::monostate> outputs = check_outputs(o);
  if (!outputs.ok()) return report_failure(outputs.error(), "text");
  CliResult<Market> market = o.trust ? signed_market(o) : plain_market(o);
  if (!market.ok()) return report_failure(market.error(), "text");
  const codec::ReportAuditor auditor(std::move(market->params), std::move(market->prices), market->inputs);
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  CliResult<BulkFiles> files = open_bulk_files(o);
  if (!files.ok()) return report_failure(files.error(), "text");
  const bool progress = !o.no_progress && stderr_is_terminal();
  const CliResult<Tally> tally = audit_all(auditor, *files, threads, progress);
  if (!tally.ok()) return report_failure(tally.error(), "text");
  std::fflush(stdout);
  std::fputs(summary_text(*tally, threads, seconds_since(started)).c_str(), stderr);
  if (o.summary) {
    const auto written = write_file(*o.summary, summary_json(*tally, auditor.inputs()));
    if (!written.ok()) return report_failure(written.error(), "text");
  }
  return tally->matches == tally->accounts ? exit_ok : exit_differences;
}

}  // namespace

int run_verify(const Options& o) { return o.accounts ? verify_bulk(o) : verify_one(o); }

}  // namespace vmargin::cli
