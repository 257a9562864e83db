// A NATS connection for `vmargin watch` (libnats, Debian libnats-dev): the
// stream's lines from a subject, the events to a subject. Built only where
// CMake finds cnats (VMARGIN_WITH_NATS); elsewhere open() says so.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common.hpp"

namespace vmargin::cli {

class NatsLink {
 public:
  /// Connects to `url` and, when `subject` is given, subscribes to it.
  static CliResult<NatsLink> open(const std::string& url, const std::optional<std::string>& subject);
  NatsLink(NatsLink&&) noexcept;
  NatsLink& operator=(NatsLink&&) noexcept;
  ~NatsLink();

  /// The next message's payload; false when an empty message (the end of
  /// the stream) arrived, or the connection failed (then failed() is set).
  bool next(std::string& line);
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  /// Publishes one message per line of `text` (each event its own message).
  CliResult<std::monostate> publish(const std::string& subject, const std::string& text);
  /// Waits until the server has every published message.
  CliResult<std::monostate> flush();

 private:
  struct Handles;
  explicit NatsLink(std::unique_ptr<Handles> h);
  std::unique_ptr<Handles> h_;
  bool failed_ = false;
};

}  // namespace vmargin::cli
