#include "vmargin/codec/model_codec.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/tier_table.hpp"

namespace vmargin::codec {
namespace {

Result<MarketKind> decode_market_kind(const std::string& text, const std::string& path) {
  for (const MarketKind k : {MarketKind::linear_perpetual, MarketKind::inverse_perpetual,
                             MarketKind::linear_future, MarketKind::inverse_future}) {
    if (text == market_kind_name(k)) return k;
  }
  return Error(ErrorCode::invalid_value,
               "unknown market kind \"" + text +
                   "\"; expected linear_perpetual, inverse_perpetual, linear_future or inverse_future",
               path);
}

// A tier as published: either amount may be left out, then derived.
struct PublishedTier {
  Tier tier;
  bool initial_amount_given = false;
  bool maintenance_amount_given = false;
};

Result<PublishedTier> decode_tier(const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a tier"));
  PublishedTier p;
  Tier& t = p.tier;
  VMARGIN_TRY(t.max_notional, r.nullable_decimal<Money>("max_notional"));
  VMARGIN_TRY(t.initial_rate, r.decimal<Ratio>("initial_rate"));
  VMARGIN_TRY(t.maintenance_rate, r.decimal<Ratio>("maintenance_rate"));
  VMARGIN_TRY(const std::optional<Money> initial_amount, r.optional_decimal<Money>("initial_amount"));
  VMARGIN_TRY(const std::optional<Money> maintenance_amount, r.optional_decimal<Money>("maintenance_amount"));
  VMARGIN_CHECK(r.finish());
  p.initial_amount_given = initial_amount.has_value();
  p.maintenance_amount_given = maintenance_amount.has_value();
  t.initial_amount = initial_amount.value_or(Money::zero());
  t.maintenance_amount = maintenance_amount.value_or(Money::zero());
  return p;
}

// Amounts left out are derived by continuity, tier by tier (docs/spec.md
// §3.1 "Tables as published"). Without the previous cap there is nothing to
// derive from: the amount stays 0 and validation reports the missing cap,
// which it checks first.
Status derive_left_out_amounts(std::vector<Tier>& tiers, std::size_t k, const PublishedTier& published,
                               const std::string& market_id, const std::string& path) {
  if (k == 0 || !tiers[k - 1].max_notional) return Ok{};
  const Tier& prev = tiers[k - 1];
  Tier& t = tiers[k];
  struct Left {
    bool given;
    Money& amount;
    Money prev_amount;
    Ratio rate, prev_rate;
    const char* field;
  };
  const Left amounts[] = {
      {published.maintenance_amount_given, t.maintenance_amount, prev.maintenance_amount, t.maintenance_rate,
       prev.maintenance_rate, "maintenance_amount"},
      {published.initial_amount_given, t.initial_amount, prev.initial_amount, t.initial_rate,
       prev.initial_rate, "initial_amount"},
  };
  for (const Left& a : amounts) {
    if (a.given) continue;
    const std::optional<Money> derived =
        continuous_amount(a.prev_amount, *prev.max_notional, a.prev_rate, a.rate);
    if (!derived) {
      return Error(ErrorCode::invalid_value,
                   "tier " + std::to_string(k + 1) + " of " + market_id + " leaves out its " + a.field +
                       ", and continuity gives " + to_string(a.prev_amount) + " + " +
                       to_string(*prev.max_notional) + " x (" + to_string(a.rate) + " - " +
                       to_string(a.prev_rate) + "), not representable with 18 decimals",
                   path + "/" + std::to_string(k) + "/" + a.field);
    }
    a.amount = *derived;
  }
  return Ok{};
}

Result<std::vector<Tier>> decode_tiers(const Json& value, const std::string& market_id,
                                       const std::string& path) {
  if (!value.is_array()) {
    return Error(ErrorCode::wrong_type, "\"tiers\" must be a JSON array, found " + describe_json_value(value),
                 path);
  }
  std::vector<Tier> tiers;
  for (std::size_t k = 0; k < value.size(); ++k) {
    VMARGIN_TRY(const PublishedTier published, decode_tier(value[k], path + "/" + std::to_string(k)));
    tiers.push_back(published.tier);
    VMARGIN_CHECK(derive_left_out_amounts(tiers, k, published, market_id, path));
  }
  return tiers;
}

Result<Market> decode_market(const std::string& id, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a market"));
  Market m;
  m.id = id;
  VMARGIN_TRY(const std::string kind, r.string("kind"));
  VMARGIN_TRY(m.kind, decode_market_kind(kind, r.path_of("kind")));
  VMARGIN_TRY(m.feed, r.string("feed"));
  VMARGIN_TRY(m.settlement_asset, r.string("settlement_asset"));
  if (is_inverse(m.kind)) {
    VMARGIN_TRY(m.contract_size, r.decimal<Money>("contract_size"));
  } else {
    VMARGIN_CHECK(r.forbid("contract_size", "only applies to inverse markets"));
  }
  VMARGIN_TRY(m.tick_size, r.decimal<Price>("tick_size"));
  VMARGIN_TRY(m.lot_size, r.decimal<Quantity>("lot_size"));
  if (is_future(m.kind)) {
    VMARGIN_TRY(m.expiry_ms, r.timestamp("expiry"));
  } else {
    VMARGIN_CHECK(r.forbid("expiry", "only applies to dated futures"));
  }
  VMARGIN_TRY(const Json* tiers, r.require("tiers"));
  VMARGIN_TRY(m.tiers, decode_tiers(*tiers, m.id, r.path_of("tiers")));
  VMARGIN_TRY(m.size_premium_factor, r.decimal<Ratio>("size_premium_factor"));
  VMARGIN_TRY(m.liquidation_fee_rate, r.decimal<Ratio>("liquidation_fee_rate"));
  if (const Json* oi = r.find("open_interest_scaling")) {
    VMARGIN_TRY(ObjectReader s,
                ObjectReader::open(*oi, r.path_of("open_interest_scaling"), "the open interest scaling"));
    OpenInterestScaling scaling;
    VMARGIN_TRY(scaling.lower_cap, s.decimal<Money>("lower_cap"));
    VMARGIN_TRY(scaling.upper_cap, s.decimal<Money>("upper_cap"));
    VMARGIN_CHECK(s.finish());
    m.open_interest_scaling = scaling;
  }
  VMARGIN_TRY(m.initial_profit_weight, r.optional_decimal<Ratio>("initial_profit_weight"));
  VMARGIN_TRY(m.profit_size_factor, r.optional_decimal<Ratio>("profit_size_factor"));
  VMARGIN_TRY(m.maintenance_profit_weight, r.optional_decimal<Ratio>("maintenance_profit_weight"));
  VMARGIN_CHECK(r.finish());
  return m;
}

Result<CollateralAsset> decode_asset(const std::string& id, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a collateral asset"));
  CollateralAsset a;
  a.id = id;
  VMARGIN_TRY(a.feed, r.nullable_string("feed"));
  VMARGIN_TRY(a.initial_weight, r.decimal<Ratio>("initial_weight"));
  VMARGIN_TRY(a.maintenance_weight, r.decimal<Ratio>("maintenance_weight"));
  VMARGIN_TRY(a.initial_liability_weight, r.decimal<Ratio>("initial_liability_weight"));
  VMARGIN_TRY(a.maintenance_liability_weight, r.decimal<Ratio>("maintenance_liability_weight"));
  VMARGIN_TRY(a.size_factor, r.decimal<Ratio>("size_factor"));
  VMARGIN_TRY(a.volatility_haircut, r.decimal<Ratio>("volatility_haircut"));
  VMARGIN_TRY(a.deposit_weight_scale_start, r.optional_decimal<Money>("deposit_weight_scale_start"));
  VMARGIN_CHECK(r.finish());
  return a;
}

Result<FeedRisk> decode_feed_risk(const std::string& id, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a feed's risk parameters"));
  FeedRisk f;
  f.feed = id;
  VMARGIN_TRY(f.volatility_reference, r.decimal<Ratio>("volatility_reference"));
  VMARGIN_TRY(f.max_volatility_multiplier, r.decimal<Ratio>("max_volatility_multiplier"));
  VMARGIN_CHECK(r.finish());
  return f;
}

// Decodes every member of the object field `key` with `decode(id, value, path)`.
template <class T, class Decode>
Status decode_map(ObjectReader& r, std::string_view key, std::vector<T>& out, Decode decode,
                  std::string (*path_of)(std::string_view)) {
  VMARGIN_TRY(const Json* map, r.require(key));
  VMARGIN_CHECK(expect_object(*map, r.path_of(key), "\"" + std::string(key) + "\""));
  for (const auto& [id, value] : map->items()) {
    VMARGIN_TRY(T item, decode(id, value, path_of(id)));
    out.push_back(std::move(item));
  }
  return Ok{};
}

Result<OptionMarginRates> decode_margin_rates(ObjectReader& r) {
  OptionMarginRates m;
  VMARGIN_TRY(m.max_spot_rate, r.decimal<Ratio>("max_spot_rate"));
  VMARGIN_TRY(m.min_spot_rate, r.decimal<Ratio>("min_spot_rate"));
  VMARGIN_TRY(m.call_maintenance_rate, r.decimal<Ratio>("call_maintenance_rate"));
  VMARGIN_TRY(m.put_maintenance_rate, r.decimal<Ratio>("put_maintenance_rate"));
  VMARGIN_TRY(m.put_maintenance_mark_rate, r.decimal<Ratio>("put_maintenance_mark_rate"));
  VMARGIN_TRY(m.put_initial_floor, r.decimal<Ratio>("put_initial_floor"));
  VMARGIN_TRY(m.unpaired_initial_scale, r.decimal<Ratio>("unpaired_initial_scale"));
  VMARGIN_TRY(m.unpaired_maintenance_scale, r.decimal<Ratio>("unpaired_maintenance_scale"));
  return m;
}

Result<OptionRules> decode_option_rules(const std::string& feed, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "option rules"));
  OptionRules o;
  o.feed = feed;
  VMARGIN_TRY(o.margin, decode_margin_rates(r));
  VMARGIN_TRY(o.long_value_weight, r.decimal<Ratio>("long_value_weight"));
  VMARGIN_TRY(o.index_tick_size, r.decimal<Price>("index_tick_size"));
  VMARGIN_CHECK(r.finish());
  return o;
}

