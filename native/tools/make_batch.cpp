// Builds a batch for bulk verification: the example exchange widened with
// 20 altcoin perpetuals (so an account can hold up to 24 positions), its
// prices, N accounts with 1-20 positions each, and the "exchange's" published
// reports for them, a small fraction tampered (one field each) and optionally
// some lines broken. What was tampered is written beside them, so tests can
// check that `vmargin verify` finds exactly that. Deterministic from --seed.
//
// Usage: vmargin_batch --exchange DIR --out DIR --accounts N [--seed S]
//                      [--tamper PER_MILLION] [--bad-lines K]
//                      [--min-positions A] [--max-positions B] [--alt-markets K (0-20, default 20)]
// Writes risk_parameters.json, prices.json, accounts.jsonl, published.jsonl
// and expected.jsonl ({"line", "path"} per tampered field, {"line", "source"}
// per broken line) into the out directory.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace {

using namespace vmargin;
using codec::Json;
namespace fs = std::filesystem;

// splitmix64: a tiny, well-mixed deterministic generator (same stream everywhere).
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  if (!f.good() && !f.eof()) throw std::runtime_error("cannot read " + p.string());
  return s.str();
}

i128 raw_of(const Json& decimal) {
  const Result<i128> r = parse_decimal_raw(decimal.get<std::string>());
  if (!r.ok()) throw std::runtime_error(r.error().to_string());
  return *r;
}
std::string text_of(i128 raw) { return to_string(Price::from_raw(raw)); }

void leaves(const Json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, child] : v.items()) leaves(child, path + "/" + k, out);
  } else if (!v.is_array()) {
    out.push_back(path);
  }
}

Json tampered(const Json& v, Random& rng) {
  if (v.is_string()) {
    // A decimal moved by one unit in its last digit, or a word changed.
    std::string s = v.get<std::string>();
    const char last = s.back();
    if (last >= '0' && last <= '8') {
      s.back() = static_cast<char>(last + 1);
    } else if (last == '9') {
      s += "1";
    } else {
      s += "x";
    }
    return s;
  }
  if (v.is_number_integer()) return v.get<std::int64_t>() + 1 + static_cast<std::int64_t>(rng.next() % 3);
  if (v.is_boolean()) return !v.get<bool>();
  return "0";  // null
}

