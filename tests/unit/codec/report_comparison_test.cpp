// The comparison of a recomputed report with published results: every field
// of a real report (the bundled example, all products, isolated pool,
// liquidation prices) tampered, removed and added in turn must be reported
// at exactly its path; an untouched report must match.
#include "vmargin/codec/report_comparison.hpp"

#include <functional>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"

using namespace vmargin;
using namespace vmargin::codec;
using vmargin::test::ok_value;

namespace {

struct Example {
  std::string params, prices, account;
};

Example example() {
  const auto dir = test::option("vmargin-examples");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-examples=DIR");
  Example e;
  for (auto [name, out] : {std::pair{"risk_parameters.json", &e.params}, std::pair{"prices.json", &e.prices},
                           std::pair{"account.json", &e.account}}) {
    const auto text = test::read_text_file(*dir + "/" + name);
    REQUIRE(text.has_value());
    *out = *text;
  }
  return e;
}

Json report_of(const Example& e) {
  return ok_value(parse_strict_json(ok_value(evaluate_json(e.params, e.prices, e.account))));
}

// Every leaf of a JSON value with its pointer (objects and arrays recursed).
void leaves(const Json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, child] : v.items()) leaves(child, path + "/" + k, out);
  } else if (v.is_array() && !v.empty()) {
    for (std::size_t i = 0; i < v.size(); ++i) leaves(v[i], path + "/" + std::to_string(i), out);
  } else {
    out.push_back(path);
  }
}

void objects(const Json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object()) {
    out.push_back(path);
    for (const auto& [k, child] : v.items()) objects(child, path + "/" + k, out);
  }
}

Json tampered(const Json& v) {
  if (v.is_string()) return v.get<std::string>() + "1";
  if (v.is_number_integer()) return v.get<std::int64_t>() + 1;
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_null()) return "0";
  return nullptr;  // an empty object or array becomes null
}

}  // namespace

TEST_CASE("an untouched report matches itself, field for field") {
  const Json r = report_of(example());
  CHECK(compare_reports(r, r).empty());
  CHECK(compare_reports(r, ok_value(parse_strict_json(canonical_dump(r)))).empty());
}

TEST_CASE("every field tampered, removed or added is one difference at its path") {
  const Json r = report_of(example());
  std::vector<std::string> paths;
  leaves(r, "", paths);
  REQUIRE(paths.size() > 100);  // the example's report: 5 positions, 3 collateral, 2 pools
  std::size_t checked = 0;
  for (const std::string& path : paths) {
    CAPTURE(path);
    const Json::json_pointer ptr(path);
    Json published = r;
    published[ptr] = tampered(r[ptr]);
    const auto diffs = compare_reports(r, published);
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].path == path);
    CHECK(diffs[0].kind == DifferenceKind::differs);
    CHECK(diffs[0].recomputed == r[ptr]);
    CHECK(diffs[0].published == published[ptr]);

    Json removed = r;
    removed[ptr.parent_pointer()].erase(ptr.back());
    const auto missing = compare_reports(r, removed);
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].path == path);
    CHECK(missing[0].kind == DifferenceKind::missing);
    CHECK(missing[0].published.is_null());
    ++checked;
  }
  std::vector<std::string> containers;
  objects(r, "", containers);
  for (const std::string& path : containers) {
    CAPTURE(path);
    Json published = r;
    published[Json::json_pointer(path)]["zz_extra"] = "1";
    const auto diffs = compare_reports(r, published);
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].path == path + "/zz_extra");
    CHECK(diffs[0].kind == DifferenceKind::extra);
    CHECK(diffs[0].recomputed.is_null());
  }
  MESSAGE(checked << " fields tampered and removed, " << containers.size() << " objects extended");
}

TEST_CASE("exactness: decimals compare as canonical text, numbers by value, types strictly") {
  const Json a = {{"x", "1.5"}, {"n", 1}, {"z", nullptr}};
  CHECK(compare_reports(a, Json{{"x", "1.50"}, {"n", 1}, {"z", nullptr}}).size() == 1);
  CHECK(compare_reports(a, Json{{"x", "1.5"}, {"n", 1U}, {"z", nullptr}}).empty());
  CHECK(compare_reports(a, Json{{"x", "1.5"}, {"n", "1"}, {"z", nullptr}}).at(0).path == "/n");
  CHECK(compare_reports(a, Json{{"x", "1.5"}, {"n", 1}, {"z", "0"}}).at(0).path == "/z");
  // A whole subtree of another type is one difference, not one per leaf.
  const auto d = compare_reports(Json{{"o", {{"a", "1"}, {"b", "2"}}}}, Json{{"o", "x"}});
  REQUIRE(d.size() == 1);
  CHECK(d[0].path == "/o");
  // Keys with "/" and "~" are escaped in paths (RFC 6901).
  CHECK(compare_reports(Json{{"a/b~c", "1"}}, Json{{"a/b~c", "2"}}).at(0).path == "/a~1b~0c");
  // Arrays: index by index, length differences as missing or extra.
  const auto arr = compare_reports(Json{{"l", {1, 2, 3}}}, Json{{"l", {1, 5}}});
  REQUIRE(arr.size() == 2);
  CHECK(arr[0].path == "/l/1");
  CHECK(arr[1].path == "/l/2");
  CHECK(arr[1].kind == DifferenceKind::missing);
}

