// Builds the bundled signed example (examples/signed/) deterministically:
// the example exchange's risk parameters with oracle rules, a snapshot bundle
// of messages from three oracle sources per feed, and the account statement,
// all signed with keys derived from fixed seeds. Run by `make fixtures`;
// `make test` checks that the committed files are exactly what it writes.
//
// Usage: vmargin_fixtures EXCHANGE_DIR OUT_DIR [--stream N STREAM_DIR]
//        vmargin_fixtures --options OPTIONS_DIR OUT_DIR
//   EXCHANGE_DIR  examples/exchange (risk_parameters.json, account.json)
//   --options     examples/signed-options from examples/options (risk
//                 parameters, prices, account): the same trust store and
//                 price messages, option data rules, and each option
//                 expiry of prices.json signed by the three sources
//   OUT_DIR       where trust.json and *.signed go
//   --stream      also N more snapshots after the example's, 200 ms apart,
//                 prices on a deterministic random walk, each verified
//                 against the state the previous ones left (the web page's
//                 live feed: STREAM_DIR/snapshot-NNNN.signed, index.json)
//
// The seeds are public: these keys sign example data and nothing else.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/envelope.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/signing/signed_inputs.hpp"

namespace {

using namespace vmargin;
using namespace vmargin::signing;
using codec::Json;
namespace fs = std::filesystem;

constexpr std::int64_t as_of = 1795521600000;  // 2026-11-24T12:00:00Z

KeyPair example_key(const std::string& name) {
  const Digest d = digest("vmargin example key: " + name);
  Seed seed{};
  std::copy(d.begin(), d.end(), seed.begin());
  return keypair_from_seed(seed);
}

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  if (!f.good() && !f.eof()) throw std::runtime_error("cannot read " + p.string());
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f.good()) throw std::runtime_error("cannot write " + p.string());
}

std::string hex(const PublicKey& k) { return encode_hex(as_bytes(k)); }

// The example's keys, from public seeds.
struct Keys {
  KeyPair governance = example_key("governance"), exchange = example_key("exchange");
  KeyPair oracle_a = example_key("oracle-a"), oracle_b = example_key("oracle-b"),
          oracle_c = example_key("oracle-c");
  KeyPair outsider = example_key("outsider");
};

constexpr std::int64_t valid_from = 1795132800000;   // 2026-11-20
constexpr std::int64_t valid_until = 1798761600000;  // 2027-01-01

// The verifier's trust store: who may sign what.
Json trust_json(const Keys& k) {
  Json keys = Json::object();
  keys["governance"] = {{"public_key", hex(k.governance.public_key)}, {"roles", {"parameters"}}};
  keys["exchange"] = {{"public_key", hex(k.exchange.public_key)}, {"roles", {"snapshot", "statement"}}};
  keys["oracle-a"] = {{"public_key", hex(k.oracle_a.public_key)}, {"roles", {"oracle"}}};
  keys["oracle-b"] = {{"public_key", hex(k.oracle_b.public_key)}, {"roles", {"oracle"}}};
  keys["oracle-c"] = {{"public_key", hex(k.oracle_c.public_key)}, {"roles", {"oracle"}}};
  return Json{{"keys", keys}};
}

Json oracle_sources(const Keys& k) {
  return {hex(k.oracle_a.public_key), hex(k.oracle_b.public_key), hex(k.oracle_c.public_key)};
}

Json oracle_rules(const Keys& k) {
  const Json rules = {{"sources", oracle_sources(k)},
                      {"quorum", 2},
                      {"max_age_ms", 10000},
                      {"max_future_ms", 2000},
                      {"max_confidence_ratio", "0.005"},
                      {"max_deviation_ratio", "0.1"},
                      {"stable_price_rate", "0.005"}};
  return {{"BTC-USD", rules}, {"ETH-USD", rules}};
}

