// What-if from separate documents (the CLI's --params, --prices, --account,
// --scenario): four texts separated by NUL bytes, the scenario decoded, then
// codec::evaluate_json(params, prices, account, scenario). Never crashes; a
// report is the same bytes when run twice.
#include "fuzz_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto parts = fuzz::split(fuzz::as_text(data, size), 4);
  Scenario scenario;
  if (!parts[3].empty()) {
    const auto doc = codec::parse_strict_json(parts[3], "/scenario");
    if (!doc.ok()) return 0;
    auto decoded = codec::decode_scenario(*doc);
    if (!decoded.ok()) return 0;
    scenario = *std::move(decoded);
  }
  const auto first = codec::evaluate_json(parts[0], parts[1], parts[2], scenario);
  if (!first.ok()) return 0;
  const auto second = codec::evaluate_json(parts[0], parts[1], parts[2], scenario);
  if (!second.ok() || *second != *first) fuzz::fail("what-if evaluation is not deterministic", *first);
  return 0;
}
