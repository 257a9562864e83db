#include "watch_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "io.hpp"
#include "nats_link.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/signing/watch_session.hpp"

namespace vmargin::cli {
namespace {

using Clock = std::chrono::steady_clock;
using signing::WatchSession;

// What the run measured: per stream line, the time from reading it to its
// events written, and the accounts it re-evaluated.
struct Metrics {
  std::uint64_t account_lines = 0;
  std::uint64_t stream_lines = 0;
  std::int64_t load_us = 0;  // the first prices: every account evaluated
  std::vector<std::int64_t> latency_us;
  std::uint64_t revalued_total = 0, revalued_max = 0;
};

std::int64_t percentile(std::vector<std::int64_t> v, int p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) * static_cast<std::size_t>(p) / 100];
}

std::string metrics_text(const Metrics& m, const WatchSession& s) {
  codec::Json j = {{"account_lines", m.account_lines},
                   {"stream_lines", m.stream_lines},
                   {"accounts", s.book() ? s.book()->size() : s.pending()},
                   {"load_us", m.load_us},
                   {"latency_us",
                    {{"p50", percentile(m.latency_us, 50)},
                     {"p99", percentile(m.latency_us, 99)},
                     {"max", percentile(m.latency_us, 100)}}},
                   {"revalued", {{"total", m.revalued_total}, {"max_per_line", m.revalued_max}}}};
  return codec::canonical_dump(j) + "\n";
}

CliResult<WatchSession> open_session(const Options& o) {
  watch::BookSettings settings;
  if (o.insurance_fund) {
    Result<Money> fund = parse_decimal<Money>(*o.insurance_fund);
    if (!fund.ok())
      return CliFailure::usage("--insurance-fund " + *o.insurance_fund + ": " + fund.error().message());
    settings.insurance_fund = fund.value();
    if (fund.value().is_negative()) return CliFailure::usage("--insurance-fund cannot be negative");
  }
  if (o.shard) {
    unsigned k = 0, n = 0;
    char end = 0;
    if (std::sscanf(o.shard->c_str(), "%u/%u%c", &k, &n, &end) != 2 || n == 0 || k >= n)
      return CliFailure::usage("--shard " + *o.shard + ": expected K/N with 0 <= K < N");
    settings.shard = watch::Shard{k, n};
  }
  if (!o.trust) {
    VMARGIN_TRY(const std::string params, read_file(*o.params, "/risk_parameters"));
    return WatchSession::open_plain(params, settings);
  }
  VMARGIN_TRY(const std::string trust, read_file(*o.trust, "/trust"));
  VMARGIN_TRY(const std::string params, read_file(*o.params, "/params"));
  VMARGIN_TRY(const std::string state, read_state_file(o.state));
  return WatchSession::open_signed(trust, state, params, settings);
}

// Where events go: a NATS subject, a file, or standard output.
class EventWriter {
 public:
  EventWriter(const OptionalPath& path, NatsLink* nats, const std::optional<std::string>& subject)
      : nats_(subject ? nats : nullptr), subject_(subject.value_or("")) {
    if (path) file_.open(*path, std::ios::binary);
  }
  [[nodiscard]] bool ok() const { return nats_ok_ && (!file_.is_open() || file_.good()); }
  void write(const std::string& text) {
    if (text.empty()) return;
    if (nats_ != nullptr) {
      nats_ok_ = nats_ok_ && nats_->publish(subject_, text).ok();
    } else if (file_.is_open()) {
      file_ << text;
      file_.flush();  // a keeper reads events as they come
    } else {
      print(text);
      std::fflush(stdout);
    }
  }

 private:
  std::ofstream file_;
  NatsLink* nats_;
  std::string subject_;
  bool nats_ok_ = true;
};

// The stream's lines: a file (or standard input), or a NATS subject.
class StreamSource {
 public:
  static CliResult<StreamSource> open(const Options& o, NatsLink* nats) {
    if (o.stream_subject) return StreamSource(nats);
    VMARGIN_TRY(audit::LineReader reader, open_lines(o.stream.value_or("-")));
    reader.set_live();  // each snapshot handled as it arrives
    return StreamSource(std::move(reader));
  }
  bool next(std::string& line, std::uint64_t& length, bool& too_long) {
    if (reader_) return reader_->next(line, length, too_long);
    too_long = false;
    const bool got = nats_->next(line);
    length = line.size();
    return got;
  }
  [[nodiscard]] bool failed() const { return reader_ ? reader_->failed() : nats_->failed(); }

 private:
  explicit StreamSource(NatsLink* nats) : nats_(nats) {}
  explicit StreamSource(audit::LineReader reader) : reader_(std::move(reader)) {}
  std::optional<audit::LineReader> reader_;
  NatsLink* nats_ = nullptr;
};

