#include "vmargin/signing/watch_session.hpp"

#include <algorithm>
#include <utility>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/signing/envelope.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::signing {
namespace {

using codec::EventSource;
using codec::Json;

Error line_error(std::string message) { return Error(ErrorCode::invalid_value, std::move(message), ""); }

// A plain stream line: {"prices": {...}} or {"account": {...}}, nothing else.
Result<std::pair<std::string, Json>> plain_line(std::string_view line) {
  VMARGIN_TRY(Json doc, codec::parse_strict_json(line));
  if (!doc.is_object() || doc.size() != 1 || !(doc.contains("prices") || doc.contains("account"))) {
    return line_error("a plain stream line is {\"prices\": {...}} or {\"account\": {...}}");
  }
  auto it = doc.begin();
  return std::pair<std::string, Json>{it.key(), std::move(it.value())};
}

}  // namespace

Result<WatchSession> WatchSession::open_signed(std::string_view trust_text, std::string_view state_text,
                                               std::string_view parameters, watch::BookSettings settings) {
  VMARGIN_CHECK(watch::validate(settings));
  VMARGIN_TRY(TrustStore trust, decode_trust_store(trust_text));
  VMARGIN_TRY(AcceptanceState state, decode_acceptance_state(state_text));
  VMARGIN_TRY(VerifiedParameters params, verify_parameters(trust, state, parameters));
  WatchSession s(params.parameters(), settings);
  s.trust_ = std::move(trust);
  s.state_ = std::move(state);
  s.verified_ = std::move(params);
  return s;
}

Result<WatchSession> WatchSession::open_plain(std::string_view risk_parameters,
                                              watch::BookSettings settings) {
  VMARGIN_CHECK(watch::validate(settings));
  VMARGIN_TRY(const Json doc, codec::parse_strict_json(risk_parameters, input_path::risk_parameters));
  VMARGIN_TRY(RiskParameters params, codec::decode_risk_parameters(doc));
  VMARGIN_TRY(ValidatedParameters validated, ValidatedParameters::make(std::move(params)));
  return WatchSession(std::move(validated), settings);
}

std::string WatchSession::state_text() const {
  return codec::canonical_dump(encode_acceptance_state(state_));
}

Result<WatchSession::PendingAccount> WatchSession::decode_account_line(std::string_view line,
                                                                       std::uint64_t number,
                                                                       EventSource::Input input) const {
  PendingAccount p;
  p.input = input;
  p.line = number;
  if (trust_) {
    VMARGIN_TRY(VerifiedStatement statement, verify_statement(*trust_, line));
    p.account = statement.account();
    p.statement = std::move(statement);
  } else {
    VMARGIN_TRY(const Json doc, codec::parse_strict_json(line, input_path::account));
    VMARGIN_TRY(p.account, codec::decode_account(doc));
  }
  // Refused at its own line, never later with the prices that open the book.
  VMARGIN_CHECK(validate(p.account));
  return p;
}

std::string WatchSession::account_line(std::string_view line, std::uint64_t number,
                                       EventSource::Input input) {
  const EventSource source{input, number, EventSource::Kind::account, std::nullopt};
  Result<PendingAccount> account = decode_account_line(line, number, input);
  if (!account.ok()) return codec::watch_rejection_text(source, account.error());
  return put(std::move(account).value(), source);
}

// An account waits for the first prices; after them it is evaluated at
// once (a statement dated after the last snapshot is refused).
std::string WatchSession::put(PendingAccount account, const EventSource& source) {
  if (!settings_.shard.holds(account.account.id)) return {};  // another shard's account
  last_revalued_ = 0;
  if (!book_) {
    pending_.push_back(std::move(account));
    return {};
  }
  if (account.statement) {
    if (const Status ok = check_statement_time(*account.statement, *market_); !ok.ok())
      return codec::watch_rejection_text(source, ok.error());
  }
  std::vector<Account> one;
  one.push_back(std::move(account.account));
  Result<watch::BookEvents> events = book_->put_accounts(std::move(one));
  if (!events.ok()) return codec::watch_rejection_text(source, events.error());
  last_revalued_ = events.value().revalued;
  return codec::watch_events_text(*book_, events.value(), source);
}