Result<OptionMarket> decode_option_market(const std::string& id, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "an option market"));
  OptionMarket m;
  m.id = id;
  VMARGIN_TRY(m.feed, r.string("feed"));
  VMARGIN_TRY(m.settlement_asset, r.string("settlement_asset"));
  VMARGIN_TRY(const std::string type, r.string("type"));
  if (type == "call") {
    m.type = OptionType::call;
  } else if (type == "put") {
    m.type = OptionType::put;
  } else {
    return Error(ErrorCode::invalid_value, "unknown option type \"" + type + "\"; expected call or put",
                 r.path_of("type"));
  }
  VMARGIN_TRY(const std::string settlement, r.string("margining"));
  if (settlement == "inverse") {
    m.inverse = true;
  } else if (settlement != "linear") {
    return Error(ErrorCode::invalid_value,
                 "unknown margining \"" + settlement + "\"; expected linear or inverse",
                 r.path_of("margining"));
  }
  VMARGIN_TRY(m.expiry_ms, r.timestamp("expiry"));
  VMARGIN_TRY(m.strike, r.decimal<Price>("strike"));
  VMARGIN_TRY(m.lot_size, r.decimal<Quantity>("lot_size"));
  VMARGIN_CHECK(r.finish());
  return m;
}

Result<PortfolioMarginParameters> decode_portfolio_margin(const std::string& feed, const Json& value,
                                                          const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "portfolio margin parameters"));
  PortfolioMarginParameters p;
  p.feed = feed;
  VMARGIN_TRY(p.price_range, r.decimal<Ratio>("price_range"));
  VMARGIN_TRY(p.buckets, r.unsigned_integer("buckets"));
  VMARGIN_TRY(p.volatility_range_up, r.decimal<Ratio>("volatility_range_up"));
  VMARGIN_TRY(p.volatility_range_down, r.decimal<Ratio>("volatility_range_down"));
  VMARGIN_TRY(p.short_term_power, r.decimal<Ratio>("short_term_power"));
  VMARGIN_TRY(p.long_term_power, r.decimal<Ratio>("long_term_power"));
  VMARGIN_TRY(p.min_volatility_up, r.decimal<Ratio>("min_volatility_up"));
  VMARGIN_TRY(p.mm_factor, r.decimal<Ratio>("mm_factor"));
  VMARGIN_TRY(p.im_factor, r.decimal<Ratio>("im_factor"));
  VMARGIN_TRY(p.option_contingency_rate, r.decimal<Ratio>("option_contingency_rate"));
  VMARGIN_TRY(p.future_contingency_rate, r.decimal<Ratio>("future_contingency_rate"));
  VMARGIN_TRY(p.collateral_offsets, r.boolean("collateral_offsets"));
  VMARGIN_CHECK(r.finish());
  return p;
}

