// The full evaluation of the combined document {"risk_parameters", "prices",
// "account", "scenario"?} (codec::evaluate_json, as `vmargin eval --input`):
// never crashes; a report, or the error, is the same bytes when run twice.
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const std::string_view text = fuzz::as_text(data, size);
  const auto first = codec::evaluate_json(text);
  const auto second = codec::evaluate_json(text);
  const std::string a = first.ok() ? *first : codec::canonical_dump(codec::encode_error(first.error()));
  const std::string b = second.ok() ? *second : codec::canonical_dump(codec::encode_error(second.error()));
  if (a != b) fuzz::fail("evaluation is not deterministic", a + "\n" + b);
  return 0;
}