// Oracle messages: three sources per feed; one ETH message is stale and
// one comes from a key the verifier does not trust, so the bundle shows
// both outcomes.
Json price_messages(const Keys& k) {
  struct Msg {
    const char* key_id;
    const KeyPair* key;
    const char* feed;
    const char* price;
    const char* confidence;
    const char* volatility;
    std::int64_t age_ms;
    std::uint64_t sequence;
  };
  const Msg msgs[] = {
      {"oracle-a", &k.oracle_a, "BTC-USD", "61000", "12.5", "0.72", 800, 90211},
      {"oracle-b", &k.oracle_b, "BTC-USD", "61012.5", "20", "0.73", 400, 55102},
      {"oracle-c", &k.oracle_c, "BTC-USD", "60990", "15", "0.71", 1200, 77310},
      {"oracle-a", &k.oracle_a, "ETH-USD", "3000", "1.5", "0.5", 700, 90212},
      {"oracle-b", &k.oracle_b, "ETH-USD", "3001.25", "2", nullptr, 300, 55103},
      {"oracle-c", &k.oracle_c, "ETH-USD", "2999", "1", "0.49", 25000, 77290},
      {"oracle-x", &k.outsider, "ETH-USD", "2500", nullptr, nullptr, 100, 1},
  };
  Json messages = Json::array();
  for (const Msg& m : msgs) {
    Json body{
        {"feed", m.feed}, {"price", m.price}, {"publish_time", as_of - m.age_ms}, {"sequence", m.sequence}};
    if (m.confidence) body["confidence"] = m.confidence;
    if (m.volatility) body["volatility"] = m.volatility;
    messages.push_back(envelope_json(
        sign_envelope(DocumentType::oracle_price, m.key_id, codec::canonical_dump(body), m.key->secret_key)));
  }
  return messages;
}

const Json previous_stable = {{"BTC-USD", "60500"}, {"ETH-USD", "3010"}};

// Each option expiry of prices.json, signed by the three sources (1.5 s
// old), in ascending (feed, expiry) order, then source order.
Json option_messages(const Keys& k, const Json& expiries) {
  const std::pair<const char*, const KeyPair*> sources[] = {
      {"oracle-a", &k.oracle_a}, {"oracle-b", &k.oracle_b}, {"oracle-c", &k.oracle_c}};
  const std::uint64_t sequences[] = {5100, 7200, 3300};
  std::vector<std::pair<std::string, std::int64_t>> keys;
  for (const auto& [feed, by_expiry] : expiries.items()) {
    for (const auto& [expiry, data] : by_expiry.items()) keys.emplace_back(feed, std::stoll(expiry));
  }
  std::sort(keys.begin(), keys.end());
  Json messages = Json::array();
  for (const auto& [feed, expiry] : keys) {
    for (std::size_t s = 0; s < 3; ++s) {
      Json body = expiries[feed][std::to_string(expiry)];
      body["feed"] = feed;
      body["expiry"] = expiry;
      body["publish_time"] = as_of - 1500;
      body["sequence"] = sequences[s];
      messages.push_back(
          envelope_json(sign_envelope(DocumentType::option_expiry, sources[s].first,
                                      codec::canonical_dump(body), sources[s].second->secret_key)));
    }
  }
  return messages;
}

}  // namespace

int write_options_example(const fs::path& in, const fs::path& out) {
  const Keys k;
  const Json params = Json::parse(read(in / "risk_parameters.json"));
  const Json prices = Json::parse(read(in / "prices.json"));
  const Json account = Json::parse(read(in / "account.json"));
  write(out / "trust.json", trust_json(k).dump(2) + "\n");
  const Json option_rules = {{"sources", oracle_sources(k)},
                             {"quorum", 2},
                             {"max_age_ms", 60000},
                             {"max_future_ms", 2000},
                             {"max_confidence", "0.02"}};
  const std::string params_payload =
      codec::canonical_dump(Json{{"risk_parameters", params},
                                 {"valid_from", valid_from},
                                 {"valid_until", valid_until},
                                 {"oracles", oracle_rules(k)},
                                 {"option_data", {{"BTC-USD", option_rules}, {"ETH-USD", option_rules}}}});
  write(out / "risk_parameters.signed",
        encode_envelope(sign_envelope(DocumentType::risk_parameters, "governance", params_payload,
                                      k.governance.secret_key)));
  const std::string snapshot_payload =
      codec::canonical_dump(Json{{"id", "snap-options-2026-11-24T12:00:00Z"},
                                 {"as_of", as_of},
                                 {"messages", price_messages(k)},
                                 {"option_messages", option_messages(k, prices.at("option_expiries"))},
                                 {"previous_stable", previous_stable}});
  write(out / "snapshot.signed", encode_envelope(sign_envelope(DocumentType::snapshot, "exchange",
                                                               snapshot_payload, k.exchange.secret_key)));
  const std::string statement_payload = codec::canonical_dump(
      Json{{"id", "stmt-acct-opt-1-000042"}, {"as_of", as_of - 5000}, {"account", account}});
  write(out / "statement.signed", encode_envelope(sign_envelope(DocumentType::statement, "exchange",
                                                                statement_payload, k.exchange.secret_key)));
  std::printf("wrote %s: trust.json, risk_parameters.signed, snapshot.signed, statement.signed\n",
              out.string().c_str());
  return 0;
}

