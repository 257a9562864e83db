// `vmargin verify`: recompute and compare with the exchange's published
// results, for one account or for JSON Lines in bulk (multi-threaded, output
// in input order whatever the number of threads).
#include "verify_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "args.hpp"
#include "common.hpp"
#include "io.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::cli {

using codec::AuditOutcome;
using codec::InputVersions;
using codec::Json;

const char* const verify_help = R"(Usage:
  one account, plain inputs:
    vmargin verify --published REPORT (--input FILE | --params F --prices F --account F)
  one account, signed inputs (verified first, as eval --trust):
    vmargin verify --published REPORT --trust F --params F --snapshot F --statement F [--state F]
  bulk, JSON Lines (line N of --published is the report for line N of --accounts):
    vmargin verify --accounts ACCOUNTS.jsonl --published RESULTS.jsonl
                   (--params F --prices F | --trust F --params F --snapshot F [--state F])
                   [--threads N] [--out FILE] [--summary FILE] [--no-progress]

Recomputes each account's report and compares every field, exactly, with the
exchange's published report: a field that differs, is missing from the
published results or is extra there is a difference, named by its JSON path
with both values and the inputs used (risk parameters version, as_of,
snapshot id).

Options:
  --published FILE  the exchange's report (one account), or JSON Lines of reports
  --accounts FILE   JSON Lines of account documents (bulk)
  --threads N       worker threads (bulk; default: all cores)
  --out FILE        where differences and bad lines go, as JSON Lines (bulk;
                    default: standard output). One line each:
                    {"line", "account", "match": false, "differences", "inputs"} or
                    {"line", "account", "source": "accounts"|"published", "error"}
  --summary FILE    also write the summary as JSON (bulk)
  --no-progress     no progress line on standard error (shown only on a terminal)
  --format F        one account: "json" (the comparison) or "table"

Exit codes: 0 every account matches; 5 differences or bad lines were found;
2 usage; 3 a file could not be read or written; 4 the parameters, prices or
signed inputs were rejected.
)";

