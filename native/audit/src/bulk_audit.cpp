#include "vmargin/audit/bulk_audit.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <cerrno>
#include <cstring>
#include <thread>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::audit {

using codec::AuditOutcome;
using codec::InputVersions;
using codec::Json;

std::size_t line_limit() noexcept { return codec::JsonLimits{}.max_bytes; }

// --- lines -------------------------------------------------------------------

LineReader::LineReader(std::FILE* f, std::size_t max_line, std::uint64_t size, std::uint64_t limit)
    : f_(f), max_line_(max_line), size_(size), left_(limit), buffer_(std::size_t{1} << 16) {}

LineReader::LineReader(LineReader&& other) noexcept
    : f_(other.f_),
      max_line_(other.max_line_),
      size_(other.size_),
      left_(other.left_),
      consumed_(other.consumed_),
      buffer_(std::move(other.buffer_)),
      pos_(other.pos_),
      end_(other.end_),
      eof_(other.eof_),
      failed_(other.failed_),
      live_(other.live_) {
  other.f_ = nullptr;
}

LineReader::~LineReader() {
  if (f_ != nullptr && f_ != stdin) std::fclose(f_);
}

std::optional<LineReader> LineReader::open_range(const std::string& path, std::uint64_t begin,
                                                 std::uint64_t end, std::string& why) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    why = "cannot open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode) ||
      (begin != 0 && std::fseek(f, static_cast<long>(begin), SEEK_SET) != 0)) {
    why = "cannot read " + path + (S_ISDIR(st.st_mode) ? ": it is a directory, not a file" : "");
    std::fclose(f);
    return std::nullopt;
  }
  const std::uint64_t size = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  return LineReader(f, line_limit(), size, end == to_end ? to_end : end - begin);
}

bool LineReader::fill() {
  if (eof_) return false;
  const std::size_t want = left_ < buffer_.size() ? static_cast<std::size_t>(left_) : buffer_.size();
  std::size_t n = 0;
  bool error = false;
  if (want != 0 && live_) {
    // What has arrived, not a full buffer: a line of a pipe is handled when
    // it arrives (fread would wait for the buffer to fill).
    ssize_t got = -1;
    do {
      got = ::read(fileno(f_), buffer_.data(), want);
    } while (got < 0 && errno == EINTR);
    error = got < 0;
    n = got > 0 ? static_cast<std::size_t>(got) : 0;
  } else if (want != 0) {
    n = std::fread(buffer_.data(), 1, want, f_);
    error = std::ferror(f_) != 0;
  }
  if (n == 0) {
    failed_ = error;
    eof_ = true;
    return false;
  }
  if (left_ != to_end) left_ -= n;
  pos_ = 0;
  end_ = n;
  return true;
}

bool LineReader::next(std::string& line, std::uint64_t& length, bool& too_long) {
  line.clear();
  length = 0;
  too_long = false;
  bool any = false;
  while (pos_ < end_ || fill()) {
    any = true;
    const char* start = buffer_.data() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t take = newline != nullptr ? static_cast<std::size_t>(newline - start) : end_ - pos_;
    length += take;
    if (!too_long && length > max_line_) {
      too_long = true;
      std::string().swap(line);  // hold nothing of it
    }
    if (!too_long) line.append(start, take);
    pos_ += take;
    consumed_ += take;
    if (newline != nullptr) {
      ++pos_;
      ++consumed_;
      break;
    }
  }
  if (!too_long && !line.empty() && line.back() == '\r') {
    line.pop_back();
    --length;
  }
  return any;
}

// --- results -----------------------------------------------------------------

void Tally::add(const Tally& other) {
  accounts += other.accounts;
  matches += other.matches;
  mismatches += other.mismatches;
  bad_accounts += other.bad_accounts;
  bad_published += other.bad_published;
  for (const auto& [field, count] : other.by_field) by_field[field] += count;
}

