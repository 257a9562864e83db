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
#include "vmargin/signing/ed25519.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/signed_codec.hpp"
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

// The acceptance state crosses to JS as an opaque token (docs/formats.md §8):
// "vmargin-state/1:" + the BLAKE2b-256 of the state's canonical JSON (64 hex
// digits) + ":" + that JSON. The digest is a check against a state modified
// or cut short by mistake (or rebuilt from a JS object that rounded its
// integers), not a signature: anyone can compute it.
constexpr std::string_view state_prefix = "vmargin-state/1:";
constexpr std::size_t state_digest_hex = 64;

vmargin::Error state_error(vmargin::ErrorCode code, std::string message) {
  return vmargin::Error(code, std::move(message), "/state");
}

/// The state document `json`, strictly decoded, must be exactly its
/// canonical form: the bytes the engine writes.
vmargin::Status check_canonical_state(std::string_view json) {
  if (json.empty()) {
    return state_error(
        vmargin::ErrorCode::malformed_json,
        "the state is empty; a state document is never empty (to start from nothing, pass no state)");
  }
  VMARGIN_TRY(const vmargin::signing::AcceptanceState state, vmargin::signing::decode_acceptance_state(json));
  const std::string canonical =
      vmargin::codec::canonical_dump(vmargin::signing::encode_acceptance_state(state));
  if (canonical != json) {
    std::size_t at = 0;
    while (at < canonical.size() && at < json.size() && canonical[at] == json[at]) ++at;
    return state_error(
        vmargin::ErrorCode::non_canonical,
        "the state is not in canonical form (keys sorted, no whitespace): it differs from it at byte " +
            std::to_string(at + 1));
  }
  return vmargin::Ok{};
}

/// The canonical state JSON inside a token, or an error at /state.
vmargin::Result<std::string> unseal_state(std::string_view token) {
  const std::size_t json_at = state_prefix.size() + state_digest_hex + 1;
  if (token.size() < json_at || token.substr(0, state_prefix.size()) != state_prefix ||
      token[json_at - 1] != ':') {
    return state_error(vmargin::ErrorCode::bad_encoding,
                       "not an acceptance state returned by this package (a \"vmargin-state/1:...\" token); "
                       "a state saved by the CLI is read with importState");
  }
  const std::string_view json = token.substr(json_at);
  const std::string_view digest_hex = token.substr(state_prefix.size(), state_digest_hex);
  if (digest_hex !=
      vmargin::signing::encode_hex(vmargin::signing::as_bytes(vmargin::signing::digest(json)))) {
    return state_error(vmargin::ErrorCode::bad_encoding,
                       "the state's check digest does not match its content: it was modified or cut short "
                       "after the engine wrote it");
  }
  VMARGIN_CHECK(check_canonical_state(json));
  return std::string(json);
}

/// A state document (canonical JSON, optionally followed by one newline as
/// the CLI's --save-state writes it) as a token: a JSON string.
std::string import_state(const std::string& text) {
  std::string_view json = text;
  if (!json.empty() && json.back() == '\n') json.remove_suffix(1);
  if (const vmargin::Status ok = check_canonical_state(json); !ok.ok()) return error_output(ok.error());
  const std::string token =
      std::string(state_prefix) +
      vmargin::signing::encode_hex(vmargin::signing::as_bytes(vmargin::signing::digest(json))) + ":" +
      std::string(json);
  return vmargin::codec::canonical_dump(vmargin::codec::Json(token));
}

/// The canonical state JSON of a token (as the CLI's --save-state writes it,
/// without the newline), or an error.
std::string export_state(const std::string& token) { return to_output(unseal_state(token)); }

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

// Sessions live here, addressed by number: JS holds no embind class handle
// that could leak, and session_close frees everything at once.
std::map<std::uint32_t, std::unique_ptr<vmargin::signing::SignedSession>>& sessions() {
  static std::map<std::uint32_t, std::unique_ptr<vmargin::signing::SignedSession>> all;
  return all;
}
std::uint32_t next_session = 1;

