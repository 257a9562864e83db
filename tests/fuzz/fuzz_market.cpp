// A market handle against the stateless path (codec/loaded_market.hpp):
// five texts separated by NUL bytes (the risk parameters, the prices, the
// account, the scenario or nothing, a price update). Once the handle opens,
// its report (or error) is evaluate_json's with the separate documents, byte
// for byte; a rejected price update leaves the report as it was; an
// accepted one gives the stateless report at the new prices.
#include "fuzz_support.hpp"
#include "vmargin/codec/loaded_market.hpp"
#include "vmargin/codec/scenario_codec.hpp"

namespace {

using namespace vmargin;

std::string output_of(const Result<std::string>& r) {
  return r.ok() ? *r : codec::canonical_dump(codec::encode_error(r.error()));
}

// The stateless path, errors in the order of the combined document: the
// three documents decoded, then the scenario, then the evaluation.
Result<std::string> stateless(std::string_view params, std::string_view prices, std::string_view account,
                              std::string_view scenario) {
  VMARGIN_CHECK(codec::decode_evaluation_documents(params, prices, account));
  Scenario what_if;
  if (!scenario.empty()) {
    VMARGIN_TRY(const codec::Json doc, codec::parse_strict_json(scenario, "/scenario"));
    VMARGIN_TRY(what_if, codec::decode_scenario(doc));
  }
  return codec::evaluate_json(params, prices, account, what_if);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split(fuzz::as_text(data, size), 5);
  auto market = codec::LoadedMarket::open(parts[0], parts[1]);
  if (!market.ok()) return 0;
  const std::string before = output_of(market->evaluate(parts[2], parts[3]));
  if (before != output_of(stateless(parts[0], parts[1], parts[2], parts[3])))
    fuzz::fail("the market handle differs from the stateless evaluation", before);
  if (!market->update_prices(parts[4]).ok()) {
    if (output_of(market->evaluate(parts[2], parts[3])) != before)
      fuzz::fail("a rejected price update changed the market", before);
    return 0;
  }
  const std::string after = output_of(market->evaluate(parts[2], parts[3]));
  if (after != output_of(stateless(parts[0], parts[4], parts[2], parts[3])))
    fuzz::fail("the market handle differs from the stateless evaluation after a price update", after);
  return 0;
}
