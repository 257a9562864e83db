// The account document: parsed and decoded (codec::decode_account); never crashes.
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto doc = codec::parse_strict_json(fuzz::as_text(data, size), "/account");
  if (!doc.ok()) return 0;
  static_cast<void>(codec::decode_account(*doc));
  return 0;
}
