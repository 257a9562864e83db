// Files and terminals for the CLI.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"
#include "vmargin/audit/bulk_audit.hpp"

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

/// JSON Lines from `path` ("-" is standard input), each line at most
/// document_limit() bytes in memory (vmargin::audit's reader), or an I/O
/// failure as read_file's.
CliResult<audit::LineReader> open_lines(const std::string& path);

bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace vmargin::cli
