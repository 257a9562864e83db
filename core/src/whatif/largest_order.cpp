// The largest order (docs/spec.md §9).
#include "vmargin/whatif/largest_order.hpp"

#include <utility>

#include "vmargin/engine/engine.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

// The query checked against the inputs after the scenario: its market and
// the fill price.
Result<std::pair<const Market*, Price>> check_query(const RiskParameters& params, const MarketState& prices,
                                                    const OrderQuery& query) {
  const Market* market = params.find_market(query.market);
  if (market == nullptr && params.find_option_market(query.market) != nullptr) {
    return Error(ErrorCode::invalid_value,
                 query.market + " is an option market; the largest order is not supported for options yet",
                 "/query/market");
  }
  if (market == nullptr) {
    return Error(ErrorCode::unknown_market,
                 "market \"" + query.market + "\" is not defined in the risk parameters", "/query/market");
  }
  const FeedPrice* feed = prices.find(market->feed);
  if (feed == nullptr) {
    return Error(ErrorCode::missing_price,
                 "no mark price for feed \"" + market->feed + "\", which marks " + market->id,
                 input_path::feed_price(market->feed));
  }
  if (query.price && !query.price->is_positive()) {
    return Error(ErrorCode::invalid_value, "order price " + to_string(*query.price) + " is not positive",
                 "/query/price");
  }
  return std::pair{market, query.price.value_or(feed->mark)};
}

// What an order of n lots does. An order that cannot be applied or whose
// pool cannot be valued (overflow, or an isolated loss beyond its margin)
// does not pass (§9); `why` keeps the reason, for when such an order is the
// answer anyway (reducing lots pass by rule, valued or not).
enum class Outcome : std::uint8_t { passes, fails, cannot_be_valued };
struct Trial {
  Outcome outcome = Outcome::cannot_be_valued;
  std::optional<PoolFigures> pool;  // the pool the order lands in, after it
  std::optional<Error> why;         // cannot_be_valued: the error
  [[nodiscard]] bool passes() const noexcept { return outcome == Outcome::passes; }
};

bool means_cannot_be_valued(const Error& e) {
  return e.code() == ErrorCode::overflow || e.code() == ErrorCode::invalid_value;
}

class OrderTrials {
 public:
  OrderTrials(const ValidatedParameters& params, const ScenarioInputs& base, const OrderQuery& query,
              Price price, Quantity lot)
      : params_(params), base_(base), query_(query), price_(price), lot_(lot) {
    options_.liquidation_prices = false;
    options_.liquidation_plans = false;
    // Lots that only reduce an opposite position always pass.
    for (const Position& p : base.account.positions) {
      if (p.market == query.market && p.leg == PositionLeg::net &&
          p.quantity.is_positive() != (query.side == OrderSide::buy))
        reducing_ = p.quantity.abs().raw() / lot.raw();
    }
  }

  [[nodiscard]] i128 reducing() const noexcept { return reducing_; }
  /// The largest n whose quantity n x lot is representable: the search's cap.
  [[nodiscard]] i128 max_lots() const noexcept { return fixed_max_raw / lot_.raw(); }
  [[nodiscard]] Quantity order_of(i128 n) const noexcept {
    return Quantity::from_raw(query_.side == OrderSide::buy ? n * lot_.raw() : -n * lot_.raw());
  }

  [[nodiscard]] Result<Trial> run(i128 n) const {
    Account account = base_.account;
    if (n > 0) {
      const Status applied =
          apply_order(params_.get(), base_.prices, account, Order{query_.market, order_of(n), price_}, 0);
      if (!applied.ok()) {
        if (means_cannot_be_valued(applied.error()))
          return Trial{Outcome::cannot_be_valued, {}, applied.error()};
        return applied.error();
      }
    }
    Result<AccountReport> r = evaluate(params_, base_.prices, account, options_);
    if (!r.ok()) {
      if (n > 0 && means_cannot_be_valued(r.error())) return Trial{Outcome::cannot_be_valued, {}, r.error()};
      return std::move(r).error();  // the account itself: the error eval gives
    }
    PoolFigures pool = r->cross;
    for (const IsolatedPoolReport& p : r->isolated) {
      if (p.market == query_.market) pool = p.pool;
    }
    const bool passes = n <= reducing_ || pool.initial_equity >= pool.initial_margin;
    return Trial{passes ? Outcome::passes : Outcome::fails, std::move(pool), std::nullopt};
  }

