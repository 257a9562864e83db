#include "vmargin/portfolio/portfolio_margin.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "vmargin/margin/health.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/options/black76.hpp"

namespace vmargin {
namespace {

auto at_account(const std::string& what) {
  return [what](Error& e) { e.at(input_path::account).context(what); };
}

Status binding_error(const std::string& market, std::string message) {
  return Error(ErrorCode::invalid_value, std::move(message), input_path::position(market));
}

// §14.1: one position of a portfolio pool, named by its key.
Status check_member(const RiskParameters& params, const std::string& market, const std::string& feed,
                    bool inverse) {
  if (inverse) {
    return binding_error(market, market +
                                     " is an inverse market; portfolio margin supports linear markets "
                                     "only (not yet inverse)");
  }
  if (params.find_portfolio_margin(feed) == nullptr) {
    return binding_error(market, market + " is on feed " + feed +
                                     ", which has no portfolio margin parameters; a portfolio-margin pool "
                                     "cannot hold it");
  }
  return Ok{};
}

// The price move of a mark in a scenario: shocked(M) - M.
Result<PriceMove> mark_move(Price mark, Ratio move) {
  VMARGIN_TRY(const Price shocked, shocked_price(mark, move));
  return price_move(shocked, mark);
}

}  // namespace

Status check_portfolio_pool(const AccountValuation& a, const PoolValuation& pool) {
  // Ascending position key (the market id; a hedge leg's key, §3.3) over
  // linear positions and options together.
  std::vector<std::tuple<std::string, const std::string*, bool>> members;
  for (const std::size_t i : pool.positions) {
    const PositionValuation& p = a.positions[i];
    members.emplace_back(p.position->key(), &p.market->feed, is_inverse(p.market->kind));
  }
  for (const std::size_t i : pool.options) {
    const OptionValuation& o = a.options[i];
    members.emplace_back(o.position->key(), &o.market->feed, o.market->inverse);
  }
  std::sort(members.begin(), members.end(),
            [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
  for (const auto& [key, feed, inverse] : members)
    VMARGIN_CHECK(check_member(*a.params, key, *feed, inverse));
  return Ok{};
}

std::vector<std::string> pool_underlyings(const AccountValuation& a, const PoolValuation& pool) {
  std::vector<std::string> feeds;
  for (const std::size_t i : pool.positions) feeds.push_back(a.positions[i].market->feed);
  for (const std::size_t i : pool.options) feeds.push_back(a.options[i].market->feed);
  std::sort(feeds.begin(), feeds.end());
  feeds.erase(std::unique(feeds.begin(), feeds.end()), feeds.end());
  return feeds;
}

WorstScenario worst_scenario(const std::vector<Money>& pnl) noexcept {
  WorstScenario w{0, pnl.front()};
  for (std::size_t k = 1; k < pnl.size(); ++k) {
    if (pnl[k] < w.pnl) w = WorstScenario{k, pnl[k]};
  }
  return w;
}

Result<Money> option_scenario_pnl(const OptionValuation& o, const PortfolioMarginParameters& params,
                                  const GridScenario& scenario, Ratio scale) {
  if (o.quote.settled) return Money::zero();
  VMARGIN_TRY(const Price forward, shocked_price(o.quote.forward, scenario.spot_move));
  VMARGIN_TRY(const Ratio sigma, shocked_volatility(params, o.quote.volatility, scale, scenario.volatility));
  VMARGIN_TRY(const Black76Prices prices,
              black76({o.quote.seconds_to_expiry, o.quote.discount, sigma, forward, o.market->strike}));
  const Price value = o.market->type == OptionType::call ? prices.call : prices.put;
  VMARGIN_TRY(const Money shocked, mul(o.position->quantity, value, Round::down));
  return sub(shocked, o.value.value);
}

Result<Money> scenario_pnl(const AccountValuation& a, const PoolValuation& pool,
                           const PortfolioMarginParameters& params, const GridScenario& scenario,
                           const std::vector<Ratio>& scales) {
  Money total;
  for (const std::size_t i : pool.positions) {
    const PositionValuation& p = a.positions[i];
    if (p.market->feed != params.feed) continue;
    VMARGIN_TRY(const PriceMove move, mark_move(p.feed->mark, scenario.spot_move));
    VMARGIN_TRY(const Money pnl, mul(p.position->quantity, move, Round::down));
    VMARGIN_TRY(total, add(total, pnl));
  }
  for (std::size_t j = 0; j < pool.options.size(); ++j) {
    const OptionValuation& o = a.options[pool.options[j]];
    if (o.market->feed != params.feed) continue;
    VMARGIN_TRY(const Money pnl, option_scenario_pnl(o, params, scenario, scales[j]));
    VMARGIN_TRY(total, add(total, pnl));
  }
  if (!params.collateral_offsets) return total;
  for (const std::size_t i : pool.collateral) {
    const CollateralValuation& c = a.collateral[i];
    if (c.feed == nullptr || c.feed->feed != params.feed) continue;
    VMARGIN_TRY(const PriceMove move, mark_move(c.mark, scenario.spot_move));
    VMARGIN_TRY(const Money pnl, mul_div_to<Money>(c.balance->amount, move, Ratio::one(), Round::down));
    VMARGIN_TRY(total, add(total, pnl));
  }
  return total;
}

// One contingency charge (spec §14): up(up(|size| x mark) x rate).
Result<Money> contingency_charge(Quantity size, Price mark, Ratio rate) {
  VMARGIN_TRY(const Money notional, mul(size.abs(), mark, Round::up));
  return mul(notional, rate, Round::up);
}

Result<Money> option_contingency(const AccountValuation& a, const PoolValuation& pool,
                                 const PortfolioMarginParameters& params) {
  // (expiry, strike, summed quantity), ascending; the index of the feed.
  std::vector<std::tuple<std::int64_t, Price, Quantity>> strikes;
  const FeedPrice* index = nullptr;
  for (const std::size_t i : pool.options) {
    const OptionValuation& o = a.options[i];
    if (o.market->feed != params.feed || o.quote.settled) continue;
    index = o.feed;
    const auto key = std::make_pair(o.market->expiry_ms, o.market->strike);
    auto it = std::find_if(strikes.begin(), strikes.end(), [&](const auto& s) {
      return std::get<0>(s) == key.first && std::get<1>(s) == key.second;
    });
    if (it == strikes.end()) it = strikes.insert(strikes.end(), {key.first, key.second, Quantity::zero()});
    VMARGIN_TRY(std::get<2>(*it), add(std::get<2>(*it), o.position->quantity));
  }
  std::sort(strikes.begin(), strikes.end());
  Money total;
  for (const auto& [expiry, strike, net] : strikes) {
    if (!net.is_negative()) continue;
    VMARGIN_TRY(const Money term, contingency_charge(net, index->mark, params.option_contingency_rate));
    VMARGIN_TRY(total, add(total, term));
  }
  return total;
}

Result<Money> future_contingency(const AccountValuation& a, const PoolValuation& pool,
                                 const PortfolioMarginParameters& params) {
  Money total;
  for (const std::size_t i : pool.positions) {
    const PositionValuation& p = a.positions[i];
    if (p.market->feed != params.feed) continue;
    VMARGIN_TRY(const Money term,
                contingency_charge(p.position->quantity, p.feed->mark, params.future_contingency_rate));
    VMARGIN_TRY(total, add(total, term));
  }
  return total;
}

Result<UnderlyingMargin> underlying_margin(const AccountValuation& a, const PoolValuation& pool,
                                           const PortfolioMarginParameters& params) {
  UnderlyingMargin u;
  u.feed = params.feed;
  u.scenarios = scenario_grid(params);
  std::vector<Ratio> scales(pool.options.size());
  for (std::size_t j = 0; j < pool.options.size(); ++j) {
    const OptionValuation& o = a.options[pool.options[j]];
    if (o.market->feed != params.feed || o.quote.settled) continue;
    VMARGIN_TRY(scales[j], volatility_scale(params, o.quote.seconds_to_expiry)
                               .on_error(at_account("volatility scale of " + o.position->market)));
  }
  u.pnl.reserve(u.scenarios.size());
  for (const GridScenario& s : u.scenarios) {
    VMARGIN_TRY(const Money pnl, scenario_pnl(a, pool, params, s, scales)
                                     .on_error(at_account("portfolio scenario PnL of " + params.feed)));
    u.pnl.push_back(pnl);
  }
  u.worst = worst_scenario(u.pnl);
  u.worst_loss = -u.worst.pnl;
  const auto where = at_account("portfolio margin of " + params.feed);
  VMARGIN_TRY(u.option_contingency, option_contingency(a, pool, params).on_error(where));
  VMARGIN_TRY(u.future_contingency, future_contingency(a, pool, params).on_error(where));
  VMARGIN_TRY(const Money contingencies, add(u.option_contingency, u.future_contingency).on_error(where));
  VMARGIN_TRY(const Money im, mul(u.worst_loss, params.im_factor, Round::up).on_error(where));
  VMARGIN_TRY(const Money mm, mul(u.worst_loss, params.mm_factor, Round::up).on_error(where));
  VMARGIN_TRY(u.initial_margin, add(im, contingencies).on_error(where));
  VMARGIN_TRY(u.maintenance_margin, add(mm, contingencies).on_error(where));
  return u;
}

Result<PortfolioMargin> portfolio_margin(const AccountValuation& a, const PoolValuation& pool) {
  PortfolioMargin m;
  for (const std::string& feed : pool_underlyings(a, pool)) {
    const PortfolioMarginParameters* params = a.params->find_portfolio_margin(feed);
    if (params == nullptr) {  // check_portfolio_pool() rejects this first
      return Error(ErrorCode::invalid_value, "feed " + feed + " has no portfolio margin parameters",
                   std::string(input_path::account));
    }
    VMARGIN_TRY(UnderlyingMargin u, underlying_margin(a, pool, *params));
    const auto where = at_account("portfolio margin of the " + a.pool_name(pool));
    VMARGIN_TRY(m.initial_margin, add(m.initial_margin, u.initial_margin).on_error(where));
    VMARGIN_TRY(m.maintenance_margin, add(m.maintenance_margin, u.maintenance_margin).on_error(where));
    m.underlyings.push_back(std::move(u));
  }
  return m;
}

Status apply_portfolio_requirements(PoolFigures& r, const PortfolioMargin& margin, Ratio margin_call_ratio) {
  r.initial_margin = margin.initial_margin;
  r.maintenance_margin = margin.maintenance_margin;
  const auto where = at_account("portfolio margin of the cross pool");
  VMARGIN_TRY(const Money free, sub(r.initial_equity, r.initial_margin).on_error(where));
  r.free_collateral = max_of(free, Money::zero());
  VMARGIN_TRY(r.health, sub(r.equity, r.maintenance_margin).on_error(where));
  r.margin_ratio = margin_ratio(r.equity, r.maintenance_margin);
  r.status = classify(r.equity, r.maintenance_margin, margin_call_ratio);
  return Ok{};
}

}  // namespace vmargin
