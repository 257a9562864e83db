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

/// Verified inputs and the report evaluated from them: the typed result of
/// verify_and_evaluate_json, for faces that show it other than as JSON.
struct SignedEvaluation {
  VerifiedInputs inputs;
  AccountReport report;
};

/// Verifies and evaluates (errors as verify_and_evaluate_json's).
[[nodiscard]] Result<SignedEvaluation> verify_and_evaluate(std::string_view trust, std::string_view state,
                                                           std::string_view parameters,
                                                           std::string_view snapshot,
                                                           std::string_view statement);

/// {"report": <report>, "verification": <summary>, "state": <next acceptance
/// state>} as canonical JSON.
[[nodiscard]] std::string evaluation_text(const SignedEvaluation& evaluation);

/// Verifies and evaluates: {"report": <report>, "verification": <summary>,
/// "state": <next acceptance state>} as canonical JSON.
[[nodiscard]] Result<std::string> verify_and_evaluate_json(std::string_view trust, std::string_view state,
                                                           std::string_view parameters,
                                                           std::string_view snapshot,
                                                           std::string_view statement);

/// The real-time path: parameters and a statement verified once, then one
/// signed snapshot per tick. Each tick verifies the snapshot against the
/// session's acceptance state, evaluates the statement's account at its
/// prices and, when it succeeds, advances the state (so a replayed snapshot
/// is refused); a failed tick changes nothing.
class SignedSession {
 public:
  /// Verifies the trust store, the state ("" for none), the parameters and
  /// the statement (errors under /trust, /state, /params, /statement).
  [[nodiscard]] static Result<SignedSession> open(std::string_view trust, std::string_view state,
                                                  std::string_view parameters, std::string_view statement);

  /// {"report", "verification", "state"} for one snapshot, as verify_and_evaluate_json.
  [[nodiscard]] Result<std::string> tick(std::string_view snapshot);

  /// What open() verified: {"risk_parameters": {...}, "statement": {...}, "state": {...}}.
  [[nodiscard]] std::string description() const;

 private:
  SignedSession(TrustStore trust, AcceptanceState state, VerifiedParameters params,
                VerifiedStatement statement)
      : trust_(std::move(trust)),
        state_(std::move(state)),
        params_(std::move(params)),
        statement_(std::move(statement)) {}
  TrustStore trust_;
  AcceptanceState state_;
  VerifiedParameters params_;
  VerifiedStatement statement_;
};

}  // namespace vmargin::signing
