#include "vmargin/codec/scenario_codec.hpp"

#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin::codec {

Result<Scenario> decode_scenario(const Json& doc) {
  const std::string root = "/scenario";
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, root, "the scenario"));
  Scenario s;
  if (const Json* shocks = r.find("shocks")) {
    VMARGIN_CHECK(expect_object(*shocks, r.path_of("shocks"), "\"shocks\""));
    for (const auto& [feed, value] : shocks->items()) {
      VMARGIN_TRY(const Ratio change,
                  ObjectReader::decimal_value<Ratio>(value, input_path::child(r.path_of("shocks"), feed)));
      s.shocks.push_back(PriceShock{feed, change});
    }
  }
  if (const Json* vol = r.find("volatility_shocks")) {
    VMARGIN_CHECK(expect_object(*vol, r.path_of("volatility_shocks"), "\"volatility_shocks\""));
    for (const auto& [feed, value] : vol->items()) {
      VMARGIN_TRY(const Ratio points, ObjectReader::decimal_value<Ratio>(
                                          value, input_path::child(r.path_of("volatility_shocks"), feed)));
      s.volatility_shocks.push_back(VolatilityShock{feed, points});
    }
  }
  if (r.find("days_forward") != nullptr) {
    VMARGIN_TRY(const std::uint64_t days, r.unsigned_integer("days_forward"));
    if (days > 1'000'000) {
      return Error(ErrorCode::invalid_value, "days_forward " + std::to_string(days) + " is above 1000000",
                   r.path_of("days_forward"));
    }
    s.days_forward = static_cast<std::int64_t>(days);
  }
  if (const Json* collateral = r.find("collateral")) {
    VMARGIN_CHECK(expect_object(*collateral, r.path_of("collateral"), "\"collateral\""));
    for (const auto& [asset, value] : collateral->items()) {
      VMARGIN_TRY(const Money delta, ObjectReader::decimal_value<Money>(
                                         value, input_path::child(r.path_of("collateral"), asset)));
      s.collateral.push_back(CollateralChange{asset, delta});
    }
  }
  if (const Json* orders = r.find("orders")) {
    if (!orders->is_array()) {
      return Error(ErrorCode::wrong_type,
                   "\"orders\" must be a JSON array, found " + describe_json_value(*orders),
                   r.path_of("orders"));
    }
    for (std::size_t i = 0; i < orders->size(); ++i) {
      VMARGIN_TRY(
          ObjectReader o,
          ObjectReader::open((*orders)[i], r.path_of("orders") + "/" + std::to_string(i), "an order"));
      Order order;
      VMARGIN_TRY(order.market, o.string("market"));
      VMARGIN_TRY(order.quantity, o.decimal<Quantity>("quantity"));
      VMARGIN_TRY(order.price, o.optional_decimal<Price>("price"));
      VMARGIN_CHECK(o.finish());
      s.orders.push_back(std::move(order));
    }
  }
  VMARGIN_CHECK(r.finish());
  return s;
}

Result<OrderQuery> decode_order_query(const Json& doc) {
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "/query", "the query"));
  OrderQuery q;
  VMARGIN_TRY(q.market, r.string("market"));
  VMARGIN_TRY(const std::string side, r.string("side"));
  if (side == "buy") {
    q.side = OrderSide::buy;
  } else if (side == "sell") {
    q.side = OrderSide::sell;
  } else {
    return Error(ErrorCode::invalid_value, "side \"" + side + "\" is neither \"buy\" nor \"sell\"",
                 r.path_of("side"));
  }
  VMARGIN_TRY(q.price, r.optional_decimal<Price>("price"));
  VMARGIN_CHECK(r.finish());
  return q;
}

Json encode_largest_order(const LargestOrder& order) {
  Json pool = encode_report_pool(order.pool_after);
  return Json{{"market", order.market},
              {"side", order.side == OrderSide::buy ? "buy" : "sell"},
              {"price", to_string(order.price)},
              {"quantity", to_string(order.quantity)},
              {"pool_after", std::move(pool)}};
}

std::string largest_order_text(const LargestOrder& order) {
  return canonical_dump(encode_largest_order(order));
}

Result<LargestOrder> largest_order_of(std::string_view input) {
  VMARGIN_TRY(const Json doc, parse_strict_json(input));
  VMARGIN_TRY(ObjectReader r, ObjectReader::open(doc, "", "the query input"));
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
  VMARGIN_TRY(const Json* query_doc, r.require("query"));
  VMARGIN_TRY(const OrderQuery query, decode_order_query(*query_doc));
  VMARGIN_CHECK(r.finish());
  return largest_order(in.risk_parameters, in.prices, in.account, in.scenario, query);
}

Result<LargestOrder> largest_order_of(std::string_view risk_parameters, std::string_view prices,
                                      std::string_view account, const Scenario& scenario,
                                      const OrderQuery& query) {
  VMARGIN_TRY(const EvaluationInput in, decode_evaluation_documents(risk_parameters, prices, account));
  return largest_order(in.risk_parameters, in.prices, in.account, scenario, query);
}

Result<std::string> largest_order_json(std::string_view input) {
  VMARGIN_TRY(const LargestOrder order, largest_order_of(input));
  return largest_order_text(order);
}

Result<std::string> largest_order_json(std::string_view risk_parameters, std::string_view prices,
                                       std::string_view account, const Scenario& scenario,
                                       const OrderQuery& query) {
  VMARGIN_TRY(const LargestOrder order, largest_order_of(risk_parameters, prices, account, scenario, query));
  return largest_order_text(order);
}

Result<OrderQuery> order_query_of(std::string_view market, std::string_view side,
                                  const std::optional<std::string>& price) {
  Json doc = {{"market", std::string(market)}, {"side", std::string(side)}};
  if (price) doc["price"] = *price;
  return decode_order_query(doc);
}

Result<PriceShock> parse_shock_argument(std::string_view text) {
  const auto eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Error(
        ErrorCode::invalid_value,
        "a shock is FEED=CHANGE, e.g. BTC-USD=-10% or BTC-USD=-0.1, not \"" + std::string(text) + "\"");
  }
  PriceShock s;
  s.feed = std::string(text.substr(0, eq));
  std::string_view change = text.substr(eq + 1);
  const bool percent = !change.empty() && change.back() == '%';
  if (percent) change.remove_suffix(1);
  VMARGIN_TRY(const Ratio value, parse_decimal<Ratio>(change));
  if (!percent) {
    s.change = value;
    return s;
  }
  if (value.raw() % 100 != 0) {
    return Error(ErrorCode::decimal_too_precise,
                 "\"" + std::string(text) + "\": a percentage has at most 16 fractional digits");
  }
  s.change = Ratio::from_raw(value.raw() / 100);
  return s;
}

}  // namespace vmargin::codec
