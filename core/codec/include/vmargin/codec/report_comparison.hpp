// Verification of published results: the exchange's report for an account,
// compared field by field, exactly, with the report recomputed here. Used by
// `vmargin verify` (one account, or JSON Lines in bulk), the wasm `verify`
// function and the JS package.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/engine/engine.hpp"

namespace vmargin::codec {

enum class DifferenceKind : std::uint8_t {
  differs,  ///< both have the field, with different values
  missing,  ///< the published results lack a field the report has
  extra,    ///< the published results have a field the report does not
};
[[nodiscard]] std::string_view difference_kind_name(DifferenceKind kind) noexcept;

struct FieldDifference {
  std::string path;  ///< JSON pointer into the report, e.g. "/positions/BTC-PERP/liquidation_price"
  DifferenceKind kind = DifferenceKind::differs;
  Json recomputed;  ///< null when the field is extra
  Json published;   ///< null when the field is missing
};

/// Every field of `recomputed` against `published`, exactly: strings byte for
/// byte (so "1.50" is not "1.5": published decimals must be canonical),
/// numbers by value, objects key by key, arrays index by index. A value whose
/// JSON type differs is one difference at its path. In path order.
[[nodiscard]] std::vector<FieldDifference> compare_reports(const Json& recomputed, const Json& published);

/// The inputs a report was recomputed from, named in every result so a
/// difference can be traced to the documents that produced it.
struct InputVersions {
  std::uint64_t risk_parameters_version = 0;
  std::int64_t as_of_ms = 0;
  std::string snapshot_id;  ///< empty when the prices were not a signed snapshot
};

/// {"match": bool, "account": <id>, "inputs": {"risk_parameters_version",
///  "as_of", "snapshot_id" (signed only)}, "differences": [{"path", "kind",
///  "recomputed" (not for extra), "published" (not for missing)}]}
[[nodiscard]] Json encode_comparison(std::string_view account, const InputVersions& inputs,
                                     const std::vector<FieldDifference>& differences);

/// {"recomputed": <report>, "published": <report>, "inputs":
/// {"risk_parameters_version", "as_of", "snapshot_id"?}} in, the comparison
/// (encode_comparison) out as canonical JSON: the wasm module's compareReports.
[[nodiscard]] Result<std::string> compare_reports_json(std::string_view input);

/// One account under audit: its state and the exchange's published report.
struct AuditOutcome {
  enum class Status : std::uint8_t { match, mismatch, bad_account, bad_published };
  Status status = Status::match;
  std::string account;                       ///< the account id, when the account line decoded
  std::vector<FieldDifference> differences;  ///< for a mismatch
  std::optional<Error> error;                ///< for a bad line (the account's, or the published report's)
};

/// Recomputes accounts at fixed parameters and prices and compares each with
/// its published report. Immutable after construction: share one between
/// threads. Errors in an account line are located under /account, in a
/// published line under /published.
class ReportAuditor {
 public:
  ReportAuditor(ValidatedParameters params, MarketState prices, InputVersions inputs)
      : params_(std::move(params)), prices_(std::move(prices)), inputs_(std::move(inputs)) {}

  [[nodiscard]] AuditOutcome audit(std::string_view account_line, std::string_view published_line) const;
  [[nodiscard]] const InputVersions& inputs() const noexcept { return inputs_; }

 private:
  ValidatedParameters params_;
  MarketState prices_;
  InputVersions inputs_;
};

}  // namespace vmargin::codec
