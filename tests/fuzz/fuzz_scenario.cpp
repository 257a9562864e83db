// The what-if scenario and largest-order query documents
// (codec::decode_scenario, codec::decode_order_query): never crash.
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/scenario_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto doc = codec::parse_strict_json(fuzz::as_text(data, size), "/scenario");
  if (!doc.ok()) return 0;
  static_cast<void>(codec::decode_scenario(*doc));
  static_cast<void>(codec::decode_order_query(*doc));
  return 0;
}