 private:
  const ValidatedParameters& params_;
  const ScenarioInputs& base_;
  const OrderQuery& query_;
  Price price_;
  Quantity lot_;
  EvaluationOptions options_;
  i128 reducing_ = 0;
};

// Doubling past the reducing part until an order fails or the cap is
// reached, then halving: the largest passing n (passing is monotone past the
// reducing part, §9) and its trial. Orders beyond max_lots() cannot be
// written, so the first of them fails.
Result<std::pair<i128, Trial>> search_largest(const OrderTrials& trials) {
  const i128 cap = trials.max_lots();
  i128 good = trials.reducing();
  VMARGIN_TRY(Trial best, trials.run(good));
  // The smallest failing n found so far; while none is, the loop below runs
  // until good reaches the cap, and then there is nothing to halve (cap + 1
  // itself would overflow when the cap is the largest 128-bit value).
  i128 bad = cap;
  for (i128 step = 1; good < cap; step = step <= cap / 2 ? step * 2 : cap) {
    const i128 n = step > cap - good ? cap : good + step;
    VMARGIN_TRY(Trial t, trials.run(n));
    if (!t.passes()) {
      bad = n;
      break;
    }
    good = n;
    best = std::move(t);
  }
  while (bad - good > 1) {
    const i128 mid = good + (bad - good) / 2;
    VMARGIN_TRY(Trial t, trials.run(mid));
    if (t.passes()) {
      good = mid;
      best = std::move(t);
    } else {
      bad = mid;
    }
  }
  return std::pair{good, std::move(best)};
}

// The answer is the reducing part (which passes by rule), but the pool after
// it cannot be valued: no figures to report, so the reason is the error.
Error unvalued_answer(const OrderQuery& query, Quantity quantity, const Error& why) {
  return Error(why.code(),
               std::string("the largest order, a ") + (query.side == OrderSide::buy ? "buy" : "sell") +
                   " of " + to_string(quantity.abs()) + " " + query.market +
                   " (reducing the position: it passes by rule), cannot be valued: " + why.message(),
               "/query");
}

}  // namespace

Result<LargestOrder> largest_order(const RiskParameters& params, const MarketState& prices,
                                   const Account& account, const Scenario& scenario,
                                   const OrderQuery& query) {
  VMARGIN_TRY(const ValidatedParameters validated, ValidatedParameters::make(params));
  if (account.margin_mode == MarginMode::portfolio) {  // docs/spec.md §14.5
    return Error(ErrorCode::invalid_value, "the largest order is not defined under portfolio margin yet",
                 std::string(input_path::account) + "/margin_mode");
  }
  VMARGIN_TRY(const ScenarioInputs base, apply_scenario_validated(params, prices, account, scenario));
  VMARGIN_TRY(const auto checked, check_query(params, base.prices, query));
  const auto [market, price] = checked;
  const OrderTrials trials(validated, base, query, price, market->lot_size);
  if (trials.reducing() > 0) {                               // else the search starts there
    VMARGIN_TRY(const Trial account_itself, trials.run(0));  // its error, if it cannot be valued
    static_cast<void>(account_itself);
  }
  VMARGIN_TRY(const auto found, search_largest(trials));
  LargestOrder out;
  out.market = query.market;
  out.side = query.side;
  out.price = price;
  out.quantity = trials.order_of(found.first);
  if (!found.second.pool) return unvalued_answer(query, out.quantity, *found.second.why);
  static_cast<PoolFigures&>(out.pool_after) = *found.second.pool;
  return out;
}

}  // namespace vmargin