// An expiry time written as a JSON object key: the canonical decimal
// integer of milliseconds (no sign, no leading zero, fits 63 bits).
Result<std::int64_t> decode_expiry_key(const std::string& key, const std::string& path) {
  const bool digits = !key.empty() && key.size() <= 18 &&
                      std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (key.size() > 1 && key[0] == '0')) {
    return Error(
        ErrorCode::invalid_value,
        "option expiry keys are times in milliseconds, written as canonical decimal integers; found \"" +
            key + "\"",
        path);
  }
  std::int64_t v = 0;
  for (const char c : key) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Result<SviParameters> decode_svi(const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader s, ObjectReader::open(value, path, "an SVI smile"));
  SviParameters svi;
  VMARGIN_TRY(svi.a, s.decimal<Ratio>("a"));
  VMARGIN_TRY(svi.b, s.decimal<Ratio>("b"));
  VMARGIN_TRY(svi.rho, s.decimal<Ratio>("rho"));
  VMARGIN_TRY(svi.m, s.decimal<Ratio>("m"));
  VMARGIN_TRY(svi.sigma, s.decimal<Ratio>("sigma"));
  VMARGIN_TRY(svi.forward, s.decimal<Price>("forward"));
  VMARGIN_TRY(svi.tau, s.decimal<Ratio>("tau"));
  VMARGIN_CHECK(s.finish());
  return svi;
}

namespace {

Result<OptionExpiry> decode_option_expiry(const std::string& feed, std::int64_t expiry_ms, const Json& value,
                                          const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "an option expiry"));
  OptionExpiry e;
  e.feed = feed;
  e.expiry_ms = expiry_ms;
  VMARGIN_TRY(e.forward, r.decimal<Price>("forward"));
  VMARGIN_TRY(e.rate, r.decimal<Ratio>("rate"));
  VMARGIN_TRY(e.settlement_price, r.optional_decimal<Price>("settlement_price"));
  VMARGIN_TRY(const Json* svi, r.require("svi"));
  VMARGIN_TRY(e.svi, decode_svi(*svi, r.path_of("svi")));
  VMARGIN_CHECK(r.finish());
  return e;
}

Result<Position> decode_position(const std::string& market, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a position"));
  Position p;
  p.market = market;
  VMARGIN_TRY(p.quantity, r.decimal<Quantity>("quantity"));
  VMARGIN_TRY(p.entry_price, r.decimal<Price>("entry_price"));
  VMARGIN_TRY(const std::optional<Money> funding, r.optional_decimal<Money>("pending_funding"));
  p.pending_funding = funding.value_or(Money::zero());
  VMARGIN_TRY(p.isolated_margin, r.optional_decimal<Money>("isolated_margin"));
  VMARGIN_CHECK(r.finish());
  return p;
}

