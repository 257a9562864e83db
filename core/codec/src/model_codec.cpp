#include "vmargin/codec/model_codec.hpp"

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/model/input_path.hpp"

namespace vmargin::codec {
namespace {

Result<MarketKind> decode_market_kind(const std::string& text, const std::string& path) {
  if (text == "linear_perpetual") return MarketKind::linear_perpetual;
  return Error(ErrorCode::invalid_value,
               "unknown market kind \"" + text + "\"; expected \"linear_perpetual\"", path);
}

Result<Market> decode_market(const std::string& id, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a market"));
  Market m;
  m.id = id;
  VMARGIN_TRY(const std::string kind, r.string("kind"));
  VMARGIN_TRY(m.kind, decode_market_kind(kind, r.path_of("kind")));
  VMARGIN_TRY(m.feed, r.string("feed"));
  VMARGIN_TRY(m.initial_rate, r.decimal<Ratio>("initial_rate"));
  VMARGIN_TRY(m.maintenance_rate, r.decimal<Ratio>("maintenance_rate"));
  VMARGIN_CHECK(r.finish());
  return m;
}

Result<Position> decode_position(const std::string& market, const Json& value, const std::string& path) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(value, path, "a position"));
  Position p;
  p.market = market;
  VMARGIN_TRY(p.quantity, r.decimal<Quantity>("quantity"));
  VMARGIN_TRY(p.entry_price, r.decimal<Price>("entry_price"));
  VMARGIN_CHECK(r.finish());
  return p;
}

}  // namespace

Result<RiskParameters> decode_risk_parameters(const Json& doc) {
  const std::string root(input_path::risk_parameters);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the risk parameters"));
  RiskParameters params;
  VMARGIN_TRY(params.version, r.unsigned_integer("version"));
  VMARGIN_TRY(params.settlement_asset, r.string("settlement_asset"));
  VMARGIN_TRY(params.margin_call_ratio, r.decimal<Ratio>("margin_call_ratio"));
  VMARGIN_TRY(const Json* markets, r.require("markets"));
  VMARGIN_CHECK(expect_object(*markets, r.path_of("markets"), "\"markets\""));
  for (const auto& [id, value] : markets->items()) {
    VMARGIN_TRY(Market m, decode_market(id, value, input_path::market(id)));
    params.markets.push_back(std::move(m));
  }
  VMARGIN_CHECK(r.finish());
  return params;
}

Result<MarketState> decode_market_state(const Json& doc) {
  const std::string root(input_path::prices);
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the prices"));
  VMARGIN_TRY(const Json* feeds, r.require("feeds"));
  VMARGIN_CHECK(expect_object(*feeds, r.path_of("feeds"), "\"feeds\""));
  MarketState state;
  for (const auto& [feed, value] : feeds->items()) {
    const std::string path = input_path::feed_price(feed);
    VMARGIN_TRY(ObjectReader pr, ObjectReader::open(value, path, "a feed price"));
    FeedPrice fp;
    fp.feed = feed;
    VMARGIN_TRY(fp.mark, pr.decimal<Price>("mark"));
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

  VMARGIN_TRY(const Json* positions, r.require("positions"));
  VMARGIN_CHECK(expect_object(*positions, r.path_of("positions"), "\"positions\""));
  for (const auto& [market, value] : positions->items()) {
    VMARGIN_TRY(Position p, decode_position(market, value, input_path::position(market)));
    account.positions.push_back(std::move(p));
  }
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
  VMARGIN_CHECK(r.finish());
  return in;
}

namespace {

template <class Tag>
Json decimal(Fixed<Tag> v) {
  return Json(to_string(v));
}

Json encode_pool(const PoolReport& p) {
  Json j = Json::object();
  j["collateral_value"] = decimal(p.collateral_value);
  j["unrealized_pnl"] = decimal(p.unrealized_pnl);
  j["equity"] = decimal(p.equity);
  j["initial_margin"] = decimal(p.initial_margin);
  j["maintenance_margin"] = decimal(p.maintenance_margin);
  j["free_collateral"] = decimal(p.free_collateral);
  j["health"] = decimal(p.health);
  j["margin_ratio"] = p.margin_ratio ? decimal(*p.margin_ratio) : Json(nullptr);
  j["status"] = std::string(status_name(p.status));
  return j;
}

Json encode_position(const PositionReport& p) {
  Json j = Json::object();
  j["quantity"] = decimal(p.quantity);
  j["entry_price"] = decimal(p.entry_price);
  j["mark_price"] = decimal(p.mark_price);
  j["notional"] = decimal(p.notional);
  j["unrealized_pnl"] = decimal(p.unrealized_pnl);
  j["initial_margin"] = decimal(p.initial_margin);
  j["maintenance_margin"] = decimal(p.maintenance_margin);
  return j;
}

}  // namespace

Json encode_report(const AccountReport& report, const RiskParameters& params) {
  Json j = Json::object();
  j["account"] = report.account;
  j["risk_parameters_version"] = params.version;
  j["cross"] = encode_pool(report.cross);
  Json positions = Json::object();
  for (const PositionReport& p : report.positions) positions[p.market] = encode_position(p);
  j["positions"] = std::move(positions);
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
  VMARGIN_TRY(const AccountReport report, evaluate(in.risk_parameters, in.prices, in.account));
  return canonical_dump(encode_report(report, in.risk_parameters));
}

}  // namespace

Result<std::string> evaluate_json(std::string_view input) {
  VMARGIN_TRY(const Json doc, parse_strict_json(input));
  VMARGIN_TRY(const EvaluationInput in, decode_evaluation_input(doc));
  return evaluate_decoded(in);
}

Result<std::string> evaluate_json(std::string_view risk_parameters, std::string_view prices,
                                  std::string_view account) {
  EvaluationInput in;
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
