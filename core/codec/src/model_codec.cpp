#include "vmargin/codec/model_codec.hpp"

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/model/input_path.hpp"

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

Result<Tier> decode_tier(const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a tier"));
  Tier t;
  VMARGIN_TRY(t.max_notional, r.nullable_decimal<Money>("max_notional"));
  VMARGIN_TRY(t.initial_rate, r.decimal<Ratio>("initial_rate"));
  VMARGIN_TRY(t.maintenance_rate, r.decimal<Ratio>("maintenance_rate"));
  VMARGIN_TRY(t.initial_amount, r.decimal<Money>("initial_amount"));
  VMARGIN_TRY(t.maintenance_amount, r.decimal<Money>("maintenance_amount"));
  VMARGIN_CHECK(r.finish());
  return t;
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
  if (!tiers->is_array()) {
    return Error(ErrorCode::wrong_type,
                 "\"tiers\" must be a JSON array, found " + describe_json_value(*tiers), r.path_of("tiers"));
  }
  for (std::size_t i = 0; i < tiers->size(); ++i) {
    VMARGIN_TRY(Tier t, decode_tier((*tiers)[i], r.path_of("tiers") + "/" + std::to_string(i)));
    m.tiers.push_back(t);
  }
  VMARGIN_TRY(m.size_premium_factor, r.decimal<Ratio>("size_premium_factor"));
  VMARGIN_TRY(m.liquidation_fee_rate, r.decimal<Ratio>("liquidation_fee_rate"));
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
  VMARGIN_CHECK(r.finish());
  return params;
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
  VMARGIN_CHECK(r.finish());
  return state;
}

Result<Account> decode_account(const Json& doc) {
  const std::string root(input_path::account);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the account"));
  Account account;
  VMARGIN_TRY(account.id, r.string("id"));
  VMARGIN_TRY(const Json* collateral, r.require("collateral"));
  VMARGIN_CHECK(expect_object(*collateral, r.path_of("collateral"), "\"collateral\""));
  for (const auto& [asset, value] : collateral->items()) {
    VMARGIN_TRY(const Money amount, ObjectReader::decimal_value<Money>(value, input_path::collateral(asset)));
    account.collateral.push_back(CollateralBalance{asset, amount});
  }
  VMARGIN_CHECK(decode_map(r, "positions", account.positions, decode_position, input_path::position));
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

template <class Tag>
Json decimal(Fixed<Tag> v) {
  return Json(to_string(v));
}

template <class Tag>
Json optional_decimal(const std::optional<Fixed<Tag>>& v) {
  return v ? decimal(*v) : Json(nullptr);
}

Json encode_plan(const LiquidationPlan& plan) {
  Json steps = Json::array();
  for (const LiquidationStep& s : plan.steps) {
    steps.push_back(Json{{"market", s.market},
                         {"reduce_by", to_string(s.reduce_by)},
                         {"remaining", to_string(s.remaining)},
                         {"fee", to_string(s.fee)}});
  }
  return Json{{"steps", std::move(steps)},
              {"restores", plan.restores},
              {"equity_after", to_string(plan.equity_after)},
              {"maintenance_margin_after", to_string(plan.maintenance_margin_after)},
              {"target", to_string(plan.target)}};
}

}  // namespace

Json encode_report_pool(const PoolReport& p) {
  Json j = Json::object();
  j["collateral_value"] = decimal(p.collateral_value);
  j["maintenance_collateral_value"] = decimal(p.maintenance_collateral_value);
  j["initial_collateral_value"] = decimal(p.initial_collateral_value);
  j["unrealized_pnl"] = decimal(p.unrealized_pnl);
  j["equity"] = decimal(p.equity);
  j["initial_equity"] = decimal(p.initial_equity);
  j["initial_margin"] = decimal(p.initial_margin);
  j["maintenance_margin"] = decimal(p.maintenance_margin);
  j["free_collateral"] = decimal(p.free_collateral);
  j["health"] = decimal(p.health);
  j["margin_ratio"] = optional_decimal(p.margin_ratio);
  j["status"] = std::string(status_name(p.status));
  j["insurance_fund_shortfall"] = decimal(p.insurance_fund_shortfall);
  j["liquidation_plan"] = p.liquidation_plan ? encode_plan(*p.liquidation_plan) : Json(nullptr);
  return j;
}