Result<OpenOrder> decode_open_order(const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "an open order"));
  OpenOrder o;
  VMARGIN_TRY(o.market, r.string("market"));
  VMARGIN_TRY(const std::string side, r.string("side"));
  if (side != "buy" && side != "sell") {
    return Error(ErrorCode::invalid_value, "unknown order side \"" + side + "\"; expected buy or sell",
                 r.path_of("side"));
  }
  o.buy = side == "buy";
  VMARGIN_TRY(o.quantity, r.decimal<Quantity>("quantity"));
  VMARGIN_TRY(o.price, r.decimal<Price>("price"));
  if (r.find("reduce_only") != nullptr) {
    VMARGIN_TRY(o.reduce_only, r.boolean("reduce_only"));
  }
  VMARGIN_CHECK(r.finish());
  return o;
}

Status decode_open_orders(ObjectReader& r, Account& account) {
  const Json* orders = r.find("open_orders");
  if (orders == nullptr) return Ok{};
  if (!orders->is_array()) {
    return Error(ErrorCode::wrong_type,
                 "\"open_orders\" must be a JSON array, found " + describe_json_value(*orders),
                 r.path_of("open_orders"));
  }
  for (std::size_t i = 0; i < orders->size(); ++i) {
    VMARGIN_TRY(OpenOrder o, decode_open_order((*orders)[i], input_path::open_order(i)));
    account.open_orders.push_back(std::move(o));
  }
  return Ok{};
}

}  // namespace

Result<RiskParameters> decode_risk_parameters(const Json& doc) {
  const std::string root(input_path::risk_parameters);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the risk parameters"));
  RiskParameters params;
  VMARGIN_TRY(params.version, r.unsigned_integer("version"));
  VMARGIN_TRY(params.margin_call_ratio, r.decimal<Ratio>("margin_call_ratio"));
  VMARGIN_TRY(params.liquidation_buffer_ratio, r.decimal<Ratio>("liquidation_buffer_ratio"));
  VMARGIN_CHECK(decode_map(r, "assets", params.assets, decode_asset, input_path::asset));
  VMARGIN_CHECK(decode_map(r, "feeds", params.feeds, decode_feed_risk, input_path::feed_risk));
  VMARGIN_CHECK(decode_map(r, "markets", params.markets, decode_market, input_path::market));
  // Options (docs/formats.md §2.5): both maps optional, absent in v1 documents.
  if (r.find("option_rules") != nullptr) {
    VMARGIN_CHECK(
        decode_map(r, "option_rules", params.option_rules, decode_option_rules, input_path::option_rules));
  }
  if (r.find("option_markets") != nullptr) {
    VMARGIN_CHECK(decode_map(r, "option_markets", params.option_markets, decode_option_market,
                             input_path::option_market));
  }
  if (r.find("portfolio_margin") != nullptr) {  // docs/spec.md §14.1
    VMARGIN_CHECK(decode_map(r, "portfolio_margin", params.portfolio_margin, decode_portfolio_margin,
                             input_path::portfolio_margin));
  }
  VMARGIN_CHECK(r.finish());
  return params;
}

Status decode_market_totals(ObjectReader& r, MarketState& state) {
  if (const Json* oi = r.find("open_interest")) {
    VMARGIN_CHECK(expect_object(*oi, r.path_of("open_interest"), "\"open_interest\""));
    for (const auto& [market, value] : oi->items()) {
      VMARGIN_TRY(const Quantity size, ObjectReader::decimal_value<Quantity>(
                                           value, input_path::child(r.path_of("open_interest"), market)));
      state.open_interest.push_back(OpenInterest{market, size});
    }
  }
  if (const Json* deposits = r.find("total_deposits")) {
    VMARGIN_CHECK(expect_object(*deposits, r.path_of("total_deposits"), "\"total_deposits\""));
    for (const auto& [asset, value] : deposits->items()) {
      VMARGIN_TRY(const Money amount, ObjectReader::decimal_value<Money>(
                                          value, input_path::child(r.path_of("total_deposits"), asset)));
      state.total_deposits.push_back(TotalDeposits{asset, amount});
    }
  }
  return Ok{};
}

Result<MarketState> decode_market_state(const Json& doc) {
  const std::string root(input_path::prices);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the prices"));
  MarketState state;
  VMARGIN_TRY(state.as_of_ms, r.timestamp("as_of"));
  VMARGIN_TRY(const Json* feeds, r.require("feeds"));
  VMARGIN_CHECK(expect_object(*feeds, r.path_of("feeds"), "\"feeds\""));
  for (const auto& [feed, value] : feeds->items()) {
    VMARGIN_TRY(ObjectReader pr, ObjectReader::open(value, input_path::feed_price(feed), "a feed price"));
    FeedPrice fp;
    fp.feed = feed;
    VMARGIN_TRY(fp.mark, pr.decimal<Price>("mark"));
    VMARGIN_TRY(fp.stable, pr.optional_decimal<Price>("stable"));
    VMARGIN_TRY(fp.volatility, pr.optional_decimal<Ratio>("volatility"));
    VMARGIN_CHECK(pr.finish());
    state.feeds.push_back(std::move(fp));
  }
  if (const Json* expiries = r.find("option_expiries")) {
    VMARGIN_CHECK(expect_object(*expiries, r.path_of("option_expiries"), "\"option_expiries\""));
    for (const auto& [feed, by_time] : expiries->items()) {
      const std::string feed_path = input_path::child(r.path_of("option_expiries"), feed);
      VMARGIN_CHECK(expect_object(by_time, feed_path, "the expiries of " + feed));
      const std::size_t first = state.option_expiries.size();
      for (const auto& [key, value] : by_time.items()) {
        const std::string path = input_path::child(feed_path, key);
        VMARGIN_TRY(const std::int64_t expiry, decode_expiry_key(key, path));
        VMARGIN_TRY(OptionExpiry e, decode_option_expiry(feed, expiry, value, path));
        state.option_expiries.push_back(std::move(e));
      }
      // Keys arrive in text order; the model orders expiries by time.
      std::sort(state.option_expiries.begin() + static_cast<std::ptrdiff_t>(first),
                state.option_expiries.end(),
                [](const OptionExpiry& a, const OptionExpiry& b) { return a.expiry_ms < b.expiry_ms; });
    }
  }
  VMARGIN_CHECK(decode_market_totals(r, state));
  VMARGIN_CHECK(r.finish());
  return state;
}