vmargin::Error no_session(std::uint32_t id) {
  return vmargin::Error(vmargin::ErrorCode::invalid_value,
                        "session " + std::to_string(id) + " is closed or was never opened");
}

/// {"session": <id>, "description": {...}} or an error.
std::string session_open(const std::string& trust, const std::string& state, const std::string& parameters,
                         const std::string& statement) {
  auto session = vmargin::signing::SignedSession::open(trust, state, parameters, statement);
  if (!session.ok()) return error_output(session.error());
  const std::uint32_t id = next_session++;
  auto& slot = sessions()[id];
  slot = std::make_unique<vmargin::signing::SignedSession>(std::move(session).value());
  return "{\"description\":" + slot->description() + ",\"session\":" + std::to_string(id) + "}";
}

std::string session_tick(std::uint32_t id, const std::string& snapshot) {
  const auto it = sessions().find(id);
  if (it == sessions().end()) return error_output(no_session(id));
  return to_output(it->second->tick(snapshot));
}

std::string session_describe(std::uint32_t id) {
  const auto it = sessions().find(id);
  return it == sessions().end() ? error_output(no_session(id)) : it->second->description();
}

bool session_close(std::uint32_t id) { return sessions().erase(id) == 1; }

std::uint32_t session_count() { return static_cast<std::uint32_t>(sessions().size()); }

// Market handles (codec::LoadedMarket) live here too, addressed by number
// for the same reasons; market_close frees the parameters and prices.
std::map<std::uint32_t, std::unique_ptr<vmargin::codec::LoadedMarket>>& markets() {
  static std::map<std::uint32_t, std::unique_ptr<vmargin::codec::LoadedMarket>> all;
  return all;
}
std::uint32_t next_market = 1;

vmargin::Error no_market(std::uint32_t id) {
  return vmargin::Error(vmargin::ErrorCode::invalid_value,
                        "market " + std::to_string(id) + " is closed or was never opened");
}

/// {"market": <id>} or an error (the documents' errors under /risk_parameters and /prices).
std::string market_open(const std::string& risk_parameters, const std::string& prices) {
  auto market = vmargin::codec::LoadedMarket::open(risk_parameters, prices);
  if (!market.ok()) return error_output(market.error());
  const std::uint32_t id = next_market++;
  markets()[id] = std::make_unique<vmargin::codec::LoadedMarket>(std::move(market).value());
  return "{\"market\":" + std::to_string(id) + "}";
}

/// The canonical report of one account (as evaluateDocuments), the scenario
/// JSON applied first ("" for none), or an error.
std::string market_evaluate(std::uint32_t id, const std::string& account, const std::string& scenario) {
  const auto it = markets().find(id);
  if (it == markets().end()) return error_output(no_market(id));
  return to_output(it->second->evaluate(account, std::string_view(scenario)));
}

/// The largest order (as largestOrder) for one account, the scenario JSON
/// ("" for none) applied first, the query {market, side, price?} as JSON.
std::string market_largest_order(std::uint32_t id, const std::string& account, const std::string& scenario,
                                 const std::string& query) {
  const auto it = markets().find(id);
  if (it == markets().end()) return error_output(no_market(id));
  return to_output(it->second->largest_order_json(account, scenario, query));
}

/// "{}" once the prices are replaced, or an error (and the prices unchanged).
std::string market_update_prices(std::uint32_t id, const std::string& prices) {
  const auto it = markets().find(id);
  if (it == markets().end()) return error_output(no_market(id));
  const vmargin::Status updated = it->second->update_prices(prices);
  return updated.ok() ? "{}" : error_output(updated.error());
}

bool market_close(std::uint32_t id) { return markets().erase(id) == 1; }

std::uint32_t market_count() { return static_cast<std::uint32_t>(markets().size()); }

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