namespace {

Json encode_position(const PositionReport& p) {
  Json j = Json::object();
  j["kind"] = std::string(market_kind_name(p.kind));
  j["pool"] = p.isolated ? "isolated" : "cross";
  j["quantity"] = decimal(p.quantity);
  j["entry_price"] = decimal(p.entry_price);
  j["mark_price"] = decimal(p.mark_price);
  j["notional"] = decimal(p.notional);
  j["tier_notional"] = decimal(p.tier_notional);
  j["pending_funding"] = decimal(p.pending_funding);
  j["unrealized_pnl"] = decimal(p.unrealized_pnl);
  j["tier"] = p.tier + 1;
  j["size_premium"] = p.size_premium_initial_rate
                          ? Json{{"initial_rate", to_string(*p.size_premium_initial_rate)},
                                 {"maintenance_rate", to_string(*p.size_premium_maintenance_rate)}}
                          : Json(nullptr);
  j["initial_margin_basis"] = p.initial_from_size_premium ? "size_premium" : "tier";
  j["maintenance_margin_basis"] = p.maintenance_from_size_premium ? "size_premium" : "tier";
  j["volatility_multiplier"] = decimal(p.volatility_multiplier);
  j["initial_margin"] = decimal(p.initial_margin);
  j["maintenance_margin"] = decimal(p.maintenance_margin);
  j["liquidation_price"] = optional_decimal(p.liquidation_price);
  j["bankruptcy_price"] = optional_decimal(p.bankruptcy_price);
  j["adl_index"] = optional_decimal(p.adl_index);
  return j;
}

Json encode_collateral(const CollateralReport& c) {
  return Json{{"balance", to_string(c.balance)},
              {"price", to_string(c.price)},
              {"value", to_string(c.value)},
              {"maintenance_weight", to_string(c.maintenance_weight)},
              {"maintenance_value", to_string(c.maintenance_value)},
              {"initial_weight", to_string(c.initial_weight)},
              {"initial_value", to_string(c.initial_value)}};
}

}  // namespace

Json encode_report(const AccountReport& report, const RiskParameters& params) {
  Json j = Json::object();
  j["account"] = report.account;
  j["as_of"] = report.as_of_ms;
  j["risk_parameters_version"] = params.version;
  j["cross"] = encode_report_pool(report.cross);
  Json isolated = Json::object();
  for (const IsolatedPoolReport& p : report.isolated) isolated[p.market] = encode_report_pool(p.pool);
  j["isolated"] = std::move(isolated);
  Json positions = Json::object();
  for (const PositionReport& p : report.positions) positions[p.market] = encode_position(p);
  j["positions"] = std::move(positions);
  Json collateral = Json::object();
  for (const CollateralReport& c : report.collateral) collateral[c.asset] = encode_collateral(c);
  j["collateral"] = std::move(collateral);
  return j;
}

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

namespace {

Result<std::string> evaluate_decoded(const EvaluationInput& in) {
  if (in.scenario.shocks.empty() && in.scenario.collateral.empty() && in.scenario.orders.empty()) {
    VMARGIN_TRY(const AccountReport report, evaluate(in.risk_parameters, in.prices, in.account));
    return canonical_dump(encode_report(report, in.risk_parameters));
  }
  VMARGIN_TRY(const ScenarioInputs what_if,
              apply_scenario(in.risk_parameters, in.prices, in.account, in.scenario));
  VMARGIN_TRY(const AccountReport report, evaluate(in.risk_parameters, what_if.prices, what_if.account));
  return canonical_dump(encode_report(report, in.risk_parameters));
}

}  // namespace

Result<std::string> evaluate_json(std::string_view input) {
  VMARGIN_TRY(const Json doc, parse_strict_json(input));
  VMARGIN_TRY(const EvaluationInput in, decode_evaluation_input(doc));
  return evaluate_decoded(in);
}

Result<std::string> evaluate_json(std::string_view risk_parameters, std::string_view prices,
                                  std::string_view account, const Scenario& scenario) {
  EvaluationInput in;
  in.scenario = scenario;
  {
    VMARGIN_TRY(const Json doc, parse_strict_json(risk_parameters, input_path::risk_parameters));
    VMARGIN_TRY(in.risk_parameters, decode_risk_parameters(doc));
  }
  {
    VMARGIN_TRY(const Json doc, parse_strict_json(prices, input_path::prices));
    VMARGIN_TRY(in.prices, decode_market_state(doc));
  }
  {
    VMARGIN_TRY(const Json doc, parse_strict_json(account, input_path::account));
    VMARGIN_TRY(in.account, decode_account(doc));
  }
  return evaluate_decoded(in);
}

}  // namespace vmargin::codec
