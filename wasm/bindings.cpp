// embind bindings: functions only, strings and integers in and out. Every
// function returns canonical JSON: a result, or {"error": {"code", "path",
// "message"}}. Nothing here throws (Emscripten 3.1.6 would abort the
// instance) and nothing computes: the codec and the core do all the work.
// The JS package (wasm/js/) turns these into plain objects (integers as
// bigints) and VMarginError; the acceptance state crosses as a token
// (importState/exportState below), which the package checks (exportState)
// before it hands the state's JSON to verifyEvaluate or sessionOpen.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "vmargin/codec/loaded_market.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/signing/state_token.hpp"
#include "vmargin/signing/watch_session.hpp"
#include "vmargin/version.hpp"

namespace {

std::string error_output(const vmargin::Error& error) {
  return vmargin::codec::canonical_dump(vmargin::codec::encode_error(error));
}

std::string to_output(const vmargin::Result<std::string>& result) {
  return result.ok() ? result.value() : error_output(result.error());
}

/// {"risk_parameters", "prices", "account"} in one document.
std::string evaluate(const std::string& input) { return to_output(vmargin::codec::evaluate_json(input)); }

/// The three documents as separate texts.
std::string evaluate_documents(const std::string& risk_parameters, const std::string& prices,
                               const std::string& account) {
  return to_output(vmargin::codec::evaluate_json(risk_parameters, prices, account));
}

/// {"risk_parameters", "prices", "account", "scenario"?, "query"}: the largest order.
std::string largest_order(const std::string& input) {
  return to_output(vmargin::codec::largest_order_json(input));
}

// The acceptance state crosses to JS as an opaque token (docs/formats.md §8;
// signing/state_token.hpp, shared with the Python module).

/// A state document (as the CLI's --save-state writes it) as a token: a JSON string.
std::string import_state(const std::string& text) {
  const vmargin::Result<std::string> token = vmargin::signing::seal_state(text);
  if (!token.ok()) return error_output(token.error());
  return vmargin::codec::canonical_dump(vmargin::codec::Json(token.value()));
}

/// The canonical state JSON of a token (as the CLI's --save-state writes it,
/// without the newline), or an error.
std::string export_state(const std::string& token) {
  return to_output(vmargin::signing::unseal_state(token));
}

/// Signed inputs (docs/formats.md): the trust store, the acceptance state
/// JSON ("" when nothing was accepted yet; the JS package passes the JSON of
/// a checked token, never "") and the three envelopes, verified and
/// evaluated: {"report", "verification", "state"}.
std::string verify_evaluate(const std::string& trust, const std::string& state, const std::string& parameters,
                            const std::string& snapshot, const std::string& statement) {
  return to_output(vmargin::signing::verify_and_evaluate_json(trust, state, parameters, snapshot, statement));
}

/// {"recomputed": <report>, "published": <report>, "inputs":
/// {"risk_parameters_version", "as_of", "snapshot_id"?}}: the field-by-field
/// comparison (codec::encode_comparison).
std::string compare_reports(const std::string& input) {
  return to_output(vmargin::codec::compare_reports_json(input));
}

// Sessions, market handles and watch books live here, addressed by number:
// JS holds no embind class handle that could leak, and closing one frees
// everything it holds at once.
template <class T>
class Registry {
 public:
  explicit Registry(const char* what) : what_(what) {}
  std::uint32_t add(T value) {
    const std::uint32_t id = next_++;
    all_[id] = std::make_unique<T>(std::move(value));
    return id;
  }
  T* find(std::uint32_t id) {
    const auto it = all_.find(id);
    return it == all_.end() ? nullptr : it->second.get();
  }
  [[nodiscard]] vmargin::Error missing(std::uint32_t id) const {
    return vmargin::Error(vmargin::ErrorCode::invalid_value,
                          std::string(what_) + " " + std::to_string(id) + " is closed or was never opened");
  }
  bool close(std::uint32_t id) { return all_.erase(id) == 1; }
  [[nodiscard]] std::uint32_t count() const { return static_cast<std::uint32_t>(all_.size()); }

