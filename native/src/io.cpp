#include "io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "terminal_text.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"

namespace vmargin::cli {

int report_failure(const CliFailure& failure, const std::string& format) {
  if (!failure.error) {
    std::fprintf(stderr, "vmargin: %s\n", terminal_safe(failure.message).c_str());
    return failure.exit_code;
  }
  // Messages quote ids and values from the inputs: escaped for the terminal
  // (the JSON on standard output is escaped by the JSON writer).
  std::fprintf(stderr, "vmargin: %s\n", terminal_safe(failure.error->to_string()).c_str());
  if (format == "json") print(codec::canonical_dump(codec::encode_error(*failure.error)) + "\n");
  return failure.exit_code;
}

std::size_t document_limit() { return codec::JsonLimits{}.max_bytes; }

namespace {

std::string errno_text() { return std::strerror(errno); }

// The file opened for reading, refused when it is a directory (fopen opens
// one, and reading it would fail or look empty); its size when regular.
CliResult<std::FILE*> open_input(const std::string& path, std::uint64_t& size) {
  size = 0;
  if (path == "-") return stdin;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return CliFailure::io("cannot open " + path + ": " + errno_text());
  struct stat st {};
  if (fstat(fileno(f), &st) != 0) {
    const std::string why = errno_text();
    std::fclose(f);
    return CliFailure::io("cannot read " + path + ": " + why);
  }
  if (S_ISDIR(st.st_mode)) {
    std::fclose(f);
    return CliFailure::io("cannot read " + path + ": it is a directory, not a file");
  }
  if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
  return f;
}

Error too_large(std::uint64_t bytes, std::string_view document) {
  return Error(ErrorCode::input_too_large,
               "the document has " + std::to_string(bytes) + " bytes; the limit is " +
                   std::to_string(document_limit()),
               std::string(document));
}

}  // namespace

CliResult<std::string> read_file(const std::string& path, std::string_view document) {
  std::uint64_t size = 0;
  VMARGIN_TRY(std::FILE* const f, open_input(path, size));
  const std::size_t limit = document_limit();
  std::string data;
  std::uint64_t total = 0;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    total += n;
    if (total <= limit) {
      data.append(buffer, n);
    } else if (size > 0) {
      break;  // a regular file: fstat has the true size
    } else {
      data.clear();  // a pipe: read through to count, holding nothing
    }
  }
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) return CliFailure::io("cannot read " + path + ": " + errno_text());
  if (total > limit) return too_large(std::max(size, total), document);
  return data;
}

CliResult<std::string> read_state_file(const std::optional<std::string>& path) {
  if (!path) return std::string();
  VMARGIN_TRY(std::string text, read_file(*path, "/state"));
  if (text.empty()) {
    return Error(ErrorCode::malformed_json,
                 "the state file " + *path +
                     " is empty: --save-state never writes an empty file, so this one was cut short; "
                     "restore it (to accept from scratch, leave out --state)",
                 "/state");
  }
  return text;
}

CliResult<std::monostate> write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.flush();
  if (!f.good()) return CliFailure::io("cannot write " + path);
  return std::monostate{};
}

namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The mode a new file gets (0666 less the umask), or the existing file's.
mode_t mode_for(const struct stat* existing) {
  if (existing != nullptr) return existing->st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

CliResult<std::monostate> check_replaceable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return CliFailure::io("cannot write " + path + ": not a regular file");
  return std::monostate{};
}

CliResult<std::monostate> replace_file(const std::string& path, const std::string& text) {
  VMARGIN_TRY(const std::monostate replaceable, check_replaceable(path));
  static_cast<void>(replaceable);
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  const std::string dir = directory_of(path);
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    return CliFailure::io("cannot write " + path + ": cannot create a temporary file: " + errno_text());
  const bool written =
      ::fchmod(fd, mode_for(exists ? &st : nullptr)) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  const std::string why = errno_text();
  if (::close(fd) != 0 || !written) {
    ::unlink(temp.c_str());
    return CliFailure::io("cannot write " + path + ": " + why + " (the previous file is unchanged)");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string rename_why = errno_text();
    ::unlink(temp.c_str());
    return CliFailure::io("cannot write " + path + ": " + rename_why + " (the previous file is unchanged)");
  }
  // The rename is durable once the directory is.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = dir_fd >= 0 && ::fsync(dir_fd) == 0;
  if (dir_fd >= 0) ::close(dir_fd);
  if (!synced) return CliFailure::io("cannot sync the directory of " + path + ": " + errno_text());
  return std::monostate{};
}

CliResult<FileLock> FileLock::acquire(const std::string& path) {
  const std::string lock_path = path + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return CliFailure::io("cannot open the lock file " + lock_path + ": " + errno_text());
  int r = 0;
  while ((r = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
  }
  if (r != 0) {
    const std::string why = errno_text();
    ::close(fd);
    return CliFailure::io("cannot lock " + lock_path + ": " + why);
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (a == "-" || b == "-") return false;
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

CliResult<audit::LineReader> open_lines(const std::string& path) {
  std::uint64_t size = 0;
  VMARGIN_TRY(std::FILE* const f, open_input(path, size));
  return audit::LineReader(f, document_limit(), size);
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) != 0; }
bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace vmargin::cli