// An optional member with two values: whether it is present and `on`
// (absent or `off`: false; anything else: invalid_value naming both).
Result<bool> optional_switch(ObjectReader& r, const char* key, const char* what, const char* off,
                             const char* on) {
  if (r.find(key) == nullptr) return false;
  VMARGIN_TRY(const std::string value, r.string(key));
  if (value == on) return true;
  if (value == off) return false;
  return Error(ErrorCode::invalid_value,
               std::string("unknown ") + what + " \"" + value + "\"; expected " + off + " or " + on,
               r.path_of(key));
}

Result<Account> decode_account(const Json& doc) {
  const std::string root(input_path::account);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the account"));
  Account account;
  VMARGIN_TRY(account.id, r.string("id"));
  // docs/spec.md §14.1 and §3.3: standard and one_way when absent.
  VMARGIN_TRY(const bool portfolio,
              optional_switch(r, "margin_mode", "margin mode", "standard", "portfolio"));
  if (portfolio) account.margin_mode = MarginMode::portfolio;
  VMARGIN_TRY(const bool hedge, optional_switch(r, "position_mode", "position mode", "one_way", "hedge"));
  if (hedge) account.position_mode = PositionMode::hedge;
  VMARGIN_TRY(const Json* collateral, r.require("collateral"));
  VMARGIN_CHECK(expect_object(*collateral, r.path_of("collateral"), "\"collateral\""));
  for (const auto& [asset, value] : collateral->items()) {
    VMARGIN_TRY(const Money amount, ObjectReader::decimal_value<Money>(value, input_path::collateral(asset)));
    account.collateral.push_back(CollateralBalance{asset, amount});
  }
  VMARGIN_CHECK(decode_map(r, "positions", account.positions, decode_position, input_path::position));
  if (account.position_mode == PositionMode::hedge) {
    // Hedge legs are keyed "<market>:long" / "<market>:short".
    for (Position& p : account.positions) {
      if (const std::optional<KeyedLeg> leg = leg_of_key(p.market)) {
        p.leg = leg->leg;
        p.market = std::string(leg->market);
      }
    }
  }
  VMARGIN_CHECK(decode_open_orders(r, account));
  VMARGIN_CHECK(r.finish());
  return account;
}

Result<EvaluationInput> decode_evaluation_input(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "the evaluation input"));
  EvaluationInput in;
  VMARGIN_TRY(const Json* params, r.require("risk_parameters"));
  VMARGIN_TRY(in.risk_parameters, decode_risk_parameters(*params));
  VMARGIN_TRY(const Json* prices, r.require("prices"));
  VMARGIN_TRY(in.prices, decode_market_state(*prices));
  VMARGIN_TRY(const Json* account, r.require("account"));
  VMARGIN_TRY(in.account, decode_account(*account));
  if (const Json* scenario = r.find("scenario")) {
    VMARGIN_TRY(in.scenario, decode_scenario(*scenario));
  }
  VMARGIN_CHECK(r.finish());
  return in;
}

namespace {

// The report is written straight to canonical text (the hot path of every
// evaluation: a JSON tree of a 20-position report costs more than computing
// it). An object's members are collected, then sorted by key bytewise and
// joined, so member order never depends on how this code lists them.
class ObjectText {
 public:
  ObjectText() { members_.reserve(20); }

  // `key` must outlive the call to text(): literals and the report's ids.
  ObjectText& add(std::string_view key, std::string value_json) {
    members_.emplace_back(key, std::move(value_json));
    return *this;
  }
  // Decimals are ASCII digits, '-' and '.': quoting needs no escapes.
  ObjectText& add_decimal(std::string_view key, const auto& value) {
    std::string text = to_string(value);
    text.insert(text.begin(), '"');
    text += '"';
    return add(key, std::move(text));
  }
  ObjectText& add_optional_decimal(std::string_view key, const auto& value) {
    return value ? add_decimal(key, *value) : add(key, "null");
  }
  ObjectText& add_string(std::string_view key, std::string_view value) {
    std::string text;
    append_quoted(text, value);
    return add(key, std::move(text));
  }

