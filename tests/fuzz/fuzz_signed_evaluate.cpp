// The signed path (signing::verify_and_evaluate_json, as `vmargin eval
// --trust --state --params --snapshot --statement`): the trust store, the
// state, and the three envelopes as five texts separated by NUL bytes. Never
// crashes; a result is the same bytes when run twice.
#include "fuzz_support.hpp"
#include "vmargin/signing/signed_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto p = fuzz::split(fuzz::as_text(data, size), 5);
  const auto first = signing::verify_and_evaluate_json(p[0], p[1], p[2], p[3], p[4]);
  if (!first.ok()) return 0;
  const auto second = signing::verify_and_evaluate_json(p[0], p[1], p[2], p[3], p[4]);
  if (!second.ok() || *second != *first) fuzz::fail("signed evaluation is not deterministic", *first);
  return 0;
}
