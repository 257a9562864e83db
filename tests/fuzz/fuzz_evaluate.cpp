// The full evaluation of the combined document {"risk_parameters", "prices",
// "account", "scenario"?} (codec::evaluate_json, as `vmargin eval --input`):
// never crashes; a report, or the error, is the same bytes when run twice;
// and every liquidation and bankruptcy price it reports is a price at which
// the account can be valued and is safe (spec §7.1, issue 18 defect 6).
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/strict_json.hpp"
#include "vmargin/margin/health.hpp"

namespace {

using namespace vmargin;

const PoolReport& pool_of(const AccountReport& r, const PositionReport& p) {
  if (!p.isolated) return r.cross;
  for (const IsolatedPoolReport& i : r.isolated) {
    if (i.market == p.market) return i.pool;
  }
  return r.cross;
}

// The market of a report's position key (a hedge leg's names its side, spec §3.3).
std::string market_of(const codec::EvaluationInput& in, const std::string& key) {
  if (in.account.position_mode == PositionMode::hedge) {
    if (const std::optional<KeyedLeg> leg = leg_of_key(key)) return std::string(leg->market);
  }
  return key;
}

// Evaluates the account with the position's feed at `price` (pools only)
// and fails unless it can be valued there and the pool is safe.
void check_price(const codec::EvaluationInput& in, const PositionReport& p, Price price, bool bankruptcy) {
  const std::string& feed = in.risk_parameters.find_market(market_of(in, p.market))->feed;
  for (const OptionExpiry& e : in.prices.option_expiries) {
    if (e.feed == feed) return;  // forwards move with the index: the property tests cover options
  }
  MarketState moved = in.prices;
  for (FeedPrice& f : moved.feeds) {
    if (f.feed == feed) f.mark = price;
  }
  EvaluationOptions figures_only;
  figures_only.liquidation_prices = false;
  figures_only.liquidation_plans = false;
  const Result<AccountReport> at = evaluate(in.risk_parameters, moved, in.account, figures_only);
  const std::string what =
      (bankruptcy ? "bankruptcy price " : "liquidation price ") + to_string(price) + " of " + p.market;
  if (!at.ok())
    fuzz::fail("eval cannot value the account at a reported price", what + ": " + at.error().to_string());
  for (const PositionReport& q : at->positions) {
    if (q.market != p.market) continue;
    const PoolReport& pool = pool_of(*at, q);
    const bool unsafe = bankruptcy ? is_bankrupt(pool.equity, pool.maintenance_margin)
                                   : pool.equity < pool.maintenance_margin;
    if (unsafe) fuzz::fail("the pool is unsafe at a reported price", what);
  }
}

void check_boundaries(std::string_view text) {
  const Result<codec::Json> doc = codec::parse_strict_json(text);
  if (!doc.ok() || doc->contains("scenario")) return;  // a scenario moves prices first
  const Result<codec::EvaluationInput> in = codec::decode_evaluation_input(*doc);
  if (!in.ok()) return;
  const Result<codec::Evaluation> e = codec::evaluate_input(*in);
  if (!e.ok()) return;
  for (const PositionReport& p : e->report.positions) {
    if (p.liquidation_price) check_price(*in, p, *p.liquidation_price, false);
    if (p.bankruptcy_price) check_price(*in, p, *p.bankruptcy_price, true);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto first = codec::evaluate_json(text);
  const auto second = codec::evaluate_json(text);
  const std::string a = first.ok() ? *first : codec::canonical_dump(codec::encode_error(first.error()));
  const std::string b = second.ok() ? *second : codec::canonical_dump(codec::encode_error(second.error()));
  if (a != b) fuzz::fail("evaluation is not deterministic", a + "\n" + b);
  if (first.ok()) check_boundaries(text);
  return 0;
}
