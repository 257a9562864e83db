// embind bindings: functions only, std::string in and out. Every function
// returns canonical JSON: a report, or {"error": {"code", "path", "message"}}.
// Nothing here throws (Emscripten 3.1.6 would abort the instance) and nothing
// computes: the codec and the core do all the work.
#include <emscripten/bind.h>

#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/version.hpp"

namespace {

std::string to_output(const vmargin::Result<std::string>& result) {
  if (result.ok()) return result.value();
  return vmargin::codec::canonical_dump(vmargin::codec::encode_error(result.error()));
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

std::string version() { return vmargin::version_string; }

}  // namespace

EMSCRIPTEN_BINDINGS(vmargin) {
  emscripten::function("evaluate", &evaluate);
  emscripten::function("evaluateDocuments", &evaluate_documents);
  emscripten::function("largestOrder", &largest_order);
  emscripten::function("verifyEvaluate", &verify_evaluate);
  emscripten::function("version", &version);
}
