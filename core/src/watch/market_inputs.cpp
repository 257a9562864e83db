#include "vmargin/watch/market_inputs.hpp"

#include <algorithm>
#include <utility>

namespace vmargin::watch {
namespace {

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// A settlement asset's feed is read where a market settles in a priced coin
// (inverse markets); reading more than the engine does costs a re-evaluation,
// never a missed change.
void add_asset_feed(const RiskParameters& params, const std::string& asset, MarketInputs& in) {
  if (const CollateralAsset* a = params.find_asset(asset); a != nullptr && a->feed)
    in.feeds.push_back(*a->feed);
}

bool same_feed(const FeedPrice& a, const FeedPrice& b) {
  return a.mark == b.mark && a.stable == b.stable && a.volatility == b.volatility;
}

bool same_smile(const SviParameters& a, const SviParameters& b) {
  return a.a == b.a && a.b == b.b && a.rho == b.rho && a.m == b.m && a.sigma == b.sigma &&
         a.forward == b.forward && a.tau == b.tau;
}

bool same_expiry(const OptionExpiry& a, const OptionExpiry& b) {
  return a.forward == b.forward && a.rate == b.rate && same_smile(a.svi, b.svi) &&
         a.settlement_price == b.settlement_price && a.volatility_shift == b.volatility_shift;
}

// Keys present in one sorted list only, or present in both with different
// values, in key order.
template <class T, class Key, class Same, class Out>
void sorted_diff(const std::vector<T>& before, const std::vector<T>& after, Key key, Same same, Out& out) {
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && key(*b) < key(*a))) {
      out.push_back(key(*b++));
    } else if (b == before.end() || key(*a) < key(*b)) {
      out.push_back(key(*a++));
    } else {
      if (!same(*b, *a)) out.push_back(key(*a));
      ++a;
      ++b;
    }
  }
}

}  // namespace

MarketInputs market_inputs(const RiskParameters& params, const Account& account) {
  MarketInputs in;
  for (const CollateralBalance& c : account.collateral) add_asset_feed(params, c.asset, in);
  for (const Position& p : account.positions) {
    if (const Market* m = params.find_market(p.market)) {
      in.feeds.push_back(m->feed);
      add_asset_feed(params, m->settlement_asset, in);
      if (m->expiry_ms) in.future_expiries.push_back(*m->expiry_ms);
    } else if (const OptionMarket* o = params.find_option_market(p.market)) {
      in.feeds.push_back(o->feed);
      add_asset_feed(params, o->settlement_asset, in);
      in.option_expiries.push_back(ExpiryKey{o->feed, o->expiry_ms});
    }
  }
  sort_unique(in.feeds);
  sort_unique(in.option_expiries);
  sort_unique(in.future_expiries);
  return in;
}

std::vector<std::int64_t> time_view(const MarketInputs& inputs, std::int64_t as_of_ms) {
  std::vector<std::int64_t> view;
  view.reserve(inputs.future_expiries.size() + inputs.option_expiries.size());
  for (const std::int64_t e : inputs.future_expiries) view.push_back(as_of_ms >= e ? 1 : 0);
  // The same whole seconds the option quote uses (margin/option_position).
  for (const ExpiryKey& e : inputs.option_expiries)
    view.push_back(as_of_ms >= e.expiry_ms ? -1 : (e.expiry_ms - as_of_ms) / 1000);
  return view;
}

PriceChanges price_changes(const MarketState& before, const MarketState& after) {
  PriceChanges changes;
  sorted_diff(
      before.feeds, after.feeds, [](const FeedPrice& f) -> const std::string& { return f.feed; }, same_feed,
      changes.feeds);
  sorted_diff(
      before.option_expiries, after.option_expiries,
      [](const OptionExpiry& e) {
        return ExpiryKey{e.feed, e.expiry_ms};
      },
      same_expiry, changes.option_expiries);
  changes.time = before.as_of_ms != after.as_of_ms;
  return changes;
}

}  // namespace vmargin::watch