std::string field_of(const std::string& path) {
  for (const char* group : {"/positions/", "/collateral/", "/isolated/"}) {
    const std::string_view g(group);
    if (path.rfind(g, 0) != 0) continue;
    const std::size_t end = path.find('/', g.size());
    return std::string(g) + "*" + (end == std::string::npos ? "" : path.substr(end));
  }
  return path;
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

Result<codec::ReportAuditor> plain_auditor(std::string_view params_text, std::string_view prices_text) {
  VMARGIN_TRY(const Json p, codec::parse_strict_json(params_text, input_path::risk_parameters));
  VMARGIN_TRY(RiskParameters risk, codec::decode_risk_parameters(p));
  VMARGIN_TRY(const Json q, codec::parse_strict_json(prices_text, input_path::prices));
  VMARGIN_TRY(MarketState prices, codec::decode_market_state(q));
  const InputVersions inputs{risk.version, prices.as_of_ms, ""};
  VMARGIN_TRY(ValidatedParameters params, ValidatedParameters::make(std::move(risk)));
  return codec::ReportAuditor(std::move(params), std::move(prices), inputs);
}

Result<codec::ReportAuditor> signed_auditor(std::string_view trust_text, std::string_view state_text,
                                            std::string_view params_text, std::string_view snapshot_text) {
  VMARGIN_TRY(const signing::TrustStore trust, signing::decode_trust_store(trust_text));
  VMARGIN_TRY(const signing::AcceptanceState state, signing::decode_acceptance_state(state_text));
  VMARGIN_TRY(const signing::VerifiedParameters params,
              signing::verify_parameters(trust, state, params_text));
  VMARGIN_TRY(const signing::VerifiedMarket market,
              signing::verify_snapshot(trust, params, state, snapshot_text));
  return codec::ReportAuditor(
      params.parameters(), market.prices(),
      InputVersions{params.signed_parameters().risk.version, market.as_of_ms(), market.id()});
}

namespace {

// One line of each file: its text, or its length when over the limit.
struct Line {
  std::string account, published;
  bool has_account = false, has_published = false;
  bool account_too_long = false, published_too_long = false;
  std::uint64_t account_bytes = 0, published_bytes = 0;
};

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
                   std::to_string(line_limit()) + " (one JSON document per line)",
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

// Up to batch.size() line pairs, and at most about 64 MiB of text (lines
// are at most 16 MiB each): the number read.
std::size_t read_batch(LineReader& accounts, LineReader& published, std::vector<Line>& batch) {
  constexpr std::uint64_t batch_bytes = std::uint64_t{64} << 20;
  std::uint64_t bytes = 0;
  std::size_t n = 0;
  while (n < batch.size() && bytes < batch_bytes) {
    Line& l = batch[n];
    l.has_account = accounts.next(l.account, l.account_bytes, l.account_too_long);
    l.has_published = published.next(l.published, l.published_bytes, l.published_too_long);
    if (!l.has_account && !l.has_published) break;
    bytes += l.account.size() + l.published.size();
    ++n;
  }
  return n;
}

}  // namespace

// Worker threads for the whole run. For each batch, every worker (and the
// calling thread) claims the next unclaimed line until the batch is done; two
// barriers start a batch and wait for its end, so the threads start once.
class BulkAuditor::Pool {
 public:
  Pool(const codec::ReportAuditor& auditor, unsigned threads)
      : auditor_(auditor), start_(threads), done_(threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this] { worker(); });
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool() {
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

BulkAuditor::BulkAuditor(const codec::ReportAuditor& auditor, unsigned threads)
    : auditor_(auditor), pool_(std::make_unique<Pool>(auditor, threads < 1 ? 1 : threads)) {}

BulkAuditor::~BulkAuditor() = default;

// Batches: read N line pairs, audit them on every thread, hand the results
// over in line order. Memory is bounded by the batch, not by the number of
// accounts.
BulkAuditor::Outcome BulkAuditor::run(LineReader& accounts, LineReader& published, std::uint64_t first_line,
                                      Tally& tally, const std::function<bool(const std::string&)>& sink) {
  constexpr std::size_t batch_size = 4096;
  std::vector<Line> batch(batch_size);
  std::vector<AuditOutcome> outcomes(batch_size);
  std::uint64_t line_no = first_line - 1;
  for (;;) {
    const std::size_t n = read_batch(accounts, published, batch);
    if (accounts.failed()) return Outcome::accounts_unreadable;
    if (published.failed()) return Outcome::published_unreadable;
    if (n == 0) return Outcome::done;
    pool_->run(batch, n, line_no + 1, outcomes);
    std::string text;
    for (std::size_t i = 0; i < n; ++i)
      text += outcome_line(++line_no, outcomes[i], auditor_.inputs(), tally);
    if (!sink(text)) return Outcome::stopped;
  }
}

// --- ranges ------------------------------------------------------------------

namespace {

// Calls `on_line_start(offset, line)` for the start of every line of `path`
// (line 1 at offset 0; a final "\n" starts no line); false when unreadable.
bool each_line_start(const std::string& path,
                     const std::function<bool(std::uint64_t, std::uint64_t)>& on_start, std::uint64_t& size,
                     std::string& why) {
  std::optional<LineReader> probe = LineReader::open_range(path, 0, to_end, why);
  if (!probe) return false;
  size = probe->size();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::vector<char> buffer(std::size_t{1} << 20);
  std::uint64_t offset = 0, line = 1;
  bool at_start = true, go_on = true;
  for (std::size_t n; go_on && (n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0;) {
    for (std::size_t i = 0; go_on && i < n;) {
      if (at_start) go_on = on_start(offset + i, line);
      at_start = false;
      const auto* nl = static_cast<const char*>(std::memchr(buffer.data() + i, '\n', n - i));
      if (nl == nullptr) break;
      i = static_cast<std::size_t>(nl - buffer.data()) + 1;
      at_start = true;
      ++line;
    }
    offset += n;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) why = "cannot read " + path;
  return !failed;
}

}  // namespace

std::optional<std::vector<LineRange>> split_lines(const std::string& accounts, const std::string& published,
                                                  std::uint64_t parts, std::string& why) {
  std::uint64_t size = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cuts;  // (line, accounts offset), first line 1
  std::optional<LineReader> probe = LineReader::open_range(accounts, 0, to_end, why);
  if (!probe) return std::nullopt;
  const std::uint64_t total = probe->size(), n = parts < 1 ? 1 : parts;
  const auto cut = [&](std::uint64_t offset, std::uint64_t line) {
    const std::uint64_t k = cuts.size();  // the next cut wanted at k / n of the file
    if (line == 1 || (k < n && offset >= total / n * k + (total % n) * k / n))
      cuts.emplace_back(line, offset);
    return cuts.size() < n;
  };
  if (!each_line_start(accounts, cut, size, why)) return std::nullopt;
  if (cuts.empty()) cuts.emplace_back(1, 0);
  std::vector<std::uint64_t> starts(cuts.size(), to_end);  // published offsets of the cuts' lines
  std::size_t next = 0;
  const auto find = [&](std::uint64_t offset, std::uint64_t line) {
    while (next < cuts.size() && cuts[next].first == line) starts[next++] = offset;
    return next < cuts.size();
  };
  if (!each_line_start(published, find, size, why)) return std::nullopt;
  std::vector<LineRange> ranges;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    LineRange r;
    r.first_line = cuts[i].first;
    r.accounts_begin = cuts[i].second;
    r.accounts_end = i + 1 < cuts.size() ? cuts[i + 1].second : to_end;
    r.published_begin = starts[i] == to_end ? size : starts[i];
    r.published_end = i + 1 < cuts.size() && starts[i + 1] != to_end ? starts[i + 1] : to_end;
    ranges.push_back(r);
  }
  return ranges;
}

}  // namespace vmargin::audit