struct Options {
  fs::path exchange, out;
  std::uint64_t accounts = 1000, seed = 1, tamper_per_million = 1000, bad_lines = 0;
  int min_positions = 1, max_positions = 20;
  int alt_markets = 20;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--exchange")
      o.exchange = v;
    else if (k == "--out")
      o.out = v;
    else if (k == "--accounts")
      o.accounts = std::stoull(v);
    else if (k == "--seed")
      o.seed = std::stoull(v);
    else if (k == "--tamper")
      o.tamper_per_million = std::stoull(v);
    else if (k == "--bad-lines")
      o.bad_lines = std::stoull(v);
    else if (k == "--min-positions")
      o.min_positions = std::stoi(v);
    else if (k == "--max-positions")
      o.max_positions = std::stoi(v);
    else if (k == "--alt-markets")
      o.alt_markets = std::stoi(v);
    else
      throw std::runtime_error("unknown option " + k);
  }
  if (argc % 2 == 0 || o.exchange.empty() || o.out.empty())
    throw std::runtime_error("--exchange and --out are required");
  if (o.alt_markets < 0 || o.alt_markets > 20) throw std::runtime_error("--alt-markets is 0 to 20");
  if (o.min_positions < 1 || o.max_positions < o.min_positions || o.max_positions > 4 + o.alt_markets)
    throw std::runtime_error("positions must satisfy 1 <= min <= max <= 4 + alt markets");
  return o;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  Json params = Json::parse(read(o.exchange / "risk_parameters.json"));
  Json prices = Json::parse(read(o.exchange / "prices.json"));
  // 20 altcoin perpetuals (--alt-markets) beside the example's markets, priced 1.7 to 72 USDC.
  for (int i = 1; i <= o.alt_markets; ++i) {
    char id[24], feed[24];  // room for any int: the compiler cannot see i <= 20
    std::snprintf(id, sizeof id, "ALT%02d-PERP", i);
    std::snprintf(feed, sizeof feed, "ALT%02d-USD", i);
    Json m = params["markets"]["ETH-PERP"];
    m["feed"] = feed;
    m["tick_size"] = "0.0001";
    m["lot_size"] = "1";
    params["markets"][id] = m;
    const i128 mark = static_cast<i128>(17 + 37 * (i - 1)) * fixed_scale / 10;
    prices["feeds"][feed] = {{"mark", text_of(mark)}, {"stable", text_of(mark * 101 / 100)}};
  }
  struct MarketInfo {
    std::string id;
    i128 mark, tick, lot;
    bool inverse;
  };
  std::vector<MarketInfo> markets;
  for (const auto& [id, m] : params["markets"].items()) {
    markets.push_back(MarketInfo{id, raw_of(prices["feeds"][m["feed"].get<std::string>()]["mark"]),
                                 raw_of(m["tick_size"]), raw_of(m["lot_size"]),
                                 m["kind"] == "inverse_perpetual"});
  }
  const Result<RiskParameters> risk = codec::decode_risk_parameters(params);
  const Result<MarketState> market = codec::decode_market_state(prices);
  if (!risk.ok() || !market.ok()) throw std::runtime_error("the widened exchange does not decode");
  const Result<ValidatedParameters> validated = ValidatedParameters::make(*risk);
  if (!validated.ok()) throw std::runtime_error(validated.error().to_string());

  fs::create_directories(o.out);
  std::ofstream(o.out / "risk_parameters.json", std::ios::binary) << params.dump(2) << "\n";
  std::ofstream(o.out / "prices.json", std::ios::binary) << prices.dump(2) << "\n";
  std::ofstream accounts(o.out / "accounts.jsonl", std::ios::binary);
  std::ofstream published(o.out / "published.jsonl", std::ios::binary);
  std::ofstream expected(o.out / "expected.jsonl", std::ios::binary);

  Random rng{o.seed};
  // Which lines are broken: spread evenly, alternating accounts and published.
  const std::uint64_t bad_every =
      o.bad_lines == 0 ? 0 : std::max<std::uint64_t>(o.accounts / (o.bad_lines + 1), 1);
  std::uint64_t tampered_count = 0, broken = 0;
  for (std::uint64_t line = 1; line <= o.accounts; ++line) {
    const int n = static_cast<int>(rng.between(o.min_positions, o.max_positions));
    // n distinct markets: a partial Fisher-Yates shuffle.
    std::vector<std::size_t> order(markets.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    Json positions = Json::object();
    i128 notional = 0;
    for (int k = 0; k < n; ++k) {
      const std::size_t j =
          static_cast<std::size_t>(k) + rng.next() % (order.size() - static_cast<std::size_t>(k));
      std::swap(order[static_cast<std::size_t>(k)], order[j]);
      const MarketInfo& m = markets[order[static_cast<std::size_t>(k)]];
      const i128 lots = rng.between(1, 400) * (m.inverse ? 25 : 1);
      i128 quantity = lots * m.lot;
      if (m.id.rfind("ALT", 0) == 0) quantity *= 50;
      if (rng.next() % 2 == 0) quantity = -quantity;
      const i128 entry = m.mark * rng.between(900, 1100) / 1000 / m.tick * m.tick;
      Json p = {{"quantity", text_of(quantity)}, {"entry_price", text_of(entry)}};
      if (m.inverse && rng.next() % 2 == 0)
        p["isolated_margin"] = text_of(rng.between(5, 50) * fixed_scale / 100);
      if (rng.next() % 4 == 0) p["pending_funding"] = text_of(rng.between(-5000, 5000) * fixed_scale / 100);
      positions[m.id] = p;
      // |quantity| x mark in units: lots are small enough that this fits.
      const i128 q = quantity < 0 ? -quantity : quantity;
      notional += m.inverse ? q * 100 : q / fixed_scale * m.mark + (q % fixed_scale) * (m.mark / fixed_scale);
    }
    // Collateral from 2% to 60% of the notional: most accounts healthy, some not.
    const i128 usdc = std::max<i128>(notional / fixed_scale * rng.between(2, 60) / 100, 100) * fixed_scale;
    Json collateral = {{"USDC", text_of(usdc)}};
    if (rng.next() % 3 == 0) collateral["BTC"] = text_of(rng.between(1, 300) * fixed_scale / 100);
    if (rng.next() % 4 == 0) collateral["ETH"] = text_of(rng.between(-500, 2000) * fixed_scale / 100);
    char id[32];
    std::snprintf(id, sizeof id, "acct-%08llu", static_cast<unsigned long long>(line));
    const Json account = {{"id", id}, {"collateral", collateral}, {"positions", positions}};
    const Result<Account> decoded = codec::decode_account(account);
    if (!decoded.ok()) throw std::runtime_error(decoded.error().to_string());
    const Result<AccountReport> report = evaluate(*validated, *market, *decoded);
    if (!report.ok()) throw std::runtime_error(std::string(id) + ": " + report.error().to_string());
    Json result = codec::encode_report(*report, *risk);

    std::string account_line = codec::canonical_dump(account);
    if (bad_every != 0 && line % bad_every == 0 && broken < o.bad_lines) {
      const bool account_side = broken % 2 == 0;
      ++broken;
      expected << codec::canonical_dump(
                      Json{{"line", line}, {"source", account_side ? "accounts" : "published"}})
               << "\n";
      std::string published_line = codec::canonical_dump(result);
      (account_side ? account_line : published_line)
          .resize((account_side ? account_line : published_line).size() / 2);
      accounts << account_line << "\n";
      published << published_line << "\n";
      continue;
    }
    if (rng.next() % 1'000'000 < o.tamper_per_million) {
      std::vector<std::string> paths;
      leaves(result, "", paths);
      const std::string& path = paths[rng.next() % paths.size()];
      const Json::json_pointer ptr(path);
      result[ptr] = tampered(result[ptr], rng);
      expected << codec::canonical_dump(Json{{"line", line}, {"path", path}}) << "\n";
      ++tampered_count;
    }
    accounts << account_line << "\n";
    published << codec::canonical_dump(result) << "\n";
  }
  if (!accounts || !published || !expected) throw std::runtime_error("cannot write to " + o.out.string());
  std::printf("wrote %llu accounts to %s: %llu published reports tampered, %llu lines broken\n",
              static_cast<unsigned long long>(o.accounts), o.out.string().c_str(),
              static_cast<unsigned long long>(tampered_count), static_cast<unsigned long long>(broken));
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "vmargin_batch: %s\n", e.what());
  return 2;
}
