// The risk parameters' rules: every rule of docs/spec.md §3.1, in the order
// of §4 step 3, so every implementation names the same first error.
#include "vmargin/model/risk_parameters.hpp"

#include <string>

#include "vmargin/model/keyed.hpp"
#include "vmargin/model/tier_table.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {
namespace {

const std::string& market_id(const Market& m) { return m.id; }
const std::string& asset_id(const CollateralAsset& a) { return a.id; }
const std::string& feed_id(const FeedRisk& f) { return f.feed; }

// A tick is positive and no finer than minimum_tick_size (the grid on
// which liquidation prices are searched, spec §3.1).
Status validate_tick(Price tick, const std::string& at, const char* what, const std::string& owner) {
  if (!tick.is_positive())
    return invalid(at, std::string(what) + " " + to_string(tick) + " of " + owner + " is not positive");
  if (tick < minimum_tick_size) {
    return invalid(at, std::string(what) + " " + to_string(tick) + " of " + owner +
                           " is finer than the smallest supported tick " + to_string(minimum_tick_size));
  }
  return Ok{};
}

Status validate_asset(const CollateralAsset& a) {
  const auto path = [&a](const char* field) { return input_path::asset(a.id) + field; };
  if (a.feed && a.feed->empty()) return invalid(path("/feed"), "asset " + a.id + " names an empty feed");
  const auto in_unit = [](Ratio r) { return !r.is_negative() && r <= Ratio::one(); };
  if (!in_unit(a.maintenance_weight)) {
    return invalid(path("/maintenance_weight"), "maintenance weight " + to_string(a.maintenance_weight) +
                                                    " of " + a.id + " is outside [0, 1]");
  }
  if (a.initial_weight.is_negative() || a.initial_weight > a.maintenance_weight) {
    return invalid(path("/initial_weight"), "initial weight " + to_string(a.initial_weight) + " of " + a.id +
                                                " is outside [0, maintenance weight " +
                                                to_string(a.maintenance_weight) + "]");
  }
  if (a.maintenance_liability_weight < Ratio::one()) {
    return invalid(path("/maintenance_liability_weight"), "maintenance liability weight " +
                                                              to_string(a.maintenance_liability_weight) +
                                                              " of " + a.id + " is below 1");
  }
  if (a.initial_liability_weight < a.maintenance_liability_weight) {
    return invalid(path("/initial_liability_weight"),
                   "initial liability weight " + to_string(a.initial_liability_weight) + " of " + a.id +
                       " is below its maintenance liability weight " +
                       to_string(a.maintenance_liability_weight));
  }
  if (a.size_factor.is_negative())
    return invalid(path("/size_factor"),
                   "size factor " + to_string(a.size_factor) + " of " + a.id + " is negative");
  if (a.volatility_haircut.is_negative()) {
    return invalid(path("/volatility_haircut"),
                   "volatility haircut " + to_string(a.volatility_haircut) + " of " + a.id + " is negative");
  }
  if (a.deposit_weight_scale_start && !a.deposit_weight_scale_start->is_positive()) {
    return invalid(path("/deposit_weight_scale_start"), "deposit weight scale start " +
                                                            to_string(*a.deposit_weight_scale_start) +
                                                            " of " + a.id + " is not positive");
  }
  return Ok{};
}

Status validate_feed_risk(const FeedRisk& f) {
  const auto path = [&f](const char* field) { return input_path::feed_risk(f.feed) + field; };
  if (!f.volatility_reference.is_positive()) {
    return invalid(
        path("/volatility_reference"),
        "volatility reference " + to_string(f.volatility_reference) + " of " + f.feed + " is not positive");
  }
  if (f.max_volatility_multiplier < Ratio::one()) {
    return invalid(path("/max_volatility_multiplier"), "maximum volatility multiplier " +
                                                           to_string(f.max_volatility_multiplier) + " of " +
                                                           f.feed + " is below 1");
  }
  return Ok{};
}

// §5.10: 0 <= initial profit weight <= maintenance profit weight <= 1.
Status validate_profit_weights(const Market& m) {
  const auto path = [&m](const char* field) { return input_path::market(m.id) + field; };
  if (m.initial_profit_weight &&
      (m.initial_profit_weight->is_negative() || *m.initial_profit_weight > Ratio::one())) {
    return invalid(path("/initial_profit_weight"), "initial profit weight " +
                                                       to_string(*m.initial_profit_weight) + " of " + m.id +
                                                       " is outside [0, 1]");
  }
  if (m.profit_size_factor && m.profit_size_factor->is_negative()) {
    return invalid(path("/profit_size_factor"),
                   "profit size factor " + to_string(*m.profit_size_factor) + " of " + m.id + " is negative");
  }
  if (const auto& w = m.maintenance_profit_weight) {
    // Equity for new positions never counts more profit than equity for
    // staying open: initial weight <= maintenance weight <= 1.
    const Ratio initial = m.initial_profit_weight.value_or(Ratio::one());
    if (*w > Ratio::one() || *w < initial) {
      return invalid(path("/maintenance_profit_weight"),
                     "maintenance profit weight " + to_string(*w) + " of " + m.id + " is outside [" +
                         to_string(initial) + ", 1] (at least the initial profit weight" +
                         (m.initial_profit_weight ? "" : ", 1 when absent") + ")");
    }
  }
  return Ok{};
}

Status validate_market(const Market& m, const RiskParameters& params) {
  const auto path = [&m](const char* field) { return input_path::market(m.id) + field; };
  if (m.feed.empty()) return invalid(path("/feed"), "market " + m.id + " names no price feed");
  const CollateralAsset* settlement = params.find_asset(m.settlement_asset);
  if (settlement == nullptr) {
    return Error(ErrorCode::unknown_asset,
                 "settlement asset \"" + m.settlement_asset + "\" of " + m.id + " is not a collateral asset",
                 path("/settlement_asset"));
  }
  if (is_inverse(m.kind)) {
    if (!settlement->feed || *settlement->feed != m.feed) {
      return invalid(path("/settlement_asset"), "inverse market " + m.id +
                                                    " must settle in the asset its feed " + m.feed +
                                                    " prices, not in " + m.settlement_asset);
    }
    // A whole face value keeps quantity x contract size exact.
    if (!m.contract_size.is_positive() || m.contract_size.raw() % fixed_scale != 0) {
      return invalid(path("/contract_size"), "contract size " + to_string(m.contract_size) + " of " + m.id +
                                                 " is not a positive whole number");
    }
  } else if (settlement->feed) {
    return invalid(path("/settlement_asset"),
                   "linear market " + m.id +
                       " must settle in an asset pegged to the valuation currency, "
                       "not in " +
                       m.settlement_asset);
  }
  VMARGIN_CHECK(validate_tick(m.tick_size, path("/tick_size"), "tick size", m.id));
  if (!m.lot_size.is_positive())
    return invalid(path("/lot_size"),
                   "lot size " + to_string(m.lot_size) + " of " + m.id + " is not positive");
  if (m.expiry_ms && *m.expiry_ms < 0)
    return invalid(path("/expiry"), "expiry of " + m.id + " is before 1970");
  VMARGIN_CHECK(validate_tiers(m.tiers, m.id, input_path::market(m.id) + "/tiers"));
  if (m.size_premium_factor.is_negative()) {
    return invalid(path("/size_premium_factor"), "size premium factor " + to_string(m.size_premium_factor) +
                                                     " of " + m.id + " is negative");
  }
  // Closing a position must improve its pool's health: the fee must stay
  // below the smallest marginal maintenance rate (0.8 x the first tier's
  // rate, the floor of the size premium). docs/spec.md §7.3.
  const Ratio base = m.tiers.front().maintenance_rate;
  if (m.liquidation_fee_rate.is_negative() ||
      (!m.liquidation_fee_rate.is_zero() &&
       compare_products(m.liquidation_fee_rate.raw(), 5, base.raw(), 4) >= 0)) {
    return invalid(path("/liquidation_fee_rate"),
                   "liquidation fee rate " + to_string(m.liquidation_fee_rate) + " of " + m.id +
                       " is not below 0.8 x its first maintenance rate " + to_string(base));
  }
  if (const auto& oi = m.open_interest_scaling) {
    if (oi->lower_cap.is_negative()) {
      return invalid(path("/open_interest_scaling/lower_cap"),
                     "open interest lower cap " + to_string(oi->lower_cap) + " of " + m.id + " is negative");
    }
    if (oi->upper_cap <= oi->lower_cap) {
      return invalid(path("/open_interest_scaling/upper_cap"),
                     "open interest upper cap " + to_string(oi->upper_cap) + " of " + m.id +
                         " is not above its lower cap " + to_string(oi->lower_cap));
    }
  }
  return validate_profit_weights(m);
}

const std::string& option_market_id(const OptionMarket& m) { return m.id; }
const std::string& option_rules_feed(const OptionRules& r) { return r.feed; }

Status validate_option_rules(const OptionRules& r) {
  const auto path = [&r](const char* field) { return input_path::option_rules(r.feed) + field; };
  const OptionMarginRates& m = r.margin;
  const auto rate = [&](Ratio v, const char* field, Ratio low, Ratio high, const char* range) -> Status {
    if (v < low || v > high)
      return invalid(path(field),
                     std::string(field + 1) + " " + to_string(v) + " of " + r.feed + " is outside " + range);
    return Ok{};
  };
  VMARGIN_CHECK(rate(m.min_spot_rate, "/min_spot_rate", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(rate(m.max_spot_rate, "/max_spot_rate", m.min_spot_rate, Ratio::one(), "[min_spot_rate, 1]"));
  // Maintenance below initial for every short: c <= b (calls and puts).
  VMARGIN_CHECK(rate(m.call_maintenance_rate, "/call_maintenance_rate", Ratio::zero(), m.min_spot_rate,
                     "[0, min_spot_rate]"));
  VMARGIN_CHECK(rate(m.put_maintenance_rate, "/put_maintenance_rate", Ratio::zero(), m.min_spot_rate,
                     "[0, min_spot_rate]"));
  VMARGIN_CHECK(
      rate(m.put_maintenance_mark_rate, "/put_maintenance_mark_rate", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(
      rate(m.put_initial_floor, "/put_initial_floor", Ratio::one(), Ratio::from_units(10), "[1, 10]"));
  VMARGIN_CHECK(rate(m.unpaired_maintenance_scale, "/unpaired_maintenance_scale", Ratio::zero(),
                     Ratio::from_units(10), "[0, 10]"));
  VMARGIN_CHECK(rate(m.unpaired_initial_scale, "/unpaired_initial_scale", m.unpaired_maintenance_scale,
                     Ratio::from_units(10), "[unpaired_maintenance_scale, 10]"));
  VMARGIN_CHECK(rate(r.long_value_weight, "/long_value_weight", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(validate_tick(r.index_tick_size, path("/index_tick_size"), "index tick size", r.feed));
  return Ok{};
}

Status validate_option_market(const OptionMarket& m, const RiskParameters& params) {
  const auto path = [&m](const char* field) { return input_path::option_market(m.id) + field; };
  if (params.find_market(m.id) != nullptr)
    return Error(ErrorCode::duplicate_key, "option market " + m.id + " has the id of a market",
                 input_path::option_market(m.id));
  if (m.feed.empty()) return invalid(path("/feed"), "option market " + m.id + " names no price feed");
  if (params.find_option_rules(m.feed) == nullptr)
    return invalid(path("/feed"), "no option rules for feed " + m.feed + " of " + m.id);
  const CollateralAsset* settlement = params.find_asset(m.settlement_asset);
  if (settlement == nullptr) {
    return Error(ErrorCode::unknown_asset,
                 "settlement asset \"" + m.settlement_asset + "\" of " + m.id + " is not a collateral asset",
                 path("/settlement_asset"));
  }
  if (m.inverse && (!settlement->feed || *settlement->feed != m.feed)) {
    return invalid(path("/settlement_asset"), "inverse option market " + m.id +
                                                  " must settle in the asset its feed " + m.feed + " prices");
  }
  if (!m.inverse && settlement->feed) {
    return invalid(
        path("/settlement_asset"),
        "linear option market " + m.id + " must settle in an asset pegged to the valuation currency");
  }
  if (!m.strike.is_positive())
    return invalid(path("/strike"), "strike " + to_string(m.strike) + " of " + m.id + " is not positive");
  if (m.expiry_ms < 0) return invalid(path("/expiry"), "expiry of " + m.id + " is before 1970");
  if (!m.lot_size.is_positive())
    return invalid(path("/lot_size"),
                   "lot size " + to_string(m.lot_size) + " of " + m.id + " is not positive");
  return Ok{};
}

const std::string& portfolio_feed(const PortfolioMarginParameters& p) { return p.feed; }

// docs/spec.md §14.1, the fields in their order.
Status validate_portfolio_margin(const PortfolioMarginParameters& p) {
  const auto path = [&p](const char* field) { return input_path::portfolio_margin(p.feed) + field; };
  const auto outside = [&](const char* field, const std::string& value, const char* range) {
    return invalid(path(field),
                   std::string(field + 1) + " " + value + " of " + p.feed + " is outside " + range);
  };
  const auto rate = [&](Ratio v, const char* field, Ratio low, Ratio high, const char* range) -> Status {
    if (v < low || v > high) return outside(field, to_string(v), range);
    return Ok{};
  };
  if (!p.price_range.is_positive() || p.price_range >= Ratio::one())
    return outside("/price_range", to_string(p.price_range), "(0, 1)");
  if (p.buckets < 1 || p.buckets > 50) return outside("/buckets", std::to_string(p.buckets), "[1, 50]");
  const Ratio ten = Ratio::from_units(10);
  VMARGIN_CHECK(rate(p.volatility_range_up, "/volatility_range_up", Ratio::zero(), ten, "[0, 10]"));
  VMARGIN_CHECK(
      rate(p.volatility_range_down, "/volatility_range_down", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(rate(p.short_term_power, "/short_term_power", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(rate(p.long_term_power, "/long_term_power", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(rate(p.min_volatility_up, "/min_volatility_up", Ratio::zero(), ten, "[0, 10]"));
  VMARGIN_CHECK(rate(p.mm_factor, "/mm_factor", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(rate(p.im_factor, "/im_factor", p.mm_factor, ten, "[mm_factor, 10]"));
  VMARGIN_CHECK(
      rate(p.option_contingency_rate, "/option_contingency_rate", Ratio::zero(), Ratio::one(), "[0, 1]"));
  VMARGIN_CHECK(
      rate(p.future_contingency_rate, "/future_contingency_rate", Ratio::zero(), Ratio::one(), "[0, 1]"));
  return Ok{};
}

}  // namespace

std::string_view market_kind_name(MarketKind kind) noexcept {
  switch (kind) {
    case MarketKind::linear_perpetual:
      return "linear_perpetual";
    case MarketKind::inverse_perpetual:
      return "inverse_perpetual";
    case MarketKind::linear_future:
      return "linear_future";
    case MarketKind::inverse_future:
      return "inverse_future";
  }
  return "unknown";
}

const Market* RiskParameters::find_market(std::string_view id) const noexcept {
  return find_sorted(markets, id, market_id);
}
const OptionMarket* RiskParameters::find_option_market(std::string_view id) const noexcept {
  return find_sorted(option_markets, id, option_market_id);
}
const OptionRules* RiskParameters::find_option_rules(std::string_view feed) const noexcept {
  return find_sorted(option_rules, feed, option_rules_feed);
}
const PortfolioMarginParameters* RiskParameters::find_portfolio_margin(std::string_view feed) const noexcept {
  return find_sorted(portfolio_margin, feed, portfolio_feed);
}
const CollateralAsset* RiskParameters::find_asset(std::string_view id) const noexcept {
  return find_sorted(assets, id, asset_id);
}
const FeedRisk* RiskParameters::find_feed(std::string_view id) const noexcept {
  return find_sorted(feeds, id, feed_id);
}

Status validate(const RiskParameters& params) {
  const std::string_view root = input_path::risk_parameters;
  if (params.margin_call_ratio < Ratio::one()) {
    return invalid(std::string(root) + "/margin_call_ratio",
                   "margin call ratio " + to_string(params.margin_call_ratio) +
                       " is below 1; a margin call must come before liquidation");
  }
  if (params.liquidation_buffer_ratio.is_negative()) {
    return invalid(std::string(root) + "/liquidation_buffer_ratio",
                   "liquidation buffer ratio " + to_string(params.liquidation_buffer_ratio) + " is negative");
  }
  VMARGIN_CHECK(check_sorted_unique(params.assets, asset_id, "asset", root, "/assets"));
  for (const CollateralAsset& a : params.assets) VMARGIN_CHECK(validate_asset(a));
  VMARGIN_CHECK(check_sorted_unique(params.feeds, feed_id, "feed", root, "/feeds"));
  for (const FeedRisk& f : params.feeds) VMARGIN_CHECK(validate_feed_risk(f));
  VMARGIN_CHECK(check_sorted_unique(params.markets, market_id, "market", root, "/markets"));
  for (const Market& m : params.markets) VMARGIN_CHECK(validate_market(m, params));
  VMARGIN_CHECK(check_sorted_unique(params.option_rules, option_rules_feed, "option rules feed", root,
                                    "/option_rules"));
  for (const OptionRules& r : params.option_rules) VMARGIN_CHECK(validate_option_rules(r));
  VMARGIN_CHECK(
      check_sorted_unique(params.option_markets, option_market_id, "option market", root, "/option_markets"));
  for (const OptionMarket& m : params.option_markets) VMARGIN_CHECK(validate_option_market(m, params));
  VMARGIN_CHECK(check_sorted_unique(params.portfolio_margin, portfolio_feed, "portfolio margin feed", root,
                                    "/portfolio_margin"));
  for (const PortfolioMarginParameters& p : params.portfolio_margin)
    VMARGIN_CHECK(validate_portfolio_margin(p));
  return Ok{};
}

Result<ValidatedParameters> ValidatedParameters::make(RiskParameters params) {
  VMARGIN_CHECK(validate(params));
  return ValidatedParameters(std::move(params));
}

}  // namespace vmargin
