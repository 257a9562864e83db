#include "nats_link.hpp"

#include <string_view>
#include <utility>

#ifdef VMARGIN_WITH_NATS
#include <nats/nats.h>
#endif

namespace vmargin::cli {

#ifdef VMARGIN_WITH_NATS

struct NatsLink::Handles {
  natsConnection* connection = nullptr;
  natsSubscription* subscription = nullptr;
  ~Handles() {
    natsSubscription_Destroy(subscription);
    natsConnection_Destroy(connection);
  }
};

namespace {
CliFailure nats_failure(const std::string& what, natsStatus s) {
  return CliFailure::io("NATS: " + what + ": " + natsStatus_GetText(s));
}
}  // namespace

CliResult<NatsLink> NatsLink::open(const std::string& url, const std::optional<std::string>& subject) {
  auto h = std::make_unique<Handles>();
  if (natsStatus s = natsConnection_ConnectTo(&h->connection, url.c_str()); s != NATS_OK)
    return nats_failure("cannot connect to " + url, s);
  if (subject) {
    if (natsStatus s = natsConnection_SubscribeSync(&h->subscription, h->connection, subject->c_str());
        s != NATS_OK)
      return nats_failure("cannot subscribe to " + *subject, s);
    // Every message kept until read: a slow watch falls behind, it never
    // drops a snapshot (a dropped one would be a missed tick).
    natsSubscription_SetPendingLimits(h->subscription, -1, -1);
  }
  return NatsLink(std::move(h));
}

bool NatsLink::next(std::string& line) {
  natsMsg* msg = nullptr;
  // No timeout: a keeper waits for the next snapshot however long it takes.
  const natsStatus s = natsSubscription_NextMsg(&msg, h_->subscription, 1'000'000'000);
  if (s != NATS_OK) {
    failed_ = true;
    return false;
  }
  line.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
  natsMsg_Destroy(msg);
  return !line.empty();
}

CliResult<std::monostate> NatsLink::publish(const std::string& subject, const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    if (natsStatus s = natsConnection_Publish(h_->connection, subject.c_str(), line.data(),
                                              static_cast<int>(line.size()));
        s != NATS_OK)
      return nats_failure("cannot publish to " + subject, s);
    start = end + 1;
  }
  return std::monostate{};
}

CliResult<std::monostate> NatsLink::flush() {
  if (natsStatus s = natsConnection_FlushTimeout(h_->connection, 10'000); s != NATS_OK)
    return nats_failure("flush", s);
  return std::monostate{};
}

#else

struct NatsLink::Handles {};

CliResult<NatsLink> NatsLink::open(const std::string&, const std::optional<std::string>&) {
  return CliFailure::usage("this vmargin was built without NATS (libnats-dev was not found)");
}
bool NatsLink::next(std::string&) { return false; }
CliResult<std::monostate> NatsLink::publish(const std::string&, const std::string&) {
  return std::monostate{};
}
CliResult<std::monostate> NatsLink::flush() { return std::monostate{}; }

#endif

NatsLink::NatsLink(std::unique_ptr<Handles> h) : h_(std::move(h)) {}
NatsLink::NatsLink(NatsLink&&) noexcept = default;
NatsLink& NatsLink::operator=(NatsLink&&) noexcept = default;
NatsLink::~NatsLink() = default;

}  // namespace vmargin::cli