 private:
  const char* what_;
  std::map<std::uint32_t, std::unique_ptr<T>> all_;
  std::uint32_t next_ = 1;
};

Registry<vmargin::signing::SignedSession> sessions("session");
Registry<vmargin::codec::LoadedMarket> markets("market");
Registry<vmargin::signing::WatchSession> watches("watch");

/// `call(handle)` on a live handle, or the error for a closed one.
template <class T, class Call>
std::string with(Registry<T>& registry, std::uint32_t id, Call call) {
  T* handle = registry.find(id);
  return handle == nullptr ? error_output(registry.missing(id)) : call(*handle);
}

/// {"session": <id>, "description": {...}} or an error.
std::string session_open(const std::string& trust, const std::string& state, const std::string& parameters,
                         const std::string& statement) {
  auto session = vmargin::signing::SignedSession::open(trust, state, parameters, statement);
  if (!session.ok()) return error_output(session.error());
  const std::string description = session.value().description();
  return "{\"description\":" + description +
         ",\"session\":" + std::to_string(sessions.add(std::move(session).value())) + "}";
}

std::string session_tick(std::uint32_t id, const std::string& snapshot) {
  return with(sessions, id, [&](auto& s) { return to_output(s.tick(snapshot)); });
}

std::string session_describe(std::uint32_t id) {
  return with(sessions, id, [](auto& s) { return s.description(); });
}

bool session_close(std::uint32_t id) { return sessions.close(id); }
std::uint32_t session_count() { return sessions.count(); }

/// {"market": <id>} or an error (the documents' errors under /risk_parameters and /prices).
std::string market_open(const std::string& risk_parameters, const std::string& prices) {
  auto market = vmargin::codec::LoadedMarket::open(risk_parameters, prices);
  if (!market.ok()) return error_output(market.error());
  return "{\"market\":" + std::to_string(markets.add(std::move(market).value())) + "}";
}

/// The canonical report of one account (as evaluateDocuments), the scenario
/// JSON applied first ("" for none), or an error.
std::string market_evaluate(std::uint32_t id, const std::string& account, const std::string& scenario) {
  return with(markets, id,
              [&](auto& m) { return to_output(m.evaluate(account, std::string_view(scenario))); });
}

/// The largest order (as largestOrder) for one account, the scenario JSON
/// ("" for none) applied first, the query {market, side, price?} as JSON.
std::string market_largest_order(std::uint32_t id, const std::string& account, const std::string& scenario,
                                 const std::string& query) {
  return with(markets, id,
              [&](auto& m) { return to_output(m.largest_order_json(account, scenario, query)); });
}

/// "{}" once the prices are replaced, or an error (and the prices unchanged).
std::string market_update_prices(std::uint32_t id, const std::string& prices) {
  return with(markets, id, [&](auto& m) {
    const vmargin::Status updated = m.update_prices(prices);
    return updated.ok() ? std::string("{}") : error_output(updated.error());
  });
}

bool market_close(std::uint32_t id) { return markets.close(id); }
std::uint32_t market_count() { return markets.count(); }

// A watch book (docs/formats.md §10): plain (risk parameters JSON, trust
// "") or signed (trust store, state JSON, parameters envelope); the insurance
// fund a decimal ("" for 0). Accounts and stream lines in, event lines out.
std::string watch_open(const std::string& trust, const std::string& state, const std::string& parameters,
                       const std::string& insurance_fund) {
  vmargin::watch::BookSettings settings;
  if (!insurance_fund.empty()) {
    const vmargin::Result<vmargin::Money> fund = vmargin::parse_decimal<vmargin::Money>(insurance_fund);
    if (!fund.ok()) return error_output(vmargin::Error(fund.error()).at("/insurance_fund"));
    settings.insurance_fund = fund.value();
  }
  auto watch = trust.empty()
                   ? vmargin::signing::WatchSession::open_plain(parameters, settings)
                   : vmargin::signing::WatchSession::open_signed(trust, state, parameters, settings);
  if (!watch.ok()) return error_output(watch.error());
  return "{\"watch\":" + std::to_string(watches.add(std::move(watch).value())) + "}";
}

/// The event lines (JSON Lines) of one account line / stream line.
std::string watch_account(std::uint32_t id, const std::string& line, std::uint32_t number) {
  return with(watches, id, [&](auto& w) { return w.account_line(line, number); });
}
std::string watch_line(std::uint32_t id, const std::string& line, std::uint32_t number) {
  return with(watches, id, [&](auto& w) { return w.stream_line(line, number); });
}
/// The acceptance state JSON after the last accepted snapshot (signed books).
std::string watch_state(std::uint32_t id) {
  return with(watches, id, [](auto& w) { return w.state_text(); });
}
bool watch_close(std::uint32_t id) { return watches.close(id); }
std::uint32_t watch_count() { return watches.count(); }

/// Bytes allocated and not yet freed on the wasm heap: the leak check.
std::uint32_t heap_in_use() { return static_cast<std::uint32_t>(mallinfo().uordblks); }

/// The size of the wasm memory (it only grows).
std::uint32_t heap_size() { return static_cast<std::uint32_t>(emscripten_get_heap_size()); }

std::string version() { return vmargin::version_string; }

}  // namespace

EMSCRIPTEN_BINDINGS(vmargin) {
  emscripten::function("evaluate", &evaluate);
  emscripten::function("evaluateDocuments", &evaluate_documents);
  emscripten::function("largestOrder", &largest_order);
  emscripten::function("verifyEvaluate", &verify_evaluate);
  emscripten::function("compareReports", &compare_reports);
  emscripten::function("importState", &import_state);
  emscripten::function("exportState", &export_state);
  emscripten::function("sessionOpen", &session_open);
  emscripten::function("sessionTick", &session_tick);
  emscripten::function("sessionDescribe", &session_describe);
  emscripten::function("sessionClose", &session_close);
  emscripten::function("sessionCount", &session_count);
  emscripten::function("watchOpen", &watch_open);
  emscripten::function("watchAccount", &watch_account);
  emscripten::function("watchLine", &watch_line);
  emscripten::function("watchState", &watch_state);
  emscripten::function("watchClose", &watch_close);
  emscripten::function("watchCount", &watch_count);
  emscripten::function("marketOpen", &market_open);
  emscripten::function("marketEvaluate", &market_evaluate);
  emscripten::function("marketLargestOrder", &market_largest_order);
  emscripten::function("marketUpdatePrices", &market_update_prices);
  emscripten::function("marketClose", &market_close);
  emscripten::function("marketCount", &market_count);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("heapSize", &heap_size);
  emscripten::function("version", &version);
}
