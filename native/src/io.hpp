// Files and terminals for the CLI.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"

namespace vmargin::cli {

/// The largest document the CLI reads: the strict reader's limit (16 MiB).
std::size_t document_limit();

/// The whole file ("-" is standard input), or an I/O failure (exit 3: cannot
/// open, a directory, a read error). A file over document_limit() is the
/// typed input_too_large at `document` (the JSON path of its root, as the
/// parser would name it) with its true size; at most the limit is held in
/// memory.
CliResult<std::string> read_file(const std::string& path, std::string_view document);

/// --state FILE: "" when no path was given (nothing accepted yet), else the
/// file, which must not be empty: --save-state never writes an empty file,
/// so an empty one was cut short and is an error (malformed_json at /state),
/// never a fresh start.
CliResult<std::string> read_state_file(const std::optional<std::string>& path);

/// Writes `text` to `path` (created or truncated), or an I/O failure.
CliResult<std::monostate> write_file(const std::string& path, const std::string& text);

/// Whether replace_file may replace `path`: a regular file or nothing (an
/// I/O failure for a directory, a device...).
CliResult<std::monostate> check_replaceable(const std::string& path);

/// Replaces `path` with `text` so that a crash or a full disk at any moment
/// leaves either the old file or the new one, never a mix: written to a
/// temporary file in the same directory, fsync'ed, renamed over `path`, and
/// the directory fsync'ed. `path` must be a regular file or not exist.
CliResult<std::monostate> replace_file(const std::string& path, const std::string& text);

/// An exclusive flock(2) on `<path>.lock` (created when missing), held for
/// the object's lifetime: writers of `path` that take it are serialized,
/// read-modify-write included. Blocks until the lock is free.
class FileLock {
 public:
  static CliResult<FileLock> acquire(const std::string& path);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

/// Whether two paths name the same existing file (device and inode, so
/// links and other spellings of one file compare equal).
bool same_file(const std::string& a, const std::string& b);

/// JSON Lines, one line at a time, each at most `max_line` bytes in memory:
/// a longer line is read through and reported by its length, not kept.
class LineReader {
 public:
  /// Opens `path` for reading: an I/O failure when it cannot be opened or is
  /// a directory.
  static CliResult<LineReader> open(const std::string& path, std::size_t max_line);
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
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }  ///< bytes read so far
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }          ///< the file's size (or 0)

 private:
  LineReader(std::FILE* f, std::size_t max_line, std::uint64_t size);
  bool fill();
  std::FILE* f_;
  std::size_t max_line_;
  std::uint64_t size_;
  std::uint64_t consumed_ = 0;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, failed_ = false;
};

bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace vmargin::cli
