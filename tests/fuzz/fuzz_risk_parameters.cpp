// The risk parameters document: parsed, decoded (codec::decode_risk_parameters)
// and validated (ValidatedParameters::make); never crashes, the decoding is
// deterministic (the same error or the same validity twice).
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto doc = codec::parse_strict_json(fuzz::as_text(data, size), "/risk_parameters");
  if (!doc.ok()) return 0;
  auto params = codec::decode_risk_parameters(*doc);
  if (!params.ok()) return 0;
  const auto first = ValidatedParameters::make(*params);
  const auto second = ValidatedParameters::make(*std::move(params));
  if (first.ok() != second.ok()) fuzz::fail("validation is not deterministic");
  if (!first.ok() && first.error().message() != second.error().message())
    fuzz::fail("validation errors differ", first.error().message());
  return 0;
}
