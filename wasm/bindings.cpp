// embind bindings: functions only, strings and integers in and out. Every
// function returns canonical JSON: a result, or {"error": {"code", "path",
// "message"}}. Nothing here throws (Emscripten 3.1.6 would abort the
// instance) and nothing computes: the codec and the core do all the work.
// The JS package (wasm/js/) turns these into plain objects and VMarginError.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/codec/scenario_codec.hpp"
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

/// Signed inputs (docs/formats.md): the trust store, the acceptance state
/// ("" when nothing was accepted yet) and the three envelopes, verified and
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
  emscripten::function("sessionOpen", &session_open);
  emscripten::function("sessionTick", &session_tick);
  emscripten::function("sessionDescribe", &session_describe);
  emscripten::function("sessionClose", &session_close);
  emscripten::function("sessionCount", &session_count);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("heapSize", &heap_size);
  emscripten::function("version", &version);
}