  [[nodiscard]] std::string text() {
    std::sort(members_.begin(), members_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t size = 2;
    for (const auto& [key, value] : members_) size += key.size() + value.size() + 4;
    std::string out;
    out.reserve(size);
    out += '{';
    for (std::size_t i = 0; i < members_.size(); ++i) {
      if (i != 0) out += ',';
      append_quoted(out, members_[i].first);
      out += ':';
      out += members_[i].second;
    }
    out += '}';
    return out;
  }

  // A JSON string as canonical_dump writes it: the two-character escapes,
  // \u00XX for other control characters, UTF-8 as is (strings come from the
  // strict parser, so they are valid UTF-8).
  static void append_quoted(std::string& out, std::string_view s) {
    out += '"';
    const auto plain = [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return c >= 0x20 && c != '"' && c != '\\';
    };
    if (std::all_of(s.begin(), s.end(), plain)) {
      out += s;
      out += '"';
      return;
    }
    constexpr std::string_view hex = "0123456789abcdef";
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += ch;
          }
      }
    }
    out += '"';
  }

 private:
  std::vector<std::pair<std::string_view, std::string>> members_;
};

std::string plan_text(const LiquidationPlan& plan) {
  std::string steps = "[";
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const LiquidationStep& s = plan.steps[i];
    if (i != 0) steps += ',';
    steps += ObjectText()
                 .add_decimal("fee", s.fee)
                 .add_string("market", s.market)
                 .add_decimal("reduce_by", s.reduce_by)
                 .add_decimal("remaining", s.remaining)
                 .text();
  }
  steps += ']';
  return ObjectText()
      .add_decimal("equity_after", plan.equity_after)
      .add_decimal("maintenance_margin_after", plan.maintenance_margin_after)
      .add("restores", plan.restores ? "true" : "false")
      .add("steps", std::move(steps))
      .add_decimal("target", plan.target)
      .text();
}

std::string pool_text(const PoolReport& p, bool with_options = false) {
  ObjectText extra;
  ObjectText& o = extra;
  if (with_options) {
    o.add("liquidation_plan_unavailable", p.liquidation_plan_unavailable ? "true" : "false");
    o.add_decimal("option_value", p.option_value);
    ObjectText boundaries;
    for (const PriceBoundaries& b : p.price_boundaries) {
      boundaries.add(b.feed, ObjectText()
                                 .add_optional_decimal("bankruptcy_above", b.bankruptcy_above)
                                 .add_optional_decimal("bankruptcy_below", b.bankruptcy_below)
                                 .add_optional_decimal("liquidation_above", b.liquidation_above)
                                 .add_optional_decimal("liquidation_below", b.liquidation_below)
                                 .text());
    }
    o.add("price_boundaries", boundaries.text());
  }
  if (p.liquidation_prices_unavailable) o.add_string("liquidation_prices_unavailable", "portfolio_margin");
  // Only accounts with open orders (§5.9).
  if (p.open_orders_margin) o.add_decimal("open_orders_margin", *p.open_orders_margin);
  return o.add_decimal("collateral_value", p.collateral_value)
      .add_decimal("equity", p.equity)
      .add_decimal("free_collateral", p.free_collateral)
      .add_decimal("health", p.health)
      .add_decimal("initial_collateral_value", p.initial_collateral_value)
      .add_decimal("initial_equity", p.initial_equity)
      .add_decimal("initial_margin", p.initial_margin)
      .add_decimal("insurance_fund_shortfall", p.insurance_fund_shortfall)
      .add("liquidation_plan", p.liquidation_plan ? plan_text(*p.liquidation_plan) : std::string("null"))
      .add_decimal("maintenance_collateral_value", p.maintenance_collateral_value)
      .add_decimal("maintenance_margin", p.maintenance_margin)
      .add_optional_decimal("margin_ratio", p.margin_ratio)
      .add_string("status", status_name(p.status))
      .add_decimal("unrealized_pnl", p.unrealized_pnl)
      .text();
}

std::string position_text(const PositionReport& p) {
  std::string size_premium = "null";
  if (p.size_premium_initial_rate) {
    size_premium = ObjectText()
                       .add_decimal("initial_rate", *p.size_premium_initial_rate)
                       .add_decimal("maintenance_rate", *p.size_premium_maintenance_rate)
                       .text();
  }
  ObjectText out;
  // Only markets whose initial margin scales with open interest (§5.7).
  if (p.open_interest_margin) out.add_decimal("open_interest_margin", *p.open_interest_margin);
  // Only markets that weigh profit in initial equity (§5.10).
  if (p.initial_unrealized_pnl) out.add_decimal("initial_unrealized_pnl", *p.initial_unrealized_pnl);
  // Only markets that weigh profit in equity (§5.10).
  if (p.maintenance_unrealized_pnl)
    out.add_decimal("maintenance_unrealized_pnl", *p.maintenance_unrealized_pnl);
  return out.add_optional_decimal("adl_index", p.adl_index)
      .add_optional_decimal("bankruptcy_price", p.bankruptcy_price)
      .add_decimal("entry_price", p.entry_price)
      .add_decimal("initial_margin", p.initial_margin)
      .add_string("initial_margin_basis", p.initial_from_size_premium ? "size_premium" : "tier")
      .add_string("kind", market_kind_name(p.kind))
      .add_optional_decimal("liquidation_price", p.liquidation_price)
      .add_decimal("maintenance_margin", p.maintenance_margin)
      .add_string("maintenance_margin_basis", p.maintenance_from_size_premium ? "size_premium" : "tier")
      .add_decimal("mark_price", p.mark_price)
      .add_decimal("notional", p.notional)
      .add_decimal("pending_funding", p.pending_funding)
      .add_string("pool", p.isolated ? "isolated" : "cross")
      .add_decimal("quantity", p.quantity)
      .add("size_premium", std::move(size_premium))
      .add("tier", std::to_string(p.tier + 1))
      .add_decimal("tier_notional", p.tier_notional)
      .add_decimal("unrealized_pnl", p.unrealized_pnl)
      .add_decimal("volatility_multiplier", p.volatility_multiplier)
      .text();
}

