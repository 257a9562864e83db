// The trust store document (signing::decode_trust_store): never crashes;
// every key it holds is found by its id.
#include "fuzz_support.hpp"
#include "vmargin/signing/trust_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmargin;
  const auto trust = signing::decode_trust_store(fuzz::as_text(data, size));
  if (!trust.ok()) return 0;
  for (const signing::TrustedKey& key : trust->keys()) {
    if (trust->find(key.id) != &key) fuzz::fail("a trusted key is not found by its id", key.id);
  }
  return 0;
}