// Each line of `reader` through `handle`; a line over the size limit is a
// rejection of its own, nothing else.
template <class Source, class Handle>
CliResult<std::monostate> each_line(Source& reader, const std::string& name, Handle handle) {
  std::string line;
  std::uint64_t length = 0, number = 0;
  bool too_long = false;
  while (reader.next(line, length, too_long)) {
    ++number;
    handle(line, number, too_long, length);
  }
  if (reader.failed()) return CliFailure::io("cannot read " + name);
  return std::monostate{};
}

Error too_long_error(std::uint64_t length) {
  return Error(ErrorCode::input_too_large, "the line is " + std::to_string(length) +
                                               " bytes; a line is at most " +
                                               std::to_string(document_limit()) + " bytes");
}

CliResult<std::monostate> watch(const Options& o) {
  if (!o.params || !o.accounts) return CliFailure::usage("watch needs --params and --accounts");
  if (o.save_state && !o.trust) return CliFailure::usage("--save-state needs --trust (signed snapshots)");
  VMARGIN_TRY(WatchSession session, open_session(o));
  std::optional<NatsLink> nats;
  if (o.nats) {
    VMARGIN_TRY(NatsLink link, NatsLink::open(*o.nats, o.stream_subject));
    nats.emplace(std::move(link));
  }
  EventWriter events(o.events, nats ? &*nats : nullptr, o.events_subject);
  if (!events.ok()) return CliFailure::io("cannot write " + *o.events);
  Metrics m;
  const bool progress = stderr_is_terminal();  // a progress line while loading, on a terminal only
  VMARGIN_TRY(audit::LineReader accounts, open_lines(*o.accounts));
  VMARGIN_TRY(std::monostate read,
              each_line(accounts, *o.accounts,
                        [&](const std::string& line, std::uint64_t n, bool too_long, std::uint64_t length) {
                          ++m.account_lines;
                          const codec::EventSource at{codec::EventSource::Input::accounts, n,
                                                      codec::EventSource::Kind::account, std::nullopt};
                          events.write(too_long ? codec::watch_rejection_text(at, too_long_error(length))
                                                : session.account_line(line, n));
                          if (progress && n % 50'000 == 0)
                            std::fprintf(stderr, "\rloading accounts: %llu lines",
                                         static_cast<unsigned long long>(n));
                        }));
  (void)read;
  if (progress)
    std::fprintf(stderr, "\rloaded %llu account lines; waiting for prices\n",
                 static_cast<unsigned long long>(m.account_lines));
  VMARGIN_TRY(StreamSource stream, StreamSource::open(o, nats ? &*nats : nullptr));
  CliResult<std::monostate> saved = std::monostate{};
  VMARGIN_TRY(
      std::monostate streamed,
      each_line(stream,
                o.stream_subject ? "subject " + *o.stream_subject : o.stream.value_or("standard input"),
                [&](const std::string& line, std::uint64_t n, bool too_long, std::uint64_t length) {
                  ++m.stream_lines;
                  const bool loading = !session.book();
                  const auto start = Clock::now();
                  const codec::EventSource at{codec::EventSource::Input::stream, n,
                                              codec::EventSource::Kind::prices, std::nullopt};
                  const std::string before = o.save_state ? session.state_text() : std::string();
                  events.write(too_long ? codec::watch_rejection_text(at, too_long_error(length))
                                        : session.stream_line(line, n));
                  // The checkpoint: the acceptance state after every accepted snapshot.
                  if (o.save_state && saved.ok() && session.state_text() != before)
                    saved = replace_file(*o.save_state, session.state_text() + "\n");
                  const auto us =
                      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
                  if (loading && session.book())
                    m.load_us = us;
                  else
                    m.latency_us.push_back(us);
                  m.revalued_total += session.last_revalued();
                  m.revalued_max = std::max<std::uint64_t>(m.revalued_max, session.last_revalued());
                }));
  (void)streamed;
  if (!saved.ok()) return saved.error();
  if (nats) {
    VMARGIN_TRY(std::monostate flushed, nats->flush());
    (void)flushed;
  }
  if (!events.ok()) return CliFailure::io("cannot write " + *o.events);
  const std::string metrics = metrics_text(m, session);
  std::fputs(metrics.c_str(), stderr);
  if (o.metrics) {
    VMARGIN_TRY(std::monostate written, replace_file(*o.metrics, metrics));
    (void)written;
  }
  return std::monostate{};
}

}  // namespace

int run_watch(const Options& o) {
  const CliResult<std::monostate> done = watch(o);
  return done.ok() ? exit_ok : report_failure(done.error(), "json");
}

}  // namespace vmargin::cli