namespace {

constexpr int exit_differences = 5;

std::optional<std::string> read_named(const Args& args, const char* name, int& status) {
  std::string error;
  const auto path = args.get(name);
  if (!path) {
    status = usage_error(std::string("missing --") + name, verify_help);
    return std::nullopt;
  }
  auto text = read_file(*path, error);
  if (!text) status = io_error(error);
  return text;
}

// The parameters, prices and versions every account is recomputed with.
struct Market {
  ValidatedParameters params;
  MarketState prices;
  InputVersions inputs;
};

Result<Market> plain_market(std::string_view params_text, std::string_view prices_text) {
  VMARGIN_TRY(const Json p, codec::parse_strict_json(params_text, input_path::risk_parameters));
  VMARGIN_TRY(RiskParameters risk, codec::decode_risk_parameters(p));
  VMARGIN_TRY(const Json q, codec::parse_strict_json(prices_text, input_path::prices));
  VMARGIN_TRY(MarketState prices, codec::decode_market_state(q));
  const InputVersions inputs{risk.version, prices.as_of_ms, ""};
  VMARGIN_TRY(ValidatedParameters params, ValidatedParameters::make(std::move(risk)));
  return Market{std::move(params), std::move(prices), inputs};
}

Result<Market> signed_market(std::string_view trust_text, std::string_view state_text,
                             std::string_view params_text, std::string_view snapshot_text) {
  VMARGIN_TRY(const signing::TrustStore trust, signing::decode_trust_store(trust_text));
  VMARGIN_TRY(const signing::AcceptanceState state, signing::decode_acceptance_state(state_text));
  VMARGIN_TRY(const signing::VerifiedParameters params,
              signing::verify_parameters(trust, state, params_text));
  VMARGIN_TRY(const signing::VerifiedMarket market,
              signing::verify_snapshot(trust, params, state, snapshot_text));
  return Market{params.parameters(), market.prices(),
                InputVersions{params.signed_parameters().risk.version, market.as_of_ms(), market.id()}};
}

std::string differences_table(const Json& comparison) {
  std::string out;
  if (comparison["match"].get<bool>()) {
    out = "match: the published report equals the recomputed one, field for field\n";
  } else {
    out = "MISMATCH: " + std::to_string(comparison["differences"].size()) + " field(s) differ\n";
    for (const Json& d : comparison["differences"]) {
      out += "  " + d["path"].get<std::string>() + " (" + d["kind"].get<std::string>() + ")";
      if (d.contains("recomputed")) out += "  recomputed " + d["recomputed"].dump();
      if (d.contains("published")) out += "  published " + d["published"].dump();
      out += "\n";
    }
  }
  const Json& in = comparison["inputs"];
  out += "account " + comparison["account"].get<std::string>() + ", risk parameters version " +
         std::to_string(in["risk_parameters_version"].get<std::uint64_t>()) + ", as_of " +
         std::to_string(in["as_of"].get<std::int64_t>()) + " ms" +
         (in.contains("snapshot_id") ? ", snapshot " + in["snapshot_id"].get<std::string>() : "") + "\n";
  return out;
}

// --input FILE, or --params, --prices and --account; `status` is set when a
// file cannot be read.
Result<codec::EvaluationInput> plain_input(const Args& args, int& status) {
  codec::EvaluationInput in;
  if (args.has("input")) {
    const auto text = read_named(args, "input", status);
    if (!text) return Error(ErrorCode::invalid_value, "");
    VMARGIN_TRY(const Json doc, codec::parse_strict_json(*text));
    VMARGIN_TRY(in, codec::decode_evaluation_input(doc));
    if (!in.scenario.shocks.empty() || !in.scenario.collateral.empty() || !in.scenario.orders.empty()) {
      return Error(ErrorCode::invalid_value, "a what-if scenario has no published results to verify against",
                   "/scenario");
    }
    return in;
  }
  std::string texts[3];
  const char* names[] = {"params", "prices", "account"};
  for (int i = 0; i < 3; ++i) {
    auto text = read_named(args, names[i], status);
    if (!text) return Error(ErrorCode::invalid_value, "");
    texts[i] = std::move(*text);
  }
  VMARGIN_TRY(const Json p, codec::parse_strict_json(texts[0], input_path::risk_parameters));
  VMARGIN_TRY(in.risk_parameters, codec::decode_risk_parameters(p));
  VMARGIN_TRY(const Json q, codec::parse_strict_json(texts[1], input_path::prices));
  VMARGIN_TRY(in.prices, codec::decode_market_state(q));
  VMARGIN_TRY(const Json a, codec::parse_strict_json(texts[2], input_path::account));
  VMARGIN_TRY(in.account, codec::decode_account(a));
  return in;
}

int verify_one(const Args& args) {
  const std::string format = args.get("format").value_or(stdout_is_terminal() ? "table" : "json");
  if (format != "json" && format != "table")
    return usage_error("--format must be json or table, not " + format, verify_help);
  int status = exit_ok;
  const auto published_text = read_named(args, "published", status);
  if (!published_text) return status;

  Json report;
  InputVersions inputs;
  if (args.has("trust")) {
    std::vector<std::string> texts;
    for (const char* name : {"trust", "params", "snapshot", "statement"}) {
      auto text = read_named(args, name, status);
      if (!text) return status;
      texts.push_back(std::move(*text));
    }
    std::string state;
    if (args.has("state")) {
      auto text = read_named(args, "state", status);
      if (!text) return status;
      state = std::move(*text);
    }
    const Result<std::string> out =
        signing::verify_and_evaluate_json(texts[0], state, texts[1], texts[2], texts[3]);
    if (!out.ok()) return report_error(out.error(), format);
    const Json doc = Json::parse(*out);
    report = doc["report"];
    const Json& v = doc["verification"];
    inputs =
        InputVersions{v["risk_parameters"]["version"].get<std::uint64_t>(),
                      v["snapshot"]["as_of"].get<std::int64_t>(), v["snapshot"]["id"].get<std::string>()};
  } else {
    const Result<codec::EvaluationInput> in = plain_input(args, status);
    if (status != exit_ok) return status;
    if (!in.ok()) return report_error(in.error(), format);
    const Result<AccountReport> r = evaluate(in->risk_parameters, in->prices, in->account);
    if (!r.ok()) return report_error(r.error(), format);
    report = codec::encode_report(*r, in->risk_parameters);
    inputs = InputVersions{in->risk_parameters.version, in->prices.as_of_ms, ""};
  }
  const Result<Json> published = codec::parse_strict_json(*published_text, "/published");
  if (!published.ok()) return report_error(published.error(), format);
  const Json comparison = codec::encode_comparison(report["account"].get<std::string>(), inputs,
                                                   codec::compare_reports(report, *published));
  print(format == "json" ? codec::canonical_dump(comparison) + "\n" : differences_table(comparison));
  return comparison["match"].get<bool>() ? exit_ok : exit_differences;
}

// --- bulk ------------------------------------------------------------------

struct Line {
  std::string account, published;
  bool has_account = false, has_published = false;
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

bool next_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
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

AuditOutcome missing_line(const Line& l) {
  AuditOutcome o;
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

int verify_bulk(const Args& args) {
  int status = exit_ok;
  Result<Market> market = Error(ErrorCode::invalid_value, "");
  if (args.has("trust")) {
    const auto trust = read_named(args, "trust", status);
    if (!trust) return status;
    const auto params = read_named(args, "params", status);
    if (!params) return status;
    const auto snapshot = read_named(args, "snapshot", status);
    if (!snapshot) return status;
    std::string state;
    if (args.has("state")) {
      auto text = read_named(args, "state", status);
      if (!text) return status;
      state = std::move(*text);
    }
    market = signed_market(*trust, state, *params, *snapshot);
  } else {
    const auto params = read_named(args, "params", status);
    if (!params) return status;
    const auto prices = read_named(args, "prices", status);
    if (!prices) return status;
    market = plain_market(*params, *prices);
  }
  if (!market.ok()) return report_error(market.error(), "text");
  const codec::ReportAuditor auditor(std::move(market->params), std::move(market->prices), market->inputs);

  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  if (const auto t = args.get("threads")) {
    try {
      const long n = std::stol(*t);
      if (n < 1 || n > 1024) throw std::out_of_range("threads");
      threads = static_cast<unsigned>(n);
    } catch (const std::exception&) {
      return usage_error("--threads must be a whole number from 1 to 1024, not " + *t, verify_help);
    }
  }
  const std::string accounts_path = *args.get("accounts"), published_path = *args.get("published");
  std::ifstream accounts(accounts_path, std::ios::binary), published(published_path, std::ios::binary);
  if (!accounts) return io_error("cannot open " + accounts_path);
  if (!published) return io_error("cannot open " + published_path);
  std::ofstream out_file;
  std::FILE* out = stdout;
  if (const auto path = args.get("out")) {
    out_file.open(*path, std::ios::binary);
    if (!out_file) return io_error("cannot write " + *path);
  }
  accounts.seekg(0, std::ios::end);
  const auto total_bytes = static_cast<std::uint64_t>(std::max<std::streamoff>(accounts.tellg(), 1));
  accounts.seekg(0);
  const bool progress = !args.has("no-progress") && stderr_is_terminal();

  // Batches: read N line pairs, audit them on every thread (each takes the
  // next unclaimed line), write the results in line order. Memory is bounded
  // by the batch, not by the number of accounts.
  constexpr std::size_t batch_size = 4096;
  std::vector<Line> batch(batch_size);
  std::vector<AuditOutcome> outcomes(batch_size);
  Tally tally;
  std::uint64_t line_no = 0;
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    std::size_t n = 0;
    for (; n < batch_size; ++n) {
      Line& l = batch[n];
      l.has_account = next_line(accounts, l.account);
      l.has_published = next_line(published, l.published);
      if (!l.has_account && !l.has_published) break;
    }
    if (n == 0) break;
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
        const Line& l = batch[i];
        outcomes[i] =
            l.has_account && l.has_published ? auditor.audit(l.account, l.published) : missing_line(l);
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += outcome_line(++line_no, outcomes[i], auditor.inputs(), tally);
    if (out_file.is_open()) {
      out_file << text;
      if (!out_file) return io_error("cannot write " + *args.get("out"));
    } else {
      std::fwrite(text.data(), 1, text.size(), out);
    }
    if (progress) {
      const auto at = accounts.eof() ? total_bytes : static_cast<std::uint64_t>(accounts.tellg());
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "\rverified %s accounts (%3u%%), %s mismatches, %s bad lines, %s accounts/s   ",
                   with_commas(tally.accounts).c_str(), static_cast<unsigned>(at * 100 / total_bytes),
                   with_commas(tally.mismatches).c_str(),
                   with_commas(tally.bad_accounts + tally.bad_published).c_str(),
                   with_commas(static_cast<std::uint64_t>(static_cast<double>(tally.accounts) /
                                                          std::max(seconds, 1e-9)))
                       .c_str());
    }
    if (n < batch_size) break;
  }
  if (progress) std::fprintf(stderr, "\n");
  std::fflush(stdout);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string summary = "vmargin verify: " + with_commas(tally.accounts) + " accounts, " +
                        with_commas(tally.matches) + " match, " + with_commas(tally.mismatches) +
                        " mismatch, " + with_commas(tally.bad_accounts) + " bad account lines, " +
                        with_commas(tally.bad_published) + " bad published lines (" +
                        std::to_string(threads) + " threads, " +
                        std::to_string(static_cast<std::uint64_t>(seconds * 1000)) + " ms)\n";
  for (const auto& [field, count] : tally.by_field)
    summary += "  " + with_commas(count) + "  " + field + "\n";
  std::fputs(summary.c_str(), stderr);
  if (const auto path = args.get("summary")) {
    Json fields = Json::object();
    for (const auto& [field, count] : tally.by_field) fields[field] = count;
    const Json j = {{"accounts", tally.accounts},
                    {"matches", tally.matches},
                    {"mismatches", tally.mismatches},
                    {"bad_account_lines", tally.bad_accounts},
                    {"bad_published_lines", tally.bad_published},
                    {"mismatches_by_field", fields},
                    {"inputs", codec::encode_comparison("", auditor.inputs(), {})["inputs"]}};
    std::ofstream f(*path, std::ios::binary);
    f << codec::canonical_dump(j) << "\n";
    if (!f) return io_error("cannot write " + *path);
  }
  return tally.matches == tally.accounts ? exit_ok : exit_differences;
}

}  // namespace

int run_verify(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2,
                                {{"published"},
                                 {"accounts"},
                                 {"input"},
                                 {"params"},
                                 {"prices"},
                                 {"account"},
                                 {"trust"},
                                 {"snapshot"},
                                 {"statement"},
                                 {"state"},
                                 {"threads"},
                                 {"out"},
                                 {"summary"},
                                 {"format"},
                                 {"no-progress", false},
                                 {"help", false}},
                                error);
  if (!args) return usage_error(error, verify_help);
  if (args->has("help")) return print(verify_help), exit_ok;
  if (!args->positional().empty())
    return usage_error("unexpected argument " + args->positional()[0], verify_help);
  if (!args->has("published")) return usage_error("missing --published", verify_help);
  if (args->has("accounts")) {
    for (const char* one : {"input", "account", "statement", "format"}) {
      if (args->has(one))
        return usage_error(std::string("--") + one + " is for one account, not with --accounts", verify_help);
    }
    return verify_bulk(*args);
  }
  for (const char* bulk : {"threads", "out", "summary"}) {
    if (args->has(bulk))
      return usage_error(std::string("--") + bulk + " is for bulk verification (--accounts)", verify_help);
  }
  return verify_one(*args);
}

}  // namespace vmargin::cli
