// Builds the bundled signed example (examples/signed/) deterministically:
// the example exchange's risk parameters with oracle rules, a snapshot bundle
// of messages from three oracle sources per feed, and the account statement,
// all signed with keys derived from fixed seeds. Run by `make fixtures`;
// `make test` checks that the committed files are exactly what it writes.
//
// Usage: vmargin_fixtures EXCHANGE_DIR OUT_DIR
//   EXCHANGE_DIR  examples/exchange (risk_parameters.json, account.json)
//   OUT_DIR       where trust.json, keys/, *.signed and the oracle messages go
//
// The seeds are public: these keys sign example data and nothing else.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/envelope.hpp"

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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: vmargin_fixtures EXCHANGE_DIR OUT_DIR\n");
    return 2;
  }
  const fs::path in = argv[1], out = argv[2];
  const Json params = Json::parse(read(in / "risk_parameters.json"));
  const Json account = Json::parse(read(in / "account.json"));

  const KeyPair governance = example_key("governance"), exchange = example_key("exchange");
  const KeyPair oracle_a = example_key("oracle-a"), oracle_b = example_key("oracle-b"),
                oracle_c = example_key("oracle-c"), outsider = example_key("outsider");

  // The verifier's trust store: who may sign what.
  Json keys = Json::object();
  keys["governance"] = {{"public_key", hex(governance.public_key)}, {"roles", {"parameters"}}};
  keys["exchange"] = {{"public_key", hex(exchange.public_key)}, {"roles", {"snapshot", "statement"}}};
  keys["oracle-a"] = {{"public_key", hex(oracle_a.public_key)}, {"roles", {"oracle"}}};
  keys["oracle-b"] = {{"public_key", hex(oracle_b.public_key)}, {"roles", {"oracle"}}};
  keys["oracle-c"] = {{"public_key", hex(oracle_c.public_key)}, {"roles", {"oracle"}}};
  write(out / "trust.json", Json{{"keys", keys}}.dump(2) + "\n");

  // Risk parameters with oracle rules, valid for December 2026.
  const Json sources = {hex(oracle_a.public_key), hex(oracle_b.public_key), hex(oracle_c.public_key)};
  const Json rules = {{"sources", sources},
                      {"quorum", 2},
                      {"max_age_ms", 10000},
                      {"max_future_ms", 2000},
                      {"max_confidence_ratio", "0.005"},
                      {"max_deviation_ratio", "0.1"},
                      {"stable_price_rate", "0.005"}};
  const Json oracles = {{"BTC-USD", rules}, {"ETH-USD", rules}};
  const std::string params_payload = codec::canonical_dump(Json{{"risk_parameters", params},
                                                                {"valid_from", 1795132800000},   // 2026-11-20
                                                                {"valid_until", 1798761600000},  // 2027-01-01
                                                                {"oracles", oracles}});
  write(out / "risk_parameters.signed",
        encode_envelope(sign_envelope(DocumentType::risk_parameters, "governance", params_payload,
                                      governance.secret_key)));

  // Oracle messages: three sources per feed; one ETH message is stale and
  // one comes from a key the verifier does not trust, so the bundle shows
  // both outcomes.
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
      {"oracle-a", &oracle_a, "BTC-USD", "61000", "12.5", "0.72", 800, 90211},
      {"oracle-b", &oracle_b, "BTC-USD", "61012.5", "20", "0.73", 400, 55102},
      {"oracle-c", &oracle_c, "BTC-USD", "60990", "15", "0.71", 1200, 77310},
      {"oracle-a", &oracle_a, "ETH-USD", "3000", "1.5", "0.5", 700, 90212},
      {"oracle-b", &oracle_b, "ETH-USD", "3001.25", "2", nullptr, 300, 55103},
      {"oracle-c", &oracle_c, "ETH-USD", "2999", "1", "0.49", 25000, 77290},
      {"oracle-x", &outsider, "ETH-USD", "2500", nullptr, nullptr, 100, 1},
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
  return 0;
}
