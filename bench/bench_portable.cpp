// A self-timed benchmark harness without Google Benchmark, so that the same
// code runs natively and as WebAssembly in Node (Google Benchmark does not
// build with Emscripten 3.1.6). It times the engine on the accounts of
// fixture.hpp and prints one line per case:
//   <case>/<positions>  <nanoseconds per call>  <calls>
// `make bench` runs it on both targets and prints the wasm/native ratio.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "fixture.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/signing/signed_inputs.hpp"

namespace {

using namespace vmargin;
using Clock = std::chrono::steady_clock;

volatile std::size_t sink = 0;  // keeps results alive

// Calls `body` in growing batches until `min_ns` have passed; ns per call.
template <typename Body>
void time_case(const char* name, int positions, std::int64_t min_ns, Body body) {
  std::int64_t calls = 0, elapsed = 0, batch = 1;
  while (elapsed < min_ns) {
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < batch; ++i) sink = sink + body();
    elapsed += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    calls += batch;
    if (batch < (std::int64_t{1} << 20)) batch *= 2;
  }
  std::printf("%s/%d\t%lld\t%lld\n", name, positions, static_cast<long long>(elapsed / calls),
              static_cast<long long>(calls));
  std::fflush(stdout);
}

}  // namespace

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The signed example (examples/signed): verifying the three envelopes (nine
// Ed25519 signatures: parameters, snapshot, statement, six oracle messages
// from trusted keys), aggregating the marks, and the evaluation after it.
int time_signed(const std::string& dir, std::int64_t min_ns) {
  const std::string trust_text = read_file(dir + "/trust.json"),
                    params = read_file(dir + "/risk_parameters.signed"),
                    snapshot = read_file(dir + "/snapshot.signed"),
                    statement = read_file(dir + "/statement.signed");
  const Result<signing::TrustStore> trust = signing::decode_trust_store(trust_text);
  if (!trust.ok()) return std::fprintf(stderr, "%s\n", trust.error().to_string().c_str()), 1;
  const signing::AcceptanceState state;
  const Result<signing::VerifiedInputs> check =
      signing::verify_inputs(*trust, state, params, snapshot, statement);
  if (!check.ok()) return std::fprintf(stderr, "%s\n", check.error().to_string().c_str()), 1;
  time_case("verify_signed_inputs", 4, min_ns, [&] {
    const Result<signing::VerifiedInputs> r =
        signing::verify_inputs(*trust, state, params, snapshot, statement);
    return r.ok() ? r->summary().messages.size() : 0;
  });
  time_case("verify_and_evaluate_json", 4, min_ns, [&] {
    const Result<std::string> r =
        signing::verify_and_evaluate_json(trust_text, "", params, snapshot, statement);
    return r.ok() ? r->size() : 0;
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t min_ns = 500'000'000;  // 0.5 s per case
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--min-ms=", 9) == 0) min_ns = std::stoll(argv[i] + 9) * 1'000'000;
    if (std::strncmp(argv[i], "--signed=", 9) == 0) return time_signed(argv[i] + 9, min_ns);
  }
  EvaluationOptions evaluation_only;
  evaluation_only.liquidation_prices = false;
  evaluation_only.liquidation_plans = false;
  for (const int n : {1, 5, 20}) {
    const bench::Fixture f = bench::make_fixture(n, false);
    const bench::Fixture under = bench::make_fixture(n, true);
    const Result<ValidatedParameters> params = ValidatedParameters::make(f.params);
    const Result<ValidatedParameters> params_under = ValidatedParameters::make(under.params);
    if (!params.ok() || !params_under.ok()) {
      std::fprintf(stderr, "fixture rejected\n");
      return 1;
    }
    time_case("full_report", n, min_ns, [&] {
      const Result<AccountReport> r = evaluate(*params, f.prices, f.account);
      return r.ok() ? r->positions.size() : 0;
    });
    time_case("full_report_liquidatable", n, min_ns, [&] {
      const Result<AccountReport> r = evaluate(*params_under, under.prices, under.account);
      return r.ok() ? r->positions.size() : 0;
    });
    time_case("evaluation", n, min_ns, [&] {
      const Result<AccountReport> r = evaluate(*params, f.prices, f.account, evaluation_only);
      return r.ok() ? r->positions.size() : 0;
    });
    time_case("json_pipeline", n, min_ns, [&] {
      const Result<std::string> r = codec::evaluate_json(f.params_json, f.prices_json, f.account_json);
      return r.ok() ? r->size() : 0;
    });
  }
  return 0;
}