TEST_CASE("the comparison names the inputs it was made with") {
  const Json j = encode_comparison("acct-1", InputVersions{12, 1700, "snap-1"},
                                   {FieldDifference{"/cross/equity", DifferenceKind::differs, "1", "2"},
                                    FieldDifference{"/cross/x", DifferenceKind::extra, nullptr, "3"}});
  CHECK(
      canonical_dump(j) ==
      R"({"account":"acct-1","differences":[{"kind":"differs","path":"/cross/equity","published":"2","recomputed":"1"},)"
      R"({"kind":"extra","path":"/cross/x","published":"3"}],"inputs":{"as_of":1700,"risk_parameters_version":12,)"
      R"("snapshot_id":"snap-1"},"match":false})");
  CHECK(canonical_dump(encode_comparison("a", InputVersions{1, 2, ""}, {})) ==
        R"({"account":"a","differences":[],"inputs":{"as_of":2,"risk_parameters_version":1},"match":true})");
}

TEST_CASE("compare_reports_json: the wasm module's compareReports, checks in the codec") {
  const std::string report = canonical_dump(report_of(example()));
  const std::string inputs = R"("inputs": {"risk_parameters_version": 12, "as_of": 5, "snapshot_id": "s"})";
  const Json out = ok_value(parse_strict_json(ok_value(compare_reports_json(
      R"({"recomputed": )" + report + R"(, "published": )" + report + ", " + inputs + "}"))));
  CHECK(out["match"] == true);
  CHECK(out["inputs"]["snapshot_id"] == "s");
  CHECK(test::error_of(compare_reports_json(R"({"recomputed": {}, "inputs": {}})")).to_string() ==
        "[vmargin.missing_field] /published: the field \"published\" is missing");
  CHECK(test::error_of(compare_reports_json(R"({"recomputed": [], "published": {}, "inputs": {}})"))
            .to_string() ==
        "[vmargin.wrong_type] /recomputed: the recomputed report must be a report object");
  CHECK(test::error_of(
            compare_reports_json(R"({"recomputed": {"account": "a"}, "published": {}, "inputs": {}})"))
            .to_string() ==
        "[vmargin.wrong_type] /inputs: \"inputs\" must hold the integers risk_parameters_version and as_of");
  CHECK(test::error_of(compare_reports_json("{")).code() == ErrorCode::malformed_json);
}

TEST_CASE("the auditor: match, mismatch, and bad lines located in their document") {
  const Example e = example();
  const RiskParameters params = ok_value(decode_risk_parameters(ok_value(parse_strict_json(e.params))));
  const MarketState prices = ok_value(decode_market_state(ok_value(parse_strict_json(e.prices))));
  const ReportAuditor auditor(ok_value(ValidatedParameters::make(params)), prices,
                              InputVersions{params.version, prices.as_of_ms, ""});
  const std::string account_line = canonical_dump(ok_value(parse_strict_json(e.account)));
  const std::string published = canonical_dump(report_of(e));

  AuditOutcome ok = auditor.audit(account_line, published);
  CHECK(ok.status == AuditOutcome::Status::match);
  CHECK(ok.account == "acct-7");
  // Not canonical, same values: still a match (parsed and compared).
  CHECK(auditor.audit(account_line, report_of(e).dump(2)).status == AuditOutcome::Status::match);

  Json tamper = report_of(e);
  tamper["cross"]["maintenance_margin"] = "2215";
  const AuditOutcome bad = auditor.audit(account_line, canonical_dump(tamper));
  CHECK(bad.status == AuditOutcome::Status::mismatch);
  REQUIRE(bad.differences.size() == 1);
  CHECK(bad.differences[0].path == "/cross/maintenance_margin");

  const AuditOutcome broken_account = auditor.audit(R"({"id": "x", "collateral": {}})", published);
  CHECK(broken_account.status == AuditOutcome::Status::bad_account);
  REQUIRE(broken_account.error.has_value());
  CHECK(broken_account.error->code() == ErrorCode::missing_field);
  CHECK(broken_account.error->path() == "/account/positions");

  const AuditOutcome broken_published = auditor.audit(account_line, R"({"account": "acct-7",)");
  CHECK(broken_published.status == AuditOutcome::Status::bad_published);
  REQUIRE(broken_published.error.has_value());
  CHECK(broken_published.error->code() == ErrorCode::malformed_json);
  CHECK(broken_published.error->path().rfind("/published", 0) == 0);

  // A NUL byte does not end a line's document (issue 18, defect 7).
  const AuditOutcome nul_account = auditor.audit(account_line + std::string("\0x", 2), published);
  CHECK(nul_account.status == AuditOutcome::Status::bad_account);
  REQUIRE(nul_account.error.has_value());
  CHECK(nul_account.error->code() == ErrorCode::malformed_json);
  CHECK(nul_account.error->path() == "/account");
  const AuditOutcome nul_published = auditor.audit(account_line, published + std::string("\0x", 2));
  CHECK(nul_published.status == AuditOutcome::Status::bad_published);
  REQUIRE(nul_published.error.has_value());
  CHECK(nul_published.error->message().find("a NUL byte at line 1") != std::string::npos);

  const AuditOutcome unknown_market = auditor.audit(
      R"({"id": "y", "collateral": {}, "positions": {"DOGE-PERP": {"quantity": "1", "entry_price": "1"}}})",
      published);
  CHECK(unknown_market.status == AuditOutcome::Status::bad_account);
  CHECK(unknown_market.account == "y");
}