// splitmix64: the stream's deterministic randomness.
struct Random {
  std::uint64_t state;
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + static_cast<std::int64_t>(z % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

// `count` snapshots after the example's: BTC-USD and ETH-USD walk by up to
// 0.15% a step (in basis points of a tenth), each source quotes the walk
// within a few ticks, and every snapshot's previous stable prices are the
// stable prices the verifier derived from the one before.
int write_stream(const fs::path& out, const fs::path& stream_dir, int count, int crash,
                 const std::vector<std::pair<std::string, const KeyPair*>>& sources,
                 const KeyPair& exchange) {
  const auto trust = decode_trust_store(read(out / "trust.json"));
  AcceptanceState state;
  const auto params = verify_parameters(*trust, state, read(out / "risk_parameters.signed"));
  if (!params.ok()) throw std::runtime_error(params.error().to_string());
  auto first = verify_snapshot(*trust, *params, state, read(out / "snapshot.signed"));
  if (!first.ok()) throw std::runtime_error(first.error().to_string());
  state = next_state(state, *params, *first);
  std::vector<std::pair<std::string, Price>> stable;  // per feed, from the last snapshot
  for (const FeedOutcome& f : first->feeds()) stable.emplace_back(f.feed, f.stable);
  // The walk, in units of the feed's quote step (BTC 0.5, ETH 0.01).
  struct Walk {
    std::string feed;
    std::int64_t level, step_hundredths;  // price = level x step
  };
  std::vector<Walk> walks = {{"BTC-USD", 122000, 50}, {"ETH-USD", 300000, 1}};  // 61000 in 0.5, 3000 in 0.01
  Random rng{20261124};
  Json index = Json::array();
  fs::create_directories(stream_dir);
  for (int k = 0; k < count; ++k) {
    const std::int64_t at = as_of + 200 * (k + 1);
    Json messages = Json::array();
    for (Walk& w : walks) {
      w.level += w.level * rng.between(-15, 15) / 10000;
      // --crash K: from snapshot K, five steps of -2 % (as fast as the oracle
      // rules let a price move away from its stable price: 10 %).
      if (crash >= 0 && k >= crash && k < crash + 5) w.level -= w.level * 2 / 100;
      for (std::size_t s = 0; s < sources.size(); ++s) {
        const std::int64_t quote = w.level + rng.between(-2, 2);
        const Price price =
            Price::from_raw(static_cast<i128>(quote) * w.step_hundredths * (fixed_scale / 100));
        const Json body = {{"feed", w.feed},
                           {"price", vmargin::to_string(price)},
                           {"confidence", vmargin::to_string(Price::from_raw(price.raw() / 1000))},
                           {"volatility", w.feed == "BTC-USD" ? "0.72" : "0.5"},
                           {"publish_time", at - rng.between(0, 150)},
                           {"sequence", 100000 + k}};
        messages.push_back(
            envelope_json(sign_envelope(DocumentType::oracle_price, sources[s].first,
                                        codec::canonical_dump(body), sources[s].second->secret_key)));
      }
    }
    Json previous = Json::object();
    for (const auto& [feed, price] : stable) previous[feed] = vmargin::to_string(price);
    char id[64];
    std::snprintf(id, sizeof id, "snap-stream-%04d", k);
    const std::string text = encode_envelope(
        sign_envelope(DocumentType::snapshot, "exchange",
                      codec::canonical_dump(Json{
                          {"id", id}, {"as_of", at}, {"messages", messages}, {"previous_stable", previous}}),
                      exchange.secret_key));
    auto verified = verify_snapshot(*trust, *params, state, text);
    if (!verified.ok()) throw std::runtime_error(std::string(id) + ": " + verified.error().to_string());
    state = next_state(state, *params, *verified);
    stable.clear();
    for (const FeedOutcome& f : verified->feeds()) stable.emplace_back(f.feed, f.stable);
    char name[64];
    std::snprintf(name, sizeof name, "snapshot-%04d.signed", k);
    write(stream_dir / name, text);
    index.push_back(name);
  }
  write(stream_dir / "index.json", index.dump() + "\n");
  std::printf("wrote %d stream snapshots to %s\n", count, stream_dir.string().c_str());
  return 0;
}

int write_options_example(const fs::path& in, const fs::path& out);

// Each account line signed by the exchange as a statement dated as the
// example's (for vmargin watch --trust at scale: the demo's live run).
int write_statements(const fs::path& accounts, const fs::path& out) {
  const Keys k;
  std::ifstream in(accounts);
  std::ofstream file(out, std::ios::binary);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    const Json account = Json::parse(line);
    const std::string payload =
        codec::canonical_dump(Json{{"id", "stmt-" + account.at("id").get<std::string>()},
                                   {"as_of", as_of - 5000},
                                   {"account", account}});
    file << encode_envelope(
                sign_envelope(DocumentType::statement, "exchange", payload, k.exchange.secret_key))
         << "\n";
    ++n;
  }
  if (!file) throw std::runtime_error("cannot write " + out.string());
  std::printf("signed %zu statements into %s\n", n, out.string().c_str());
  return 0;
}

int main(int argc, char** argv) try {
  if (argc == 4 && std::string(argv[1]) == "--options") return write_options_example(argv[2], argv[3]);
  if (argc == 4 && std::string(argv[1]) == "--statements") return write_statements(argv[2], argv[3]);
  const bool crash = argc == 8 && std::string(argv[6]) == "--crash";
  if (argc != 3 && !((argc == 6 || crash) && std::string(argv[3]) == "--stream")) {
    std::fprintf(stderr,
                 "usage: vmargin_fixtures EXCHANGE_DIR OUT_DIR [--stream N STREAM_DIR [--crash K]]\n"
                 "       vmargin_fixtures --options OPTIONS_DIR OUT_DIR\n"
                 "       vmargin_fixtures --statements ACCOUNTS.jsonl STATEMENTS.jsonl\n");
    return 2;
  }
  const fs::path in = argv[1], out = argv[2];
  const Json params = Json::parse(read(in / "risk_parameters.json"));
  const Json account = Json::parse(read(in / "account.json"));

  const Keys k;
  const KeyPair &governance = k.governance, &exchange = k.exchange;
  const KeyPair &oracle_a = k.oracle_a, &oracle_b = k.oracle_b, &oracle_c = k.oracle_c;
  write(out / "trust.json", trust_json(k).dump(2) + "\n");

  // Risk parameters with oracle rules, valid for December 2026.
  const std::string params_payload = codec::canonical_dump(Json{{"risk_parameters", params},
                                                                {"valid_from", valid_from},
                                                                {"valid_until", valid_until},
                                                                {"oracles", oracle_rules(k)}});
  write(out / "risk_parameters.signed",
        encode_envelope(sign_envelope(DocumentType::risk_parameters, "governance", params_payload,
                                      governance.secret_key)));
  const Json messages = price_messages(k);
  const std::string snapshot_payload =
      codec::canonical_dump(Json{{"id", "snap-2026-11-24T12:00:00Z"},
                                 {"as_of", as_of},
                                 {"messages", messages},
                                 {"previous_stable", {{"BTC-USD", "60500"}, {"ETH-USD", "3010"}}}});
  write(out / "snapshot.signed", encode_envelope(sign_envelope(DocumentType::snapshot, "exchange",
                                                               snapshot_payload, exchange.secret_key)));

  const std::string statement_payload = codec::canonical_dump(
      Json{{"id", "stmt-acct-7-000311"}, {"as_of", as_of - 5000}, {"account", account}});
  write(out / "statement.signed", encode_envelope(sign_envelope(DocumentType::statement, "exchange",
                                                                statement_payload, exchange.secret_key)));
  std::printf("wrote %s: trust.json, risk_parameters.signed, snapshot.signed, statement.signed\n",
              out.string().c_str());
  if (argc >= 6) {
    return write_stream(out, argv[5], std::stoi(argv[4]), crash ? std::stoi(argv[7]) : -1,
                        {{"oracle-a", &oracle_a}, {"oracle-b", &oracle_b}, {"oracle-c", &oracle_c}},
                        exchange);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "vmargin_fixtures: %s\n", e.what());
  return 1;
}
