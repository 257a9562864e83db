// JSON for the signed path (docs/formats.md §7-§8): the acceptance state the
// caller keeps between verifications, the verification summary, and the
// whole pipeline text in, text out, as the CLI and the wasm module use it.
#pragma once

#include <string>
#include <string_view>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/signing/signed_inputs.hpp"

namespace vmargin::signing {

/// {"risk_parameters": {"version", "digest"} (optional),
///  "sources": {<public key hex>: {<feed>: {"sequence", "publish_time"}}}};
/// errors under /state. An empty text is the empty state (nothing accepted yet).
[[nodiscard]] Result<AcceptanceState> decode_acceptance_state(std::string_view text);
[[nodiscard]] codec::Json encode_acceptance_state(const AcceptanceState& state);

[[nodiscard]] codec::Json encode_verification(const VerificationSummary& summary);

/// Verifies and evaluates: {"report": <report>, "verification": <summary>,
/// "state": <next acceptance state>} as canonical JSON.
[[nodiscard]] Result<std::string> verify_and_evaluate_json(std::string_view trust, std::string_view state,
                                                           std::string_view parameters,
                                                           std::string_view snapshot,
                                                           std::string_view statement);

}  // namespace vmargin::signing
