// One line pair of bulk verification (codec::ReportAuditor::audit, as
// `vmargin verify --accounts --published` does per line) under the bundled
// example's parameters and prices: the account line, a newline, the
// published line. Never crashes; a published line that parses is judged the
// same as its canonical bytes (the auditor's fast path for canonical bytes
// agrees with its field-by-field comparison).
#include "fuzz_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"

namespace {

using namespace vmargin;

codec::ReportAuditor make_auditor() {
  auto params_doc = codec::parse_strict_json(fuzz::source_file("examples/exchange/risk_parameters.json"));
  auto prices_doc = codec::parse_strict_json(fuzz::source_file("examples/exchange/prices.json"));
  if (!params_doc.ok() || !prices_doc.ok()) fuzz::fail("the example does not parse");
  auto risk = codec::decode_risk_parameters(*params_doc);
  auto prices = codec::decode_market_state(*prices_doc);
  if (!risk.ok() || !prices.ok()) fuzz::fail("the example does not decode");
  const codec::InputVersions inputs{risk->version, prices->as_of_ms, ""};
  auto params = ValidatedParameters::make(*std::move(risk));
  if (!params.ok()) fuzz::fail("the example parameters are invalid");
  return codec::ReportAuditor(*std::move(params), *std::move(prices), inputs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const codec::ReportAuditor auditor = make_auditor();
  const auto lines = fuzz::split(fuzz::as_text(data, size), 2, '\n');
  const codec::AuditOutcome outcome = auditor.audit(lines[0], lines[1]);
  using Kind = codec::AuditOutcome::Status;
  if (outcome.status != Kind::match && outcome.status != Kind::mismatch) return 0;
  if ((outcome.status == Kind::match) != outcome.differences.empty())
    fuzz::fail("a match with differences, or a mismatch without");
  const auto published = codec::parse_strict_json(lines[1], "/published");
  if (!published.ok()) return 0;  // matched on the fast path: exactly the canonical bytes
  const codec::AuditOutcome again = auditor.audit(lines[0], codec::canonical_dump(*published));
  if (again.status != outcome.status || again.differences.size() != outcome.differences.size())
    fuzz::fail("the canonical bytes of the published line are judged differently");
  return 0;
}
