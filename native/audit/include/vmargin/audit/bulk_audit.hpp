// Bulk verification of published results: JSON Lines of accounts and of the
// exchange's reports, line N against line N, audited in batches on several
// threads, results in input order. The faces call it: the CLI (`vmargin
// verify --accounts`), the Python module and its Dask partitions (one
// line-aligned byte range of each file per task).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/codec/report_comparison.hpp"

namespace vmargin::audit {

/// The largest line audited: the strict reader's document limit (16 MiB).
[[nodiscard]] std::size_t line_limit() noexcept;

/// "To the end of the file", as a range's end.
inline constexpr std::uint64_t to_end = std::numeric_limits<std::uint64_t>::max();

/// JSON Lines, one line at a time, each at most `max_line` bytes in memory:
/// a longer line is read through and reported by its length, not kept.
class LineReader {
 public:
  /// Reads `f` from its current position, at most `limit` bytes; closes it
  /// at the end unless it is stdin. `size` is the file's size (0: unknown).
  LineReader(std::FILE* f, std::size_t max_line, std::uint64_t size, std::uint64_t limit = to_end);
  /// `path` from byte `begin` up to byte `end` (exclusive; to_end: the end
  /// of the file), or nothing with the reason in `why` (cannot open, a
  /// directory, cannot seek).
  [[nodiscard]] static std::optional<LineReader> open_range(const std::string& path, std::uint64_t begin,
                                                            std::uint64_t end, std::string& why);
  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&&) = delete;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  /// The next line without its "\n" (and "\r" before it), or false at the
  /// end. A line over the limit leaves `line` empty and sets `too_long`;
  /// `length` is the line's length in bytes either way.
  bool next(std::string& line, std::uint64_t& length, bool& too_long);
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  /// Hands out each line as soon as it has arrived (a live stream on a
  /// pipe or terminal) instead of reading ahead a full buffer. The reader
  /// must not share its FILE with other reads.
  void set_live() noexcept { live_ = true; }
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }  ///< bytes read so far
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }          ///< the file's size (or 0)

 private:
  bool fill();
  std::FILE* f_;
  std::size_t max_line_;
  std::uint64_t size_;
  std::uint64_t left_;  ///< bytes of the range not yet read into the buffer
  std::uint64_t consumed_ = 0;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, failed_ = false, live_ = false;
};

/// What a bulk run found. Tallies of consecutive ranges add up to the
/// tally of the whole run.
struct Tally {
  std::uint64_t accounts = 0, matches = 0, mismatches = 0, bad_accounts = 0, bad_published = 0;
  std::map<std::string, std::uint64_t> by_field;  ///< sorted: a deterministic summary
  void add(const Tally& other);
};

/// A field for the summary: the market or asset of /positions/<id>/...,
/// /collateral/<id>/... and /isolated/<id>/... becomes "*", so a million
/// accounts give one line per kind of field, not one per market.
[[nodiscard]] std::string field_of(const std::string& path);

/// The summary document `vmargin verify --summary` writes (canonical JSON
/// and a newline): counts, mismatches by field, the inputs.
[[nodiscard]] std::string summary_json(const Tally& tally, const codec::InputVersions& inputs);

/// The auditor of plain parameters and prices (errors under
/// /risk_parameters and /prices).
[[nodiscard]] Result<codec::ReportAuditor> plain_auditor(std::string_view params, std::string_view prices);

/// The auditor of signed parameters and a signed snapshot, verified first
/// against the trust store and the acceptance state ("" for none).
[[nodiscard]] Result<codec::ReportAuditor> signed_auditor(std::string_view trust, std::string_view state,
                                                          std::string_view params, std::string_view snapshot);

/// Audits line pairs in batches on `threads` threads (the caller's among
/// them); the result lines are JSON Lines in input order whatever the number
/// of threads.
class BulkAuditor {
 public:
  BulkAuditor(const codec::ReportAuditor& auditor, unsigned threads);
  BulkAuditor(const BulkAuditor&) = delete;
  BulkAuditor& operator=(const BulkAuditor&) = delete;
  ~BulkAuditor();

  enum class Outcome : std::uint8_t { done, accounts_unreadable, published_unreadable, stopped };

  /// Every line pair of the two readers, the first numbered `first_line`:
  /// after each batch, `sink` gets that batch's result lines (differences and
  /// bad lines; nothing for a match) and returns false to stop the run.
  Outcome run(LineReader& accounts, LineReader& published, std::uint64_t first_line, Tally& tally,
              const std::function<bool(const std::string& lines)>& sink);

 private:
  class Pool;
  const codec::ReportAuditor& auditor_;
  std::unique_ptr<Pool> pool_;
};

/// A part of a bulk run: the same lines of both files as byte ranges that
/// start and end on line boundaries ([begin, end), to_end for the last part).
struct LineRange {
  std::uint64_t first_line = 1;
  std::uint64_t accounts_begin = 0, accounts_end = to_end;
  std::uint64_t published_begin = 0, published_end = to_end;
};

/// About `parts` ranges of similar size in bytes of the accounts file,
/// covering both files: audited one by one and concatenated in order, they
/// give exactly the lines and the tally of the whole run. Nothing, with the
/// reason in `why`, when a file cannot be read.
[[nodiscard]] std::optional<std::vector<LineRange>> split_lines(const std::string& accounts,
                                                                const std::string& published,
                                                                std::uint64_t parts, std::string& why);

}  // namespace vmargin::audit
