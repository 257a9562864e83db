// The prices document (market state): parsed and decoded
// (codec::decode_market_state); never crashes.
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto doc = codec::parse_strict_json(fuzz::as_text(data, size), "/prices");
  if (!doc.ok()) return 0;
  static_cast<void>(codec::decode_market_state(*doc));
  return 0;
}
