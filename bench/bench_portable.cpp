// A self-timed benchmark harness without Google Benchmark, so that the same
// code runs natively and as WebAssembly in Node (Google Benchmark does not
// build with Emscripten 3.1.6). It times the engine on the accounts of
// fixture.hpp (default), the signed example (--signed=DIR), or a session's
// tick on signed fixtures it makes (--session[=DIR to also write them for
// bench/bench_package.mjs]), and prints one line per case:
//   <case>/<positions>  <nanoseconds per call>  <calls>
// `make bench` runs it on both targets and prints the wasm/native ratio.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "vmargin/options/black76.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/envelope.hpp"
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

// Signed documents for a session over the account of make_fixture(n): the
// parameters with oracle rules for every feed (one source, quorum 1), the
// statement, and `ticks` snapshots, each fresher than the last (a session
// refuses a replay), with one message per feed.
struct SessionFixture {
  std::string trust, params, statement;
  std::vector<std::string> snapshots;
};

SessionFixture make_session_fixture(int n, int ticks) {
  using namespace vmargin::signing;
  using codec::Json;
  const auto key = [](const std::string& name) {
    const Digest d = digest("vmargin bench key: " + name);
    Seed seed{};
    std::copy(d.begin(), d.end(), seed.begin());
    return keypair_from_seed(seed);
  };
  const KeyPair exchange = key("exchange"), oracle = key("oracle");
  const std::string oracle_hex = encode_hex(as_bytes(oracle.public_key));
  const bench::Fixture f = bench::make_fixture(n, false);
  SessionFixture out;
  out.trust =
      codec::canonical_dump(Json{{"keys",
                                  {{"exchange",
                                    {{"public_key", encode_hex(as_bytes(exchange.public_key))},
                                     {"roles", {"parameters", "snapshot", "statement"}}}},
                                   {"oracle", {{"public_key", oracle_hex}, {"roles", {"oracle"}}}}}}});
  Json oracles = Json::object();
  for (const FeedPrice& p : f.prices.feeds) {
    oracles[p.feed] = {{"sources", {oracle_hex}},     {"quorum", 1},
                       {"max_age_ms", 60000},         {"max_future_ms", 1000},
                       {"max_confidence_ratio", "1"}, {"max_deviation_ratio", "1"},
                       {"stable_price_rate", "0.01"}};
  }
  const std::int64_t as_of = f.prices.as_of_ms;
  out.params = encode_envelope(
      sign_envelope(DocumentType::risk_parameters, "exchange",
                    codec::canonical_dump(Json{{"risk_parameters", Json::parse(f.params_json)},
                                               {"valid_from", 0},
                                               {"valid_until", std::int64_t{1} << 62},
                                               {"oracles", oracles}}),
                    exchange.secret_key));
  out.statement = encode_envelope(
      sign_envelope(DocumentType::statement, "exchange",
                    codec::canonical_dump(
                        Json{{"id", "bench"}, {"as_of", as_of}, {"account", Json::parse(f.account_json)}}),
                    exchange.secret_key));
  for (int t = 0; t < ticks; ++t) {
    Json messages = Json::array();
    for (const FeedPrice& p : f.prices.feeds) {
      const Json body = {{"feed", p.feed},
                         {"price", to_string(p.mark)},
                         {"volatility", "0.6"},
                         {"publish_time", as_of + 100 * t},
                         {"sequence", t + 1}};
      messages.push_back(envelope_json(sign_envelope(DocumentType::oracle_price, "oracle",
                                                     codec::canonical_dump(body), oracle.secret_key)));
    }
    out.snapshots.push_back(
        encode_envelope(sign_envelope(DocumentType::snapshot, "exchange",
                                      codec::canonical_dump(Json{{"id", "tick-" + std::to_string(t)},
                                                                 {"as_of", as_of + 100 * t},
                                                                 {"messages", messages},
                                                                 {"previous_stable", Json::object()}}),
                                      exchange.secret_key)));
  }
  return out;
}

