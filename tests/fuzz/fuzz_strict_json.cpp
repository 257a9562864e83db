// Strict JSON (codec::parse_strict_json): never crashes; a parsed document's
// canonical bytes parse again to the same canonical bytes.
#include "fuzz_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto doc = codec::parse_strict_json(fuzz::as_text(data, size), "/fuzz");
  if (!doc.ok()) return 0;
  const std::string canonical = codec::canonical_dump(*doc);
  const auto again = codec::parse_strict_json(canonical);
  if (!again.ok()) fuzz::fail("canonical bytes of a parsed document do not parse", canonical);
  if (codec::canonical_dump(*again) != canonical)
    fuzz::fail("canonical bytes are not a fixed point", canonical);
  return 0;
}
