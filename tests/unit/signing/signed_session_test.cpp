// SignedSession: the real-time path gives the same bytes as the one-shot
// verify_and_evaluate_json, advances its acceptance state only on success
// (so a replayed snapshot is refused) and survives bad ticks unchanged.
#include <string>

#include "support/test_support.hpp"
#include "vmargin/signing/signed_codec.hpp"

using namespace vmargin;
using namespace vmargin::signing;
using vmargin::test::ok_value;

namespace {

test::SignedExample signed_example() { return test::signed_example("vmargin-signed"); }

}  // namespace

TEST_CASE("a session tick is byte-identical to the one-shot verification") {
  const test::SignedExample e = signed_example();
  const std::string one_shot =
      ok_value(verify_and_evaluate_json(e.trust, "", e.params, e.snapshot, e.statement));
  SignedSession session = ok_value(SignedSession::open(e.trust, "", e.params, e.statement));
  CHECK(ok_value(session.tick(e.snapshot)) == one_shot);
  CHECK(session.description().find(R"("version":12)") != std::string::npos);
}

TEST_CASE("a replayed snapshot is refused; a failed tick changes nothing") {
  const test::SignedExample e = signed_example();
  SignedSession session = ok_value(SignedSession::open(e.trust, "", e.params, e.statement));
  const std::string before = session.description();
  const Result<std::string> garbage = session.tick(R"({"not": "an envelope"})");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().path().rfind("/snapshot", 0) == 0);
  CHECK(session.description() == before);

  REQUIRE(session.tick(e.snapshot).ok());
  const std::string after_first = session.description();
  CHECK(after_first != before);  // the used sources' sequences are now remembered
  const Result<std::string> replay = session.tick(e.snapshot);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.error().code() == ErrorCode::quorum_not_met);
  CHECK(session.description() == after_first);
}

TEST_CASE("opening a session checks every document it is given") {
  const test::SignedExample e = signed_example();
  CHECK(SignedSession::open("{}", "", e.params, e.statement).error().path() == "/trust/keys");
  CHECK(SignedSession::open(e.trust, "", e.statement, e.statement).error().code() ==
        ErrorCode::wrong_document_type);
  CHECK(SignedSession::open(e.trust, "", e.params, e.params).error().path() == "/statement/type");
  CHECK(SignedSession::open(e.trust, "[]", e.params, e.statement).error().path() == "/state");
}
