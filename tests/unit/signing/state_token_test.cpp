// The acceptance-state token (signing/state_token.hpp): a state the engine
// wrote round-trips; a token modified, cut short or rebuilt, and a state
// that is empty or not in canonical form, are refused at /state.
#include "vmargin/signing/state_token.hpp"

#include <string>

#include "support/test_support.hpp"
#include "vmargin/codec/strict_json.hpp"
#include "vmargin/signing/signed_codec.hpp"

using namespace vmargin;
using namespace vmargin::signing;
using vmargin::test::ok_value;

namespace {

// The state the signed example leaves: canonical JSON, as --save-state writes it.
std::string example_state() {
  const test::SignedExample e = test::signed_example("vmargin-signed");
  const std::string result =
      ok_value(verify_and_evaluate_json(e.trust, "", e.params, e.snapshot, e.statement));
  const codec::Json doc = ok_value(codec::parse_strict_json(result));
  return doc["state"].dump();
}

void check_refused(const Result<std::string>& r, ErrorCode code) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == code);
  CHECK(r.error().path() == "/state");
}

}  // namespace

TEST_CASE("a state round-trips through its token; the CLI's file with its newline too") {
  const std::string state = example_state();
  const std::string token = ok_value(seal_state(state));
  CHECK(token.rfind("vmargin-state/1:", 0) == 0);
  CHECK(token.size() == 16 + 64 + 1 + state.size());
  CHECK(ok_value(unseal_state(token)) == state);
  CHECK(ok_value(seal_state(state + "\n")) == token);
}

TEST_CASE("a modified, cut or foreign token is bad_encoding; a bad state is refused") {
  const std::string state = example_state();
  const std::string token = ok_value(seal_state(state));
  check_refused(unseal_state(token.substr(0, token.size() - 1)), ErrorCode::bad_encoding);
  check_refused(unseal_state("vmargin-state/2:" + token.substr(16)), ErrorCode::bad_encoding);
  std::string flipped = token;
  flipped[20] = flipped[20] == 'a' ? 'b' : 'a';
  check_refused(unseal_state(flipped), ErrorCode::bad_encoding);
  check_refused(unseal_state(state), ErrorCode::bad_encoding);
  check_refused(unseal_state(""), ErrorCode::bad_encoding);
  check_refused(seal_state(""), ErrorCode::malformed_json);
  check_refused(seal_state(" " + state), ErrorCode::non_canonical);
  check_refused(seal_state("[]"), ErrorCode::wrong_type);
}
