// JSON <-> model. The formats are specified in docs/spec.md ("Inputs",
// "Report"); decoders are strict (unknown fields, wrong types and malformed
// decimals are errors with the JSON pointer of the value) and the encoder is
// canonical (sorted keys, no whitespace, decimals as canonical strings), so
// equal reports are equal bytes.
#pragma once

#include <string>
#include <string_view>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/engine/engine.hpp"
#include "vmargin/whatif/scenario.hpp"

namespace vmargin::codec {

[[nodiscard]] Result<RiskParameters> decode_risk_parameters(const Json& doc);
[[nodiscard]] Result<MarketState> decode_market_state(const Json& doc);
[[nodiscard]] Result<Account> decode_account(const Json& doc);

class ObjectReader;
/// The optional exchange-wide totals of a prices document or a signed
/// snapshot's payload: "open_interest" (market -> size) and "total_deposits"
/// (asset -> amount), read from `r` into `state` (docs/spec.md §3.2).
[[nodiscard]] Status decode_market_totals(ObjectReader& r, MarketState& state);

/// One document's text, parsed strictly and decoded with its path prefix
/// (/risk_parameters, /prices, /account): each of the separate documents
/// of decode_evaluation_documents, and a market handle's (loaded_market.hpp).
[[nodiscard]] Result<RiskParameters> decode_risk_parameters_text(std::string_view text);
[[nodiscard]] Result<MarketState> decode_market_state_text(std::string_view text);
[[nodiscard]] Result<Account> decode_account_text(std::string_view text);

/// The documents of one evaluation.
struct EvaluationInput {
  RiskParameters risk_parameters;
  MarketState prices;
  Account account;
  Scenario scenario;  ///< empty unless the input has one
};

/// Decodes {"risk_parameters": ..., "prices": ..., "account": ...,
/// "scenario": ... (optional, docs/spec.md §9)}.
[[nodiscard]] Result<EvaluationInput> decode_evaluation_input(const Json& doc);

/// The three documents as separate texts (the CLI's files), each parsed and
/// decoded with its own path prefix (/risk_parameters, /prices, /account),
/// in that order; the scenario is carried as given.
/// An SVI smile object {a, b, rho, m, sigma, forward, tau} at `path`
/// (prices and signed option messages share it).
[[nodiscard]] Result<SviParameters> decode_svi(const Json& value, const std::string& path);

[[nodiscard]] Result<EvaluationInput> decode_evaluation_documents(std::string_view risk_parameters,
                                                                  std::string_view prices,
                                                                  std::string_view account,
                                                                  const Scenario& scenario = {});

/// One evaluation's typed result: the report and the parameters it was
/// computed under (the report's text names their version). Faces that show
/// the report other than as JSON (the CLI's tables) start from this.
struct Evaluation {
  AccountReport report;
  RiskParameters risk_parameters;
};

/// The report of an account under validated parameters, the scenario (if
/// any) applied first: what evaluate_input does after validating the
/// parameters, and what a market handle does for each account.
[[nodiscard]] Result<AccountReport> evaluate_validated(const ValidatedParameters& params,
                                                       const MarketState& prices, const Account& account,
                                                       const Scenario& scenario = {});

/// Evaluates decoded documents, the scenario (if any) applied first.
[[nodiscard]] Result<Evaluation> evaluate_input(EvaluationInput input);
/// The combined document, as evaluate_json(input), typed.
[[nodiscard]] Result<Evaluation> evaluate_text(std::string_view input);
/// The separate documents, as evaluate_json(params, prices, account, scenario), typed.
[[nodiscard]] Result<Evaluation> evaluate_text(std::string_view risk_parameters, std::string_view prices,
                                               std::string_view account, const Scenario& scenario = {});

/// The report (docs/spec.md §8) as canonical text, written directly: the
/// same bytes as canonical_dump(encode_report(...)), without a JSON tree.
[[nodiscard]] std::string report_text(const AccountReport& report, const RiskParameters& params);
[[nodiscard]] std::string report_pool_text(const PoolReport& pool);
/// The same as JSON values, for callers that edit or inspect them.
[[nodiscard]] Json encode_report(const AccountReport& report, const RiskParameters& params);
[[nodiscard]] Json encode_report_pool(const PoolReport& pool);
/// A pool's liquidation_plan as the report writes it (docs/spec.md §8).
[[nodiscard]] Json encode_liquidation_plan(const LiquidationPlan& plan);
/// report_text(evaluation.report, evaluation.risk_parameters).
[[nodiscard]] std::string report_text(const Evaluation& evaluation);

/// {"error": {"code": ..., "path": ..., "message": ...}}: how every face
/// reports an error as JSON.
[[nodiscard]] Json encode_error(const Error& error);

/// Canonical bytes of a JSON value: compact, keys sorted, UTF-8 as is.
[[nodiscard]] std::string canonical_dump(const Json& value);

/// Text in, canonical report (or error) JSON out: the whole pipeline of one
/// evaluation, as the CLI, the wasm module and the conformance runner use it.
/// `input` is the combined document; the Result's error is also available
/// encoded through encode_error.
[[nodiscard]] Result<std::string> evaluate_json(std::string_view input);

/// The same with the three documents as separate texts (the CLI's files),
/// and optionally a scenario applied first.
[[nodiscard]] Result<std::string> evaluate_json(std::string_view risk_parameters, std::string_view prices,
                                                std::string_view account, const Scenario& scenario = {});

}  // namespace vmargin::codec
