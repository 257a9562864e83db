// The acceptance state file (signing::decode_acceptance_state, `--state`):
// never crashes; a decoded state's canonical encoding decodes to the same
// encoding.
#include "fuzz_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto state = signing::decode_acceptance_state(fuzz::as_text(data, size));
  if (!state.ok()) return 0;
  const std::string canonical = codec::canonical_dump(signing::encode_acceptance_state(*state));
  const auto again = signing::decode_acceptance_state(canonical);
  if (!again.ok()) fuzz::fail("an encoded state does not decode", again.error().message() + "\n" + canonical);
  if (codec::canonical_dump(signing::encode_acceptance_state(*again)) != canonical)
    fuzz::fail("an encoded state does not decode to itself", canonical);
  return 0;
}
