// The largest order from the combined document {"risk_parameters", "prices",
// "account", "scenario"?, "query"} (codec::largest_order_of, as `vmargin
// max-order --input`): never crashes. When it answers, the property of
// docs/spec.md §9 is checked with the engine's what-if: the reported order,
// appended to the scenario, evaluates, lands in a pool with exactly the
// reported figures, and passes (it only reduces the position, or the pool
// meets its initial requirement).
#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace {

using namespace vmargin;

// Whether an order of `quantity` only reduces the position it lands on.
bool only_reduces(const Account& account, const std::string& market, Quantity quantity) {
  for (const Position& p : account.positions) {
    if (p.market == market && p.quantity.is_positive() != quantity.is_positive() &&
        quantity.abs().raw() <= p.quantity.abs().raw())
      return true;
  }
  return false;
}

void check_answer(codec::Json doc, const LargestOrder& order) {
  doc.erase("query");
  auto in = codec::decode_evaluation_input(doc);
  if (!in.ok()) fuzz::fail("the input of an answered query does not decode", in.error().message());
  auto params = ValidatedParameters::make(in->risk_parameters);
  if (!params.ok()) fuzz::fail("the parameters of an answered query are invalid", params.error().message());
  const auto before = apply_scenario(in->risk_parameters, in->prices, in->account, in->scenario);
  if (!before.ok()) fuzz::fail("the scenario of an answered query fails", before.error().message());
  Scenario scenario = in->scenario;
  if (!order.quantity.is_zero()) scenario.orders.push_back(Order{order.market, order.quantity, order.price});
  const auto after = apply_scenario(in->risk_parameters, in->prices, in->account, scenario);
  if (!after.ok()) fuzz::fail("the reported largest order cannot be applied", after.error().message());
  EvaluationOptions options;
  options.liquidation_prices = false;
  options.liquidation_plans = false;
  const auto report = evaluate(*params, after->prices, after->account, options);
  if (!report.ok()) fuzz::fail("the reported largest order does not evaluate", report.error().message());
  PoolFigures pool = report->cross;
  for (const IsolatedPoolReport& p : report->isolated) {
    if (p.market == order.market) pool = p.pool;
  }
  if (pool.initial_equity != order.pool_after.initial_equity ||
      pool.initial_margin != order.pool_after.initial_margin || pool.equity != order.pool_after.equity)
    fuzz::fail("pool_after differs from the what-if evaluation of the order",
               codec::largest_order_text(order));
  const bool reduces =
      !order.quantity.is_zero() && only_reduces(before->account, order.market, order.quantity);
  if (!order.quantity.is_zero() && !reduces && pool.initial_equity < pool.initial_margin)
    fuzz::fail("the reported largest order fails the initial requirement", codec::largest_order_text(order));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto order = codec::largest_order_of(text);
  if (!order.ok()) return 0;
  const auto doc = codec::parse_strict_json(text);
  if (!doc.ok()) fuzz::fail("an answered query does not parse");
  check_answer(*doc, *order);
  return 0;
}
