// The signed options example (examples/signed-options, docs/formats.md
// §5.1, §6.2): the option market data the snapshot's sources agree on is
// exactly examples/options/prices.json's, so the signed report equals the
// plain evaluation of examples/options at the marks the quorum derived; a
// session refuses the replayed option messages; the state keeps each
// (source, feed, expiry) stream and reads back to the same bytes.
#include <string>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"

using namespace vmargin;
using namespace vmargin::signing;
using vmargin::test::ok_value;

namespace {

std::string options_file(const char* name) {
  const auto dir = test::option("vmargin-options");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-options=DIR (examples/options)");
  const auto text = test::read_text_file(*dir + "/" + name);
  REQUIRE_MESSAGE(text.has_value(), "cannot read " << name);
  return *text;
}

}  // namespace

TEST_CASE("signed options: the agreed surfaces are the plain prices', and the reports are equal") {
  const test::SignedExample e = test::signed_example("vmargin-signed-options");
  const SignedEvaluation signed_eval =
      ok_value(verify_and_evaluate(e.trust, "", e.params, e.snapshot, e.statement));
  const MarketState& verified = signed_eval.inputs.prices();
  REQUIRE(verified.option_expiries.size() == 3);
  CHECK(signed_eval.inputs.summary().has_option_messages);
  for (const ExpiryOutcome& x : signed_eval.inputs.summary().option_expiries) CHECK(x.sources_used == 3);

  // The plain prices document at the verified marks and stable prices.
  MarketState plain =
      ok_value(codec::decode_market_state(codec::parse_strict_json(options_file("prices.json")).value()));
  REQUIRE(plain.option_expiries.size() == verified.option_expiries.size());
  for (std::size_t i = 0; i < plain.option_expiries.size(); ++i) {
    const OptionExpiry& p = plain.option_expiries[i];
    const OptionExpiry& v = verified.option_expiries[i];
    CHECK(p.feed == v.feed);
    CHECK(p.expiry_ms == v.expiry_ms);
    CHECK(p.forward == v.forward);
    CHECK(p.rate == v.rate);
    CHECK(p.settlement_price == v.settlement_price);
    CHECK(p.svi.a == v.svi.a);
    CHECK(p.svi.rho == v.svi.rho);
    CHECK(p.svi.tau == v.svi.tau);
  }
  plain.feeds = verified.feeds;
  codec::EvaluationInput input;
  input.risk_parameters = ok_value(
      codec::decode_risk_parameters(codec::parse_strict_json(options_file("risk_parameters.json")).value()));
  input.prices = std::move(plain);
  input.account =
      ok_value(codec::decode_account(codec::parse_strict_json(options_file("account.json")).value()));
  const codec::Evaluation unsigned_eval = ok_value(codec::evaluate_input(std::move(input)));
  CHECK(codec::report_text(signed_eval.report, signed_eval.inputs.parameters().get()) ==
        codec::report_text(unsigned_eval));
}

TEST_CASE("signed options: a session refuses replayed option messages; the state reads back") {
  const test::SignedExample e = test::signed_example("vmargin-signed-options");
  SignedSession session = ok_value(SignedSession::open(e.trust, "", e.params, e.statement));
  const std::string first = ok_value(session.tick(e.snapshot));
  const std::string described = session.description();
  CHECK(described.find(R"("option_sources")") != std::string::npos);
  const Result<std::string> replay = session.tick(e.snapshot);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.error().code() == ErrorCode::quorum_not_met);
  CHECK(session.description() == described);

  // The state it saved, read back: the same bytes; without option_sources: none.
  const std::size_t at = first.find(R"(,"state":)");
  const std::size_t end = first.find(R"(,"verification":)");
  REQUIRE(at != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string state_text = first.substr(at + 9, end - at - 9);
  const AcceptanceState state = ok_value(decode_acceptance_state(state_text));
  CHECK(state.option_sources.size() == 9);
  CHECK(codec::canonical_dump(encode_acceptance_state(state)) == state_text);
  const AcceptanceState old = ok_value(decode_acceptance_state(R"({"sources":{}})"));
  CHECK(old.option_sources.empty());
  CHECK(codec::canonical_dump(encode_acceptance_state(old)) == R"({"sources":{}})");
}
