#include "vmargin/codec/report_comparison.hpp"

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/model/input_path.hpp"

namespace vmargin::codec {

namespace {

void compare(const Json& mine, const Json& theirs, std::string& path, std::vector<FieldDifference>& out) {
  if (mine.is_object() && theirs.is_object()) {
    // Both key sets in one sorted walk (nlohmann objects are sorted maps).
    auto a = mine.begin();
    auto b = theirs.begin();
    const std::size_t base = path.size();
    while (a != mine.end() || b != theirs.end()) {
      const bool take_a = b == theirs.end() || (a != mine.end() && a.key() <= b.key());
      const bool take_b = a == mine.end() || (b != theirs.end() && b.key() <= a.key());
      path += '/';
      path += input_path::escape(take_a ? a.key() : b.key());
      if (take_a && take_b) {
        compare(*a, *b, path, out);
      } else if (take_a) {
        out.push_back(FieldDifference{path, DifferenceKind::missing, *a, nullptr});
      } else {
        out.push_back(FieldDifference{path, DifferenceKind::extra, nullptr, *b});
      }
      path.resize(base);
      if (take_a) ++a;
      if (take_b) ++b;
    }
    return;
  }
  if (mine.is_array() && theirs.is_array()) {
    const std::size_t base = path.size();
    for (std::size_t i = 0; i < std::max(mine.size(), theirs.size()); ++i) {
      path += '/';
      path += std::to_string(i);
      if (i >= theirs.size()) {
        out.push_back(FieldDifference{path, DifferenceKind::missing, mine[i], nullptr});
      } else if (i >= mine.size()) {
        out.push_back(FieldDifference{path, DifferenceKind::extra, nullptr, theirs[i]});
      } else {
        compare(mine[i], theirs[i], path, out);
      }
      path.resize(base);
    }
    return;
  }
  // Leaves, or a type mismatch: nlohmann's == compares type and value (and
  // 1 == 1u across signedness, which is the same JSON number).
  if (mine != theirs) out.push_back(FieldDifference{path, DifferenceKind::differs, mine, theirs});
}

}  // namespace

std::string_view difference_kind_name(DifferenceKind kind) noexcept {
  switch (kind) {
    case DifferenceKind::differs:
      return "differs";
    case DifferenceKind::missing:
      return "missing";
    case DifferenceKind::extra:
      return "extra";
  }
  return "differs";
}

std::vector<FieldDifference> compare_reports(const Json& recomputed, const Json& published) {
  std::vector<FieldDifference> out;
  std::string path;
  compare(recomputed, published, path, out);
  return out;
}

Json encode_comparison(std::string_view account, const InputVersions& inputs,
                       const std::vector<FieldDifference>& differences) {
  Json diffs = Json::array();
  for (const FieldDifference& d : differences) {
    Json j = {{"path", d.path}, {"kind", std::string(difference_kind_name(d.kind))}};
    if (d.kind != DifferenceKind::extra) j["recomputed"] = d.recomputed;
    if (d.kind != DifferenceKind::missing) j["published"] = d.published;
    diffs.push_back(std::move(j));
  }
  Json in = {{"risk_parameters_version", inputs.risk_parameters_version}, {"as_of", inputs.as_of_ms}};
  if (!inputs.snapshot_id.empty()) in["snapshot_id"] = inputs.snapshot_id;
  return Json{{"match", differences.empty()},
              {"account", std::string(account)},
              {"inputs", std::move(in)},
              {"differences", std::move(diffs)}};
}

AuditOutcome ReportAuditor::audit(std::string_view account_line, std::string_view published_line) const {
  AuditOutcome out;
  Result<Json> account_doc = parse_strict_json(account_line, input_path::account);
  if (!account_doc.ok()) {
    out.status = AuditOutcome::Status::bad_account;
    out.error = std::move(account_doc).error();
    return out;
  }
  Result<Account> account = decode_account(*account_doc);
  if (!account.ok()) {
    out.status = AuditOutcome::Status::bad_account;
    out.error = std::move(account).error();
    return out;
  }
  out.account = account->id;
  Result<AccountReport> report = evaluate(params_, prices_, *account);
  if (!report.ok()) {
    out.status = AuditOutcome::Status::bad_account;
    out.error = std::move(report).error();
    return out;
  }
  const std::string mine_text = report_text(*report, params_.get());
  // Fast path: canonical published bytes equal to ours are a match without
  // parsing them.
  if (mine_text == published_line) return out;
  Result<Json> theirs = parse_strict_json(published_line, "/published");
  if (!theirs.ok()) {
    out.status = AuditOutcome::Status::bad_published;
    out.error = std::move(theirs).error();
    return out;
  }
  const Json mine = Json::parse(mine_text, nullptr, false);
  out.differences = compare_reports(mine, *theirs);
  if (!out.differences.empty()) out.status = AuditOutcome::Status::mismatch;
  return out;
}

Result<std::string> compare_reports_json(std::string_view input) {
  VMARGIN_TRY(const Json doc, parse_strict_json(input));
  for (const char* key : {"recomputed", "published", "inputs"}) {
    if (!doc.contains(key))
      return Error(ErrorCode::missing_field, std::string("the field \"") + key + "\" is missing",
                   std::string("/") + key);
  }
  const Json& recomputed = doc["recomputed"];
  const Json& in = doc["inputs"];
  if (!recomputed.is_object() || !recomputed.contains("account") || !recomputed["account"].is_string())
    return Error(ErrorCode::wrong_type, "the recomputed report must be a report object", "/recomputed");
  if (!in.is_object() || !in.contains("risk_parameters_version") ||
      !in["risk_parameters_version"].is_number_unsigned() || !in.contains("as_of") ||
      !in["as_of"].is_number_integer()) {
    return Error(ErrorCode::wrong_type, "\"inputs\" must hold the integers risk_parameters_version and as_of",
                 "/inputs");
  }
  InputVersions inputs;
  inputs.risk_parameters_version = in["risk_parameters_version"].get<std::uint64_t>();
  inputs.as_of_ms = in["as_of"].get<std::int64_t>();
  if (in.contains("snapshot_id") && in["snapshot_id"].is_string())
    inputs.snapshot_id = in["snapshot_id"].get<std::string>();
  return canonical_dump(encode_comparison(recomputed["account"].get<std::string>(), inputs,
                                          compare_reports(recomputed, doc["published"])));
}

}  // namespace vmargin::codec