// The real-time path: a session holding verified parameters and statement,
// one new signed snapshot per tick (verify, aggregate, evaluate, JSON out).
// With `dir`, also writes the documents for the JS benchmark.
int time_session(std::int64_t min_ns, const std::string& dir) {
  constexpr int ticks = 256;
  for (const int n : {1, 5, 20}) {
    const SessionFixture fx = make_session_fixture(n, ticks);
    if (!dir.empty()) {
      const std::string d = dir + "/n" + std::to_string(n);
      std::filesystem::create_directories(d);
      const bench::Fixture f = bench::make_fixture(n, false);
      const auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(d + "/" + name, std::ios::binary) << text;
      };
      write("trust.json", fx.trust);
      write("risk_parameters.signed", fx.params);
      write("statement.signed", fx.statement);
      for (int t = 0; t < ticks; ++t)
        write("snapshot-" + std::to_string(t) + ".signed", fx.snapshots[static_cast<std::size_t>(t)]);
      write("input.json", "{\"risk_parameters\":" + f.params_json + ",\"prices\":" + f.prices_json +
                              ",\"account\":" + f.account_json + "}");
    }
    std::int64_t calls = 0, elapsed = 0;
    while (elapsed < min_ns) {
      Result<signing::SignedSession> session =
          signing::SignedSession::open(fx.trust, "", fx.params, fx.statement);
      if (!session.ok()) return std::fprintf(stderr, "%s\n", session.error().to_string().c_str()), 1;
      const auto start = Clock::now();
      for (const std::string& snapshot : fx.snapshots) {
        const Result<std::string> r = session->tick(snapshot);
        if (!r.ok()) return std::fprintf(stderr, "%s\n", r.error().to_string().c_str()), 1;
        sink = sink + r->size();
      }
      elapsed += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
      calls += ticks;
    }
    std::printf("session_tick/%d\t%lld\t%lld\n", n, static_cast<long long>(elapsed / calls),
                static_cast<long long>(calls));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t min_ns = 500'000'000;  // 0.5 s per case
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--min-ms=", 9) == 0) min_ns = std::stoll(argv[i] + 9) * 1'000'000;
    if (std::strncmp(argv[i], "--signed=", 9) == 0) return time_signed(argv[i] + 9, min_ns);
    if (std::strcmp(argv[i], "--session") == 0) return time_session(min_ns, "");
    if (std::strncmp(argv[i], "--session=", 10) == 0) return time_session(min_ns, argv[i] + 10);
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
  // One Black-76 pricing with all its Greeks (bench_engine.cpp's
  // BM_Black76AndGreeks: 64 options cycled; issue #11: <= 2.5 us in wasm).
  std::vector<Black76Inputs> options(64);
  const Ratio rate = Ratio::from_raw(fixed_scale / 20);
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto n = static_cast<std::int64_t>(i);
    Black76Inputs& in = options[i];
    in.seconds_to_expiry = 3600 + n * n * 15'400;
    in.volatility = Ratio::from_raw(fixed_scale / 5 + static_cast<i128>(n) * fixed_scale / 35);
    in.forward = Price::from_raw(60'000 * fixed_scale);
    in.strike =
        Price::from_raw(30'000 * fixed_scale + static_cast<i128>((n * 37) % 64) * 1'400 * fixed_scale);
    in.discount = discount_factor(rate, annualise(in.seconds_to_expiry)).value();
  }
  // The 50-option book's full report with both price boundaries
  // (BM_OptionsReport; issue #11: <= 1 ms natively, <= 2.5 ms in wasm).
  const bench::OptionsBook book = bench::options_book();
  const Result<ValidatedParameters> book_params = ValidatedParameters::make(book.params);
  if (!book_params.ok() || !evaluate(*book_params, book.prices, book.account).ok()) {
    std::fprintf(stderr, "options book rejected\n");
    return 1;
  }
  time_case("options_report", 50, min_ns, [&] {
    const Result<AccountReport> r = evaluate(*book_params, book.prices, book.account);
    return r.ok() ? r->option_positions.size() : 0;
  });
  std::size_t next = 0;
  time_case("black76_greeks", 1, min_ns, [&] {
    const std::size_t i = next++ & 63;
    const Result<Black76Prices> prices = black76(options[i]);
    const Result<OptionGreeks> g =
        black76_greeks(options[i], *prices, rate, i % 2 == 0 ? OptionType::call : OptionType::put);
    return g.ok() ? static_cast<std::size_t>(g->gamma.raw() & 1) : 0;
  });
  return 0;
}