std::string collateral_text(const CollateralReport& c) {
  ObjectText out;
  // Only assets with a deposit limit (§5.8).
  if (c.has_deposit_limit) out.add_optional_decimal("total_deposits_value", c.total_deposits_value);
  return out.add_decimal("balance", c.balance)
      .add_decimal("initial_value", c.initial_value)
      .add_decimal("initial_weight", c.initial_weight)
      .add_decimal("maintenance_value", c.maintenance_value)
      .add_decimal("maintenance_weight", c.maintenance_weight)
      .add_decimal("price", c.price)
      .add_decimal("value", c.value)
      .text();
}

std::string greeks_text(const OptionGreeks& g) {
  return ObjectText()
      .add_decimal("delta", g.delta)
      .add_decimal("gamma", g.gamma)
      .add_decimal("theta_per_day", g.theta_per_day)
      .add_decimal("theta_per_year", g.theta_per_year)
      .add_decimal("vega", g.vega)
      .add_decimal("vega_per_point", g.vega_per_point)
      .text();
}

std::string option_position_text(const OptionPositionReport& p) {
  return ObjectText()
      .add_decimal("entry_price", p.entry_price)
      .add("expiry", std::to_string(p.expiry_ms))
      .add_string("feed", p.feed)
      .add_decimal("equity_value", p.equity_value)
      .add_decimal("forward", p.forward)
      .add("greeks", greeks_text(p.greeks))
      .add_decimal("index_price", p.index_price)
      .add_decimal("initial_margin", p.initial_margin)
      .add_decimal("maintenance_margin", p.maintenance_margin)
      .add_string("margining", p.inverse ? "inverse" : "linear")
      .add_decimal("mark_price", p.mark_price)
      .add_string("pool", p.isolated ? "isolated" : "cross")
      .add_decimal("quantity", p.quantity)
      .add("seconds_to_expiry", std::to_string(p.seconds_to_expiry))
      .add("settled", p.settled ? "true" : "false")
      .add_decimal("strike", p.strike)
      .add_string("type", p.type == OptionType::call ? "call" : "put")
      .add_decimal("unrealized_pnl", p.unrealized_pnl)
      .add_decimal("value", p.value)
      .add_decimal("volatility", p.volatility)
      .text();
}

std::string option_expiry_text(const OptionExpiryReport& e) {
  return ObjectText()
      .add("expiry", std::to_string(e.expiry_ms))
      .add_string("feed", e.feed)
      .add_decimal("forward", e.forward)
      .add("greeks", greeks_text(e.greeks))
      .add_decimal("initial_margin", e.initial_margin)
      .add_decimal("maintenance_margin", e.maintenance_margin)
      .add_decimal("netted_initial", e.netted_initial)
      .add_decimal("netted_maintenance", e.netted_maintenance)
      .add_string("pool", e.isolated_market ? *e.isolated_market : std::string_view("cross"))
      .add_decimal("standard_initial", e.standard_initial)
      .add_decimal("standard_maintenance", e.standard_maintenance)
      .text();
}

std::string portfolio_text(const PortfolioMargin& m) {
  ObjectText out;
  for (const UnderlyingMargin& u : m.underlyings) {
    std::string scenarios = "[";
    for (std::size_t k = 0; k < u.scenarios.size(); ++k) {
      if (k != 0) scenarios += ',';
      scenarios += ObjectText()
                       .add_decimal("pnl", u.pnl[k])
                       .add_decimal("spot_move", u.scenarios[k].spot_move)
                       .add_string("volatility", scenario_volatility_name(u.scenarios[k].volatility))
                       .text();
    }
    scenarios += ']';
    out.add(u.feed, ObjectText()
                        .add_decimal("future_contingency", u.future_contingency)
                        .add_decimal("initial_margin", u.initial_margin)
                        .add_decimal("maintenance_margin", u.maintenance_margin)
                        .add_decimal("option_contingency", u.option_contingency)
                        .add("scenarios", std::move(scenarios))
                        .add("worst_index", std::to_string(u.worst.index))
                        .add_decimal("worst_loss", u.worst_loss)
                        .add_decimal("worst_pnl", u.worst.pnl)
                        .text());
  }
  return out.text();
}

// Our own canonical text, parsed back: it is valid JSON by construction.
Json parsed(const std::string& text) { return Json::parse(text, nullptr, false); }

}  // namespace

std::string report_pool_text(const PoolReport& pool) { return pool_text(pool); }