// New prices: the first open the book with every waiting account (each
// refused one a rejection of its own line), later ones advance it.
std::pair<bool, std::string> WatchSession::prices(MarketState prices, EventSource source) {
  last_revalued_ = 0;
  if (book_) {
    Result<watch::BookEvents> events = book_->advance(std::move(prices));
    if (!events.ok()) return {false, codec::watch_rejection_text(source, events.error())};
    last_revalued_ = events.value().revalued;
    return {true, codec::watch_events_text(*book_, events.value(), source)};
  }
  Result<watch::ExchangeBook> book = watch::ExchangeBook::open(params_, std::move(prices), settings_);
  if (!book.ok()) return {false, codec::watch_rejection_text(source, book.error())};
  std::string out;
  std::vector<Account> accounts;
  for (PendingAccount& p : pending_) {
    const EventSource from{p.input, p.line, EventSource::Kind::account, std::nullopt};
    if (p.statement && market_) {
      if (const Status ok = check_statement_time(*p.statement, *market_); !ok.ok()) {
        out += codec::watch_rejection_text(from, ok.error());
        continue;
      }
    }
    accounts.push_back(std::move(p.account));
  }
  // Every account was validated at its line: put_accounts cannot refuse them.
  Result<watch::BookEvents> events = book.value().put_accounts(std::move(accounts));
  if (!events.ok()) return {false, out + codec::watch_rejection_text(source, events.error())};
  pending_.clear();
  book_ = std::move(book).value();
  last_revalued_ = events.value().revalued;
  source.kind = EventSource::Kind::load;
  return {true, out + codec::watch_events_text(*book_, events.value(), source)};
}

std::string WatchSession::snapshot_line(std::string_view line, std::uint64_t number) {
  EventSource source{EventSource::Input::stream, number, EventSource::Kind::prices, std::nullopt};
  Result<VerifiedMarket> market = verify_snapshot(*trust_, *verified_, state_, line);
  if (!market.ok()) return codec::watch_rejection_text(source, market.error());
  source.snapshot = market.value().id();
  std::optional<VerifiedMarket> previous = std::exchange(market_, market.value());
  auto [accepted, out] = prices(market.value().prices(), source);
  if (!accepted) {
    market_ = std::move(previous);  // refused: nothing changes
    return out;
  }
  state_ = next_state(state_, *verified_, market.value());
  return out;
}

std::string WatchSession::stream_line(std::string_view line, std::uint64_t number) {
  const EventSource source{EventSource::Input::stream, number, EventSource::Kind::prices, std::nullopt};
  if (trust_) {
    Result<Envelope> envelope = decode_envelope(line, "");
    if (!envelope.ok()) return codec::watch_rejection_text(source, envelope.error());
    if (envelope.value().type == DocumentType::statement)
      return account_line(line, number, EventSource::Input::stream);
    if (envelope.value().type != DocumentType::snapshot) {
      return codec::watch_rejection_text(
          source, line_error("a signed stream line is a snapshot/v1 or statement/v1 envelope, not " +
                             std::string(type_name(envelope.value().type))));
    }
    return snapshot_line(line, number);
  }
  Result<std::pair<std::string, Json>> doc = plain_line(line);
  if (!doc.ok()) return codec::watch_rejection_text(source, doc.error());
  if (doc.value().first == "account") {
    const EventSource from{EventSource::Input::stream, number, EventSource::Kind::account, std::nullopt};
    Result<Account> account = codec::decode_account(doc.value().second);
    if (!account.ok()) return codec::watch_rejection_text(from, account.error());
    if (const Status ok = validate(account.value()); !ok.ok())
      return codec::watch_rejection_text(from, ok.error());
    return put(PendingAccount{from.input, number, std::move(account).value(), std::nullopt}, from);
  }
  Result<MarketState> prices_doc = codec::decode_market_state(doc.value().second);
  if (!prices_doc.ok()) return codec::watch_rejection_text(source, prices_doc.error());
  return prices(std::move(prices_doc).value(), source).second;
}

}  // namespace vmargin::signing
