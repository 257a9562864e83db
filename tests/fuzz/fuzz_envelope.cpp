// Signed envelopes (signing::decode_envelope, then verify_envelope against
// the bundled example's trust store): never crash; an envelope that decodes
// is exactly its canonical encoding (docs/formats.md §2: any other byte is a
// rejection).
#include "fuzz_support.hpp"
#include "vmargin/signing/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  static const signing::TrustStore trust = [] {
    auto t = signing::decode_trust_store(fuzz::source_file("examples/signed/trust.json"));
    if (!t.ok()) fuzz::fail("the example trust store does not decode", t.error().message());
    return *std::move(t);
  }();
  const std::string_view text = fuzz::as_text(data, size);
  const auto envelope = signing::decode_envelope(text, "/fuzz");
  if (!envelope.ok()) return 0;
  if (signing::encode_envelope(*envelope) != text)
    fuzz::fail("a decoded envelope is not its canonical bytes");
  static_cast<void>(signing::verify_envelope(*envelope, envelope->type, trust, "/fuzz"));
  return 0;
}