std::string report_text(const AccountReport& report, const RiskParameters& params) {
  // Option sections and fields appear exactly when the account holds
  // options, so reports of linear accounts keep their v1 bytes.
  const bool portfolio = report.margin_mode == MarginMode::portfolio;
  const bool with_options = !report.option_positions.empty();
  ObjectText isolated, positions, collateral;
  for (const IsolatedPoolReport& p : report.isolated) isolated.add(p.market, pool_text(p.pool, with_options));
  for (const PositionReport& p : report.positions) positions.add(p.market, position_text(p));
  for (const CollateralReport& c : report.collateral) collateral.add(c.asset, collateral_text(c));
  ObjectText out;
  if (with_options) {
    ObjectText option_positions, underlyings;
    for (const OptionPositionReport& p : report.option_positions)
      option_positions.add(p.market, option_position_text(p));
    for (const UnderlyingGreeksReport& u : report.option_underlyings)
      underlyings.add(u.feed, greeks_text(u.greeks));
    std::string expiries = "[";
    for (std::size_t i = 0; i < report.option_expiries.size(); ++i) {
      if (i != 0) expiries += ',';
      expiries += option_expiry_text(report.option_expiries[i]);
    }
    expiries += ']';
    out.add("option_expiries", std::move(expiries));
    out.add("option_positions", option_positions.text());
    out.add("option_underlyings", underlyings.text());
  }
  if (portfolio) {  // docs/spec.md §14.5
    out.add_string("margin_mode", "portfolio");
    out.add("portfolio_margin", portfolio_text(report.portfolio_margin));
  }
  return out.add_string("account", report.account)
      .add("as_of", std::to_string(report.as_of_ms))
      .add("collateral", collateral.text())
      .add("cross", pool_text(report.cross, with_options || portfolio))
      .add("isolated", isolated.text())
      .add("positions", positions.text())
      .add("risk_parameters_version", std::to_string(params.version))
      .text();
}

Json encode_report_pool(const PoolReport& pool) { return parsed(pool_text(pool)); }

Json encode_report(const AccountReport& report, const RiskParameters& params) {
  return parsed(report_text(report, params));
}

Json encode_liquidation_plan(const LiquidationPlan& plan) { return parsed(plan_text(plan)); }

Json encode_error(const Error& error) {
  Json e = Json::object();
  e["code"] = std::string(error_code_name(error.code()));
  e["path"] = error.path();
  e["message"] = error.message();
  Json j = Json::object();
  j["error"] = std::move(e);
  return j;
}

std::string canonical_dump(const Json& value) {
  // Strings in a document came through the strict parser, so they are valid
  // UTF-8 and dump cannot fail; `replace` keeps it non-throwing regardless.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<RiskParameters> decode_risk_parameters_text(std::string_view text) {
  VMARGIN_TRY(const Json doc, parse_strict_json(text, input_path::risk_parameters));
  return decode_risk_parameters(doc);
}

Result<MarketState> decode_market_state_text(std::string_view text) {
  VMARGIN_TRY(const Json doc, parse_strict_json(text, input_path::prices));
  return decode_market_state(doc);
}

Result<Account> decode_account_text(std::string_view text) {
  VMARGIN_TRY(const Json doc, parse_strict_json(text, input_path::account));
  return decode_account(doc);
}

Result<EvaluationInput> decode_evaluation_documents(std::string_view risk_parameters, std::string_view prices,
                                                    std::string_view account, const Scenario& scenario) {
  EvaluationInput in;
  in.scenario = scenario;
  VMARGIN_TRY(in.risk_parameters, decode_risk_parameters_text(risk_parameters));
  VMARGIN_TRY(in.prices, decode_market_state_text(prices));
  VMARGIN_TRY(in.account, decode_account_text(account));
  return in;
}

std::string report_text(const Evaluation& evaluation) {
  return report_text(evaluation.report, evaluation.risk_parameters);
}

Result<AccountReport> evaluate_validated(const ValidatedParameters& params, const MarketState& prices,
                                         const Account& account, const Scenario& scenario) {
  if (scenario.empty()) return evaluate(params, prices, account);
  VMARGIN_TRY(const ScenarioInputs what_if,
              apply_scenario_validated(params.get(), prices, account, scenario));
  return evaluate(params, what_if.prices, what_if.account);
}

Result<Evaluation> evaluate_input(EvaluationInput in) {
  VMARGIN_TRY(ValidatedParameters params, ValidatedParameters::make(std::move(in.risk_parameters)));
  VMARGIN_TRY(AccountReport report, evaluate_validated(params, in.prices, in.account, in.scenario));
  return Evaluation{std::move(report), std::move(params).release()};
}

Result<Evaluation> evaluate_text(std::string_view input) {
  VMARGIN_TRY(const Json doc, parse_strict_json(input));
  VMARGIN_TRY(EvaluationInput in, decode_evaluation_input(doc));
  return evaluate_input(std::move(in));
}

Result<Evaluation> evaluate_text(std::string_view risk_parameters, std::string_view prices,
                                 std::string_view account, const Scenario& scenario) {
  VMARGIN_TRY(EvaluationInput in, decode_evaluation_documents(risk_parameters, prices, account, scenario));
  return evaluate_input(std::move(in));
}

Result<std::string> evaluate_json(std::string_view input) {
  VMARGIN_TRY(const Evaluation e, evaluate_text(input));
  return report_text(e);
}

Result<std::string> evaluate_json(std::string_view risk_parameters, std::string_view prices,
                                  std::string_view account, const Scenario& scenario) {
  VMARGIN_TRY(const Evaluation e, evaluate_text(risk_parameters, prices, account, scenario));
  return report_text(e);
}

}  // namespace vmargin::codec
