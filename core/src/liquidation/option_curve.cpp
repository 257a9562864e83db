#include "vmargin/liquidation/option_curve.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "vmargin/margin/collateral.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/int256.hpp"

namespace vmargin {
namespace {

constexpr u128 scale = static_cast<u128>(fixed_scale);

// A bound of |computed - exact| of one option's per-unit value, the exact
// value being Black-76 on the same floored inputs (total volatility tv,
// discount, forward): ln's 1.05 ulp and h's floor move d1 by at most
// 2.05 ulp / tv, which moves each Phi by at most 0.4 x that, Phi's own
// error is at most 43 ulp, and the call and parity put scale by F and K.
// So (F + K) x (2 / tv + 60) x 10^-18, plus a few ulp of final floors.
// Plus §12.5's absolute terms for small forwards, 2 (1 + K / F) ulp + 100.
i128 unit_error(Price forward, Price strike, Ratio tv) {
  const u128 reach = static_cast<u128>(forward.raw()) + static_cast<u128>(strike.raw());
  const u128 per = 2 * scale / std::max<u128>(static_cast<u128>(tv.raw()), 1) + 60;
  const U256 e = divide_wide(mul_wide(reach, per), scale);
  const u128 small = static_cast<u128>(strike.raw()) / std::max<u128>(static_cast<u128>(forward.raw()), 1);
  if (e.hi != 0 || e.lo > static_cast<u128>(fixed_max_raw) / 8 ||
      small > static_cast<u128>(fixed_max_raw) / 8)
    return fixed_max_raw / 8;
  return static_cast<i128>(e.lo + 2 * small) + 118;
}

// The exact option's dV/dF on the floored inputs, bracketed: the call's is
// D x Phi(d1), the put's D x (Phi(d1) - 1). The computed D x N(d1) is within
// (2.05 x 0.4 / tv + 43) ulp of it (the argument of unit_error); (2 / tv +
// 64) ulp covers that, and the result is clipped to [0, D] (call) or
// [-D, 0] (put). No d1 (degenerate): the whole range. Settled: 0.
std::pair<i128, i128> delta_range(const OptionQuote& quote, OptionType type) {
  if (quote.settled) return {0, 0};
  const i128 d = quote.discount.raw();
  const i128 put_shift = type == OptionType::call ? 0 : -d;
  if (quote.prices.terms.degenerate) return {put_shift, d + put_shift};
  const u128 tv = std::max<u128>(static_cast<u128>(quote.prices.terms.total_volatility.raw()), 1);
  const u128 slack = std::min<u128>(2 * scale / tv + 64, static_cast<u128>(d));
  const i128 delta = quote.prices.call_delta.raw();
  const i128 low = std::max<i128>(delta - static_cast<i128>(slack), 0);
  const i128 high = std::min<i128>(delta + static_cast<i128>(slack), d);
  return {low + put_shift, high + put_shift};
}

Result<i128> sum(i128 a, i128 b) {
  VMARGIN_TRY(const Money r, add(Money::from_raw(a), Money::from_raw(b)));
  return r.raw();
}

}  // namespace

struct OptionPoolCurve::Values {
  struct Item {
    i128 value = 0;
    i128 error = 0;
  };
  std::vector<Item> collateral;
  std::vector<Item> pnl;
  std::vector<Item> maintenance;
  Item isolated_margin;
  // Per option on the feed, in group order.
  std::vector<i128> option_equity;
  std::vector<Price> option_unit_value;
  std::vector<i128> option_d1;                      // raw; meaningful when not exact
  std::vector<i128> option_tv;                      // raw total volatility
  std::vector<i128> option_error;                   // unit_error at this price; 0 when the quote is exact
  std::vector<std::pair<i128, i128>> option_delta;  // delta_range at this price
  std::vector<Price> forward;                       // per group
  std::vector<i128> group_maintenance;
  std::vector<i128> group_standard;
  std::vector<i128> group_netted;
};

// Round robin over the last 64 prices: an interval shares an end with the
// one before, and the liquidation and bankruptcy searches of a side probe
// the same prices until the liquidation bound first fails.
struct OptionPoolCurve::Cache {
  std::array<std::pair<Price, std::shared_ptr<const Values>>, 64> entries;
  std::size_t next = 0;
  std::array<Price, 4> reach;  // [boundary][direction]: proven_reach
};

namespace {

std::size_t reach_index(Boundary boundary, Direction direction) {
  return (boundary == Boundary::bankruptcy ? std::size_t{2} : 0) +
         (direction == Direction::above ? std::size_t{1} : 0);
}

// The farther of two prices from the mark on `direction`'s side.
Price farther(Direction direction, Price x, Price y) {
  return direction == Direction::below ? std::min(x, y) : std::max(x, y);
}

}  // namespace

Price OptionPoolCurve::proven_reach(Boundary boundary, Direction direction) const {
  const Price liquidation = cache_->reach[reach_index(Boundary::liquidation, direction)];
  if (boundary == Boundary::liquidation) return liquidation;
  return farther(direction, liquidation, cache_->reach[reach_index(Boundary::bankruptcy, direction)]);
}

void OptionPoolCurve::prove(Boundary boundary, Direction direction, Price near, Price far) const {
  Price& reach = cache_->reach[reach_index(boundary, direction)];
  if (farther(direction, near, proven_reach(boundary, direction)) == proven_reach(boundary, direction))
    reach = farther(direction, reach, far);
}

namespace {

// An option's per-unit error on [a, b]: where d1 lies, at both ends, on the
// same side beyond 62 plus its own error (2.05 ulp of h - k over tv, plus
// the truncation), Phi(d1) and Phi(d1 - tv) are exactly 0 or 1 at every
// price in between, computed or exact, and only the final floors remain.
i128 interval_error(const OptionPoolCurve::Values& va, const OptionPoolCurve::Values& vb, std::size_t n);

}  // namespace

Result<std::shared_ptr<const OptionPoolCurve::Values>> OptionPoolCurve::cached_values(Price price) const {
  for (const auto& [at, values] : cache_->entries)
    if (values && at == price) return values;
  VMARGIN_TRY(Values v, values_at(price));
  auto values = std::make_shared<const Values>(std::move(v));
  cache_->entries[cache_->next] = {price, values};
  cache_->next = (cache_->next + 1) % cache_->entries.size();
  return values;
}

namespace {

i128 interval_error(const OptionPoolCurve::Values& va, const OptionPoolCurve::Values& vb, std::size_t n) {
  const i128 error = std::max(va.option_error[n], vb.option_error[n]);
  if (error <= 16) return error;
  const i128 d1a = va.option_d1[n], d1b = vb.option_d1[n];
  if ((d1a < 0) != (d1b < 0)) return error;
  const u128 tv = std::max<u128>(static_cast<u128>(std::min(va.option_tv[n], vb.option_tv[n])), 1);
  const u128 drift = 3 * scale / tv + 1;  // >= 2.05 x 10^18 / tv + 1, raw d1
  const u128 nearest = std::min(magnitude(d1a), magnitude(d1b));
  const u128 saturated = 62 * scale;
  return nearest > saturated && nearest - saturated > drift ? i128{16} : error;
}

}  // namespace

Result<OptionPoolCurve> OptionPoolCurve::make(const AccountValuation& a, const PoolValuation& pool,
                                              const FeedPrice& feed, const HealthPoint& at_mark) {
  OptionPoolCurve c;
  c.account_ = &a;
  c.pool_ = &pool;
  c.feed_ = &feed;
  c.cache_ = std::make_shared<Cache>();
  c.cache_->reach.fill(feed.mark);
  for (const std::size_t i : pool.collateral)
    if (a.collateral[i].feed == &feed) c.collateral_.push_back(&a.collateral[i]);
  for (const std::size_t i : pool.positions)
    if (a.positions[i].feed == &feed) c.positions_.push_back(&a.positions[i]);
  for (const ExpiryGroup& g : pool.expiry_groups)
    if (a.options[g.options.front()].feed == &feed) c.groups_.push_back(&g);
  if (pool.isolated_margin && pool.positions.empty()) {
    const OptionValuation& o = a.options[pool.options.front()];
    if (o.market->inverse && o.feed == &feed) c.isolated_inverse_ = &o;
  }
  // Everything not on the feed stays fixed: the pool's figures less the
  // items on the feed as valued now.
  VMARGIN_TRY(const Values now, c.values_at(feed.mark));
  i128 equity = 0, maintenance = 0;
  for (const auto& v : now.collateral) {
    VMARGIN_TRY(equity, sum(equity, v.value));
  }
  for (const auto& v : now.pnl) {
    VMARGIN_TRY(equity, sum(equity, v.value));
  }
  VMARGIN_TRY(equity, sum(equity, now.isolated_margin.value));
  for (const i128 v : now.option_equity) {
    VMARGIN_TRY(equity, sum(equity, v));
  }
  for (const auto& v : now.maintenance) {
    VMARGIN_TRY(maintenance, sum(maintenance, v.value));
  }
  for (const i128 v : now.group_maintenance) {
    VMARGIN_TRY(maintenance, sum(maintenance, v));
  }
  VMARGIN_TRY(c.equity_other_, sub(at_mark.equity, Money::from_raw(equity)));
  VMARGIN_TRY(c.maintenance_other_, sub(at_mark.maintenance, Money::from_raw(maintenance)));
  return c;
}

Result<OptionPoolCurve::Values> OptionPoolCurve::values_at(Price price) const {
  const AccountValuation& a = *account_;
  Values v;
  for (const CollateralValuation* c : collateral_) {
    VMARGIN_TRY(const CollateralValue cv, value_collateral(c->balance->amount, price, price, c->weights));
    v.collateral.push_back({cv.maintenance_value.value.raw(), cv.maintenance_value.error});
  }
  for (const PositionValuation* p : positions_) {
    VMARGIN_TRY(const PositionHealth h, position_health(*p->market, *p->position, p->constants, price));
    v.pnl.push_back({h.equity_pnl.value.raw(), h.equity_pnl.error});
    v.maintenance.push_back({h.maintenance_margin.value.raw(), h.maintenance_margin.error});
  }
  if (isolated_inverse_ != nullptr) {
    VMARGIN_TRY(const Bounded<Money> m,
                option_margin_value(*isolated_inverse_->market, *pool_->isolated_margin, price));
    v.isolated_margin = {m.value.raw(), m.error};
  }
  for (const ExpiryGroup* g : groups_) {
    // The forward moves in proportion to the index (spec §13.5).
    OptionExpiry expiry = *g->expiry;
    VMARGIN_TRY(expiry.forward, moved_forward(g->expiry->forward, price, feed_->mark));
    v.forward.push_back(expiry.forward);
    Money standard = Money::zero();
    std::vector<ExpiryLeg> legs;
    bool settled = false;
    for (const std::size_t i : g->options) {
      const OptionValuation& o = a.options[i];
      // The valuation's quote at the moved forward: bit for bit what
      // quote_option gives with the moved expiry (only Black-76 reruns).
      VMARGIN_TRY(const OptionQuote quote, quote_at_forward(*o.market, o.quote, expiry.forward));
      VMARGIN_TRY(const OptionPositionValue value,
                  value_option_position(*o.market, *o.rules, *o.position, quote, price));
      settled = quote.settled;
      v.option_equity.push_back(value.equity_value.raw());
      v.option_unit_value.push_back(quote.value);
      VMARGIN_TRY(standard, add(standard, value.maintenance_margin));
      legs.push_back(ExpiryLeg{o.market->type, o.market->strike, o.position->quantity});
      // Exact quotes (settled; degenerate: K = 0, F = 0, the volatility
      // cap) need only the final floors' few ulp.
      const bool exact = settled || quote.prices.terms.degenerate;
      v.option_d1.push_back(quote.prices.terms.d1.raw());
      v.option_tv.push_back(quote.prices.terms.total_volatility.raw());
      v.option_error.push_back(
          exact ? i128{16}
                : unit_error(expiry.forward, o.market->strike, quote.prices.terms.total_volatility));
      v.option_delta.push_back(delta_range(quote, o.market->type));
    }
    i128 netted = 0;
    if (!settled) {
      VMARGIN_TRY(const NettedRequirement n, max_loss_requirement(legs, expiry.forward, g->rules->margin));
      netted = n.maintenance.raw();
    }
    v.group_netted.push_back(netted);
    v.group_standard.push_back(settled ? 0 : standard.raw());
    v.group_maintenance.push_back(settled ? 0 : std::min(standard.raw(), netted));
  }
  return v;
}

Result<HealthPoint> OptionPoolCurve::at(Price price) const {
  VMARGIN_TRY(const std::shared_ptr<const Values> values, cached_values(price));
  const Values& v = *values;
  i128 equity = equity_other_.raw(), maintenance = maintenance_other_.raw();
  for (const auto& x : v.collateral) {
    VMARGIN_TRY(equity, sum(equity, x.value));
  }
  for (const auto& x : v.pnl) {
    VMARGIN_TRY(equity, sum(equity, x.value));
  }
  VMARGIN_TRY(equity, sum(equity, v.isolated_margin.value));
  for (const i128 x : v.option_equity) {
    VMARGIN_TRY(equity, sum(equity, x));
  }
  for (const auto& x : v.maintenance) {
    VMARGIN_TRY(maintenance, sum(maintenance, x.value));
  }
  for (const i128 x : v.group_maintenance) {
    VMARGIN_TRY(maintenance, sum(maintenance, x));
  }
  return HealthPoint{Money::from_raw(equity), Money::from_raw(maintenance)};
}

namespace {

// Sums and products on raw integers where any overflow only withdraws the
// proof: `ok` turns false and the bound is reported as unsafe.
struct Tally {
  bool ok = true;
  i128 add(i128 x, i128 y) {
    i128 r = 0;
    if (!ok || add_fault(x, y, r) != Fault::none) ok = false;
    return ok ? r : 0;
  }
  i128 mul_div(i128 x, i128 y, i128 d, Round round) {
    i128 r = 0;
    if (!ok || mul_div_fault(x, y, d, round, r) != Fault::none) ok = false;
    return ok ? r : 0;
  }
};

}  // namespace

namespace {

I256 wide(i128 x) { return to_i256(x); }
I256 least_of(const I256& x, const I256& y) { return y < x ? y : x; }
I256 most_of(const I256& x, const I256& y) { return x < y ? y : x; }

// The least value over t in [0, 1] of max(l1(t), l2(t)), two lines given by
// their values at t = 0 and t = 1: at an end or where they cross (the max of
// two lines has one kink), the crossing rounded down. Sums are exact in 256
// bits; the crossing is used where its figures fit 128 bits.
I256 least_of_upper_envelope(const I256& l1a, const I256& l1b, const I256& l2a, const I256& l2b) {
  I256 least = least_of(most_of(l1a, l2a), most_of(l1b, l2b));
  const I256 da = l1a - l2a, db = l1b - l2b, rise = l1b - l1a, span = da - db;
  const I256 zero{};
  const bool crossing = (zero < da && db < zero) || (da < zero && zero < db);
  if (!crossing) return least;
  // Where the crossing cannot be computed, each line is at least its
  // smaller end there: a lower bound that needs no division.
  I256 at_crossing = most_of(least_of(l1a, l1b), least_of(l2a, l2b));
  if (fits_i128(da) && fits_i128(rise) && fits_i128(span)) {
    // l1(t*) = l1a + (l1b - l1a) x da / (da - db), with |da / (da - db)| < 1.
    i128 r = 0;
    if (mul_div_fault(narrow_i128(rise), narrow_i128(da), narrow_i128(span), Round::down, r) == Fault::none)
      at_crossing = l1a + wide(r);
  }
  return least_of(least, at_crossing);
}

// Lines below the pool's equity over [a, b], each by its values at a and b
// (docs/liquidation.md "Pools with options"). Every exact function on
// [a, b]: collateral, coin margin and PnL are linear and a short option's
// value (-|q| V) concave, so their sum lies above its chord; a long
// option's value is convex, so it lies above both end tangents, whose
// slopes delta_range brackets. Computed values differ from exact ones by at
// most their errors, counted twice (at the end and at the price). Besides,
// as computed, a long is worth at least 0 and a short owes at most |q| x
// its cap (F for a call, K for a put), with no error at all.
struct EquityLines {
  Tally errors, rise, fall;  // a tangent line whose reach overflowed is dropped
  I256 items_a, items_b;     // everything but the options
  i128 items_error = 0, options_error = 0;
  I256 shorts_a, shorts_b, shorts_capped;  // shorts and settled options
  I256 long_a, long_b, rise_from_a, fall_to_b;
  // The rising side's tangents only: calls' from a, puts' from b.
  I256 rising_a, rising_b;

  void item(const OptionPoolCurve::Values::Item& x, const OptionPoolCurve::Values::Item& y) {
    items_a = items_a + wide(x.value);
    items_b = items_b + wide(y.value);
    const i128 e = std::max(x.error, y.error);
    items_error = errors.add(items_error, errors.add(e, e));
  }
  // The largest least value over [a, b] of the upper envelope of a pair of
  // lines, each line less `minus` (a line given by its values at a and b);
  // none when a sum overflowed (no proof).
  std::optional<I256> least(const std::pair<I256, I256>& minus) const {
    if (!errors.ok) return std::nullopt;
    const I256 all_error = wide(items_error) + wide(options_error);
    const I256 chord_a = items_a + shorts_a - minus.first, chord_b = items_b + shorts_b - minus.second;
    std::vector<std::pair<I256, I256>> lines{{items_a - shorts_capped - wide(items_error) - minus.first,
                                              items_b - shorts_capped - wide(items_error) - minus.second}};
    if (rise.ok) lines.push_back({chord_a + long_a - all_error, chord_b + long_a + rise_from_a - all_error});
    if (fall.ok) lines.push_back({chord_a + long_b - fall_to_b - all_error, chord_b + long_b - all_error});
    if (rise.ok && fall.ok) lines.push_back({chord_a + rising_a - all_error, chord_b + rising_b - all_error});
    I256 best = least_of(lines[0].first, lines[0].second);
    for (std::size_t i = 0; i < lines.size(); ++i)
      for (std::size_t j = i + 1; j < lines.size(); ++j)
        best = most_of(
            best, least_of_upper_envelope(lines[i].first, lines[i].second, lines[j].first, lines[j].second));
    return best;
  }
};

}  // namespace

std::optional<I256> OptionPoolCurve::equity_lower_bound(const Values& va, const Values& vb, Price a, Price b,
                                                        const std::pair<I256, I256>& minus) const {
  EquityLines l;
  l.items_a = l.items_b = wide(equity_other_.raw());
  for (std::size_t i = 0; i < va.collateral.size(); ++i) l.item(va.collateral[i], vb.collateral[i]);
  for (std::size_t i = 0; i < va.pnl.size(); ++i) l.item(va.pnl[i], vb.pnl[i]);
  l.item(va.isolated_margin, vb.isolated_margin);
  const i128 width = b.raw() - a.raw();
  std::size_t n = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    // dF/dS = F0 / P0: the forward moves in proportion to the index.
    const i128 forward_now = groups_[gi]->expiry->forward.raw(), mark = feed_->mark.raw();
    const i128 forward_high = std::max(va.forward[gi].raw(), vb.forward[gi].raw());
    for (const std::size_t i : groups_[gi]->options) {
      const OptionValuation& o = account_->options[i];
      const i128 q = o.position->quantity.raw();
      Tally& t = l.errors;
      const i128 each =
          t.add(t.mul_div(q < 0 ? -q : q, interval_error(va, vb, n) + 2, fixed_scale, Round::up), 2);
      l.options_error = t.add(l.options_error, t.add(each, each));
      const I256 at_a = wide(va.option_equity[n]), at_b = wide(vb.option_equity[n]);
      if (q < 0 || o.quote.settled) {
        l.shorts_a = l.shorts_a + at_a;
        l.shorts_b = l.shorts_b + at_b;
        // A settled option's value is fixed; a short's at most |q| x cap.
        const i128 cap = o.market->type == OptionType::call ? forward_high : o.market->strike.raw();
        l.shorts_capped =
            l.shorts_capped + (o.quote.settled ? -at_a : wide(t.mul_div(-q, cap, fixed_scale, Round::up)));
        ++n;
        continue;
      }
      // w x q x dV/dF x F0 / P0 x (b - a), each factor rounded the safe way.
      const i128 w = o.rules->long_value_weight.raw();
      const auto reach = [&](Tally& r, i128 delta, Round round) {
        const i128 per_index = r.mul_div(delta, forward_now, mark, round);
        const i128 weighted = r.mul_div(w, q, fixed_scale, round);
        return wide(r.mul_div(r.mul_div(weighted, per_index, fixed_scale, round), width, fixed_scale, round));
      };
      const I256 up = reach(l.rise, va.option_delta[n].first, Round::down);
      const I256 down = reach(l.fall, vb.option_delta[n].second, Round::up);
      l.long_a = l.long_a + at_a;
      l.long_b = l.long_b + at_b;
      l.rise_from_a = l.rise_from_a + up;
      l.fall_to_b = l.fall_to_b + down;
      const bool call = o.market->type == OptionType::call;
      l.rising_a = l.rising_a + (call ? at_a : at_b - down);
      l.rising_b = l.rising_b + (call ? at_a + up : at_b);
      ++n;
    }
  }
  return l.least(minus);
}

// Lines above the pool's maintenance over [a, b], by their values at a
// and b; none when a sum overflowed. Linear positions' maintenance is
// monotone in the price (its maximum is at an end): a constant line. A
// group's standard requirement is convex (c S + V, max(c S, c' V) + V, V
// convex), so below its chord; its netted one is the loss (fixed) plus
// the unpaired charge, affine in the forward up to its roundings, so within
// them of its chord too. A group's requirement, the smaller of the two, is
// below either chord; the first line takes each group's chord that is
// lower at a, the second the one lower at b (both are valid bounds).
std::array<std::optional<std::pair<i128, i128>>, 2> OptionPoolCurve::maintenance_upper_bound(
    const Values& va, const Values& vb) const {
  const AccountValuation& acc = *account_;
  Tally t;
  i128 other = maintenance_other_.raw();
  for (std::size_t i = 0; i < va.maintenance.size(); ++i) {
    const auto& x = va.maintenance[i];
    const auto& y = vb.maintenance[i];
    const i128 e = std::max(x.error, y.error);
    other = t.add(other, t.add(std::max(x.value, y.value), t.add(e, e)));
  }
  std::array<std::pair<i128, i128>, 2> lines{{{other, other}, {other, other}}};
  std::size_t n = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const ExpiryGroup& g = *groups_[gi];
    i128 error = 0, net_calls = 0;
    for (const std::size_t i : g.options) {
      const OptionValuation& o = acc.options[i];
      const i128 q = o.position->quantity.raw();
      if (o.market->type == OptionType::call) net_calls = t.add(net_calls, q);
      if (q < 0 && !o.quote.settled) {
        // A unit's requirement moves with V at most (1 + c') times as much.
        const i128 mark_rate = o.rules->margin.put_maintenance_mark_rate.raw();
        const i128 times = o.market->type == OptionType::put ? 2 + mark_rate / fixed_scale : 1;
        const i128 unit = t.add(t.mul_div(interval_error(va, vb, n) + 2, times, 1, Round::up), 4);
        const i128 each = t.add(t.mul_div(-q, unit, fixed_scale, Round::up), 2);
        error = t.add(error, t.add(each, each));
      }
      ++n;
    }
    if (acc.options[g.options.front()].quote.settled) continue;
    // The unpaired charge up(|net|, up(u, F)) with F floored: within
    // |net| (1 + u) ulp + 1 of |net| u F / S exactly, at each price.
    const i128 u = g.rules->margin.unpaired_maintenance_scale.raw();
    const i128 net = net_calls < 0 ? -net_calls : net_calls;
    const i128 drift = t.add(t.mul_div(net, t.add(fixed_scale, u), fixed_scale, Round::up), 1);
    const i128 netted_error = t.add(t.mul_div(drift, 1, fixed_scale, Round::up), 2);
    const std::pair<i128, i128> standard{t.add(va.group_standard[gi], error),
                                         t.add(vb.group_standard[gi], error)};
    const std::pair<i128, i128> netted{t.add(va.group_netted[gi], t.add(netted_error, netted_error)),
                                       t.add(vb.group_netted[gi], t.add(netted_error, netted_error))};
    for (std::size_t side = 0; side < 2; ++side) {
      const bool at_a = side == 0;
      const bool standard_lower = at_a ? standard.first <= netted.first : standard.second <= netted.second;
      const std::pair<i128, i128>& chord = standard_lower ? standard : netted;
      lines[side].first = t.add(lines[side].first, chord.first);
      lines[side].second = t.add(lines[side].second, chord.second);
    }
  }
  if (!t.ok) return {};
  return {lines[0], lines[1]};
}

Result<OptionPoolCurve::IntervalProof> OptionPoolCurve::proves_safe(Price a, Price b,
                                                                    Boundary boundary) const {
  VMARGIN_TRY(const std::shared_ptr<const Values> at_a, cached_values(a));
  VMARGIN_TRY(const std::shared_ptr<const Values> at_b, cached_values(b));
  IntervalProof proof;
  const auto note = [&proof](const I256& least) {
    if (!(least < I256{})) return;
    const I256 shortfall = I256{} - least;
    const i128 s = fits_i128(shortfall) ? narrow_i128(shortfall) : fixed_max_raw;
    proof.shortfall = proof.shortfall ? std::min(*proof.shortfall, s) : s;
  };
  const auto lines = maintenance_upper_bound(*at_a, *at_b);
  if (boundary == Boundary::bankruptcy) {
    // The equity lines alone; the maintenance matters only at equity 0
    // (its largest value, or the range's end when its sum overflowed).
    const std::optional<I256> equity = equity_lower_bound(*at_a, *at_b, a, b, {I256{}, I256{}});
    if (!equity) return proof;
    i128 maintenance = fixed_max_raw;
    for (const auto& m : lines)
      if (m) maintenance = std::min(maintenance, std::max(m->first, m->second));
    const I256 clipped = *equity < wide(-fixed_max_raw) ? wide(-fixed_max_raw) : *equity;
    if (!is_bankrupt(Money::from_raw(fits_i128(clipped) ? narrow_i128(clipped) : fixed_max_raw),
                     Money::from_raw(maintenance)))
      return IntervalProof{true, std::nullopt};
    note(*equity < I256{} ? *equity : wide(-1));  // bankrupt at 0 with a requirement: 1 ulp short
    return proof;
  }
  for (const std::optional<std::pair<i128, i128>>& m : lines) {
    if (!m) continue;
    // equity - maintenance >= 0 everywhere: the maintenance line is
    // subtracted from every equity line (their difference stays a line).
    const std::optional<I256> health =
        equity_lower_bound(*at_a, *at_b, a, b, {wide(m->first), wide(m->second)});
    if (health && !(*health < I256{})) return IntervalProof{true, std::nullopt};
    if (health) note(*health);
  }
  return proof;
}

namespace {

// The health the search drives to zero, as is_unsafe reads it: equity -
// maintenance (liquidation) or equity (bankruptcy); none on overflow.
std::optional<i128> slack_of(Boundary boundary, const HealthPoint& p) {
  if (boundary == Boundary::bankruptcy) return p.equity.raw();
  i128 r = 0;
  if (__builtin_sub_overflow(p.equity.raw(), p.maintenance.raw(), &r)) return std::nullopt;
  return r;
}

// A price the search has evaluated, with its slack (raw).
struct Known {
  i128 price = 0;
  i128 slack = 0;
};

// distance x part / (part - other), rounded down, for part >= 0 >= other:
// where the line through (0, part) and (distance, other) meets zero.
// Halving both keeps the denominator in range; none when it cannot.
std::optional<i128> zero_of_line(i128 distance, i128 part, i128 other) {
  for (int halvings = 0; halvings < 2; ++halvings) {
    i128 span = 0;
    if (!__builtin_sub_overflow(part, other, &span) && span > 0) {
      i128 r = 0;
      if (mul_div_fault(distance, part, span, Round::down, r) != Fault::none) return std::nullopt;
      return r;
    }
    part /= 2;
    other /= 2;
  }
  return std::nullopt;
}

class Gallop {
 public:
  Gallop(const OptionPoolCurve& curve, const BoundarySearch& s) : curve_(curve), s_(s) {}

  // Every grid price the search passes was evaluated or lies in a proven
  // interval, so the first unsafe one is never stepped over. Where the next
  // interval ends, and which single prices are evaluated ahead of the
  // proofs to locate the boundary, change the number of evaluations only.
  Result<std::optional<Price>> run() {
    const i128 t = s_.tick.raw();
    const bool below = s_.direction == Direction::below;
    // Every price up to the curve's proven reach is safe: grid indices k
    // (price k x t) beyond it on the searched side, nearest first.
    const i128 start = curve_.proven_reach(s_.boundary, s_.direction).raw();
    const i128 first = below ? (start - 1) / t : start / t + 1;
    last_ = below ? 1 : fixed_max_raw / t;
    if (below ? first < last_ : first > last_) return std::optional<Price>{};
    dir_ = below ? -1 : 1;
    k_ = first;
    safe_end_ = start;
    near_next_ = first;
    while (below ? k_ >= last_ : k_ <= last_) {
      if (unsafe_ && unsafe_k_ == k_) {
        if (!unsafe_valued_) return std::optional<Price>{};  // beyond the valuable range
        return std::optional<Price>{candidate_before(k_)};
      }
      if (unsafe_ && near_next_ != unsafe_k_) {
        VMARGIN_CHECK(locate());
        continue;
      }
      const i128 width = next_width();
      if (width == 1) {
        VMARGIN_TRY(const std::optional<HealthPoint> p, probe_point(Price::from_raw(k_ * t)));
        if (!p) return std::optional<Price>{};  // beyond the valuable range
        if (is_unsafe(s_.boundary, *p)) return std::optional<Price>{candidate_before(k_)};
        advance(k_, *p, 2);
        cap_ = std::max<i128>(cap_, 2);  // then an interval again
        continue;
      }
      VMARGIN_CHECK(prove(width));
    }
    return std::optional<Price>{};
  }

 private:
  // The answer when grid index k is the first unsafe one: the grid price
  // before it, or the mark.
  [[nodiscard]] Price candidate_before(i128 k) const {
    const i128 candidate = (k - dir_) * s_.tick.raw(), p0 = s_.mark.raw();
    return Price::from_raw(dir_ < 0 ? std::min(candidate, p0) : std::max(candidate, p0));
  }

  // One interval from the last safe price over `width` grid prices.
  Status prove(i128 width) {
    const i128 t = s_.tick.raw();
    const i128 far = k_ + dir_ * (width - 1);
    const bool below = dir_ < 0;
    const Price lo = Price::from_raw(below ? far * t : safe_end_);
    const Price hi = Price::from_raw(below ? safe_end_ : far * t);
    VMARGIN_TRY(const OptionPoolCurve::IntervalProof proof, probe_interval(lo, hi));
    // Both ends are evaluated now: their health costs no pricing.
    const Result<HealthPoint> at_start = curve_.at(Price::from_raw(safe_end_));
    if (!near_ && at_start.ok()) near_ = known(safe_end_, *at_start);
    const Result<HealthPoint> at_far = curve_.at(Price::from_raw(far * t));
    if (proof.safe) {
      curve_.prove(s_.boundary, s_.direction, Price::from_raw(safe_end_), Price::from_raw(far * t));
      // Before the boundary is located the intervals grow 32-fold, with the
      // bound's limit doubling; after, the limit is lifted, and intervals
      // that were at their least width (past a kink) grow twofold.
      const i128 next = unsafe_ ? (width == base_ ? 2 * width : 2) : 32 * width;
      cap_ = unsafe_ ? fixed_max_raw : (cap_ < (i128{1} << 100) ? cap_ * 2 : cap_);
      if (at_far.ok()) {
        advance(far, *at_far, next);
      } else {
        skip_to(far, next);
      }
    } else if (at_far.ok() && is_unsafe(s_.boundary, *at_far)) {
      note_unsafe(far, &*at_far);
    } else if (!at_far.ok() && at_far.error().code() == ErrorCode::overflow) {
      note_unsafe(far, nullptr);  // beyond the valuable range: the search ends there at the latest
    } else {
      // The bound is too loose this wide: narrower intervals from now on,
      // and how fast it loosens (its shortfall plus the ends' smaller
      // slack, per unit of width) sizes the next one.
      cap_ = std::max<i128>(1, width / 2);
      const std::optional<i128> s0 = at_start.ok() ? slack_of(s_.boundary, *at_start) : std::nullopt;
      const std::optional<i128> s1 = at_far.ok() ? slack_of(s_.boundary, *at_far) : std::nullopt;
      Tally tally;
      if (proof.shortfall && s0 && s1) {
        loss_ = tally.add(*proof.shortfall, std::min(*s0, *s1));
        loss_width_ = hi.raw() - lo.raw();
        if (!tally.ok || loss_ < 0) loss_ = 0;
      }
    }
    return Ok{};
  }

  // An unsafe price is known but not yet its neighbour on the mark's side:
  // evaluate the grid price where the chord between the nearest known safe
  // and unsafe prices meets zero (regula falsi; after two moves of one end
  // the other end's slack counts half, a quarter..., the Illinois rule, so
  // neither end stalls).
  Status locate() {
    const i128 t = s_.tick.raw();
    // Halfway where the chord is unknown (no slack: the pool cannot be
    // valued there, or a sum overflowed).
    i128 g = near_next_ + (unsafe_k_ - near_next_) / 2;
    if (near_ && unsafe_slack_) {
      i128 safe_slack = near_->slack, unsafe_slack = *unsafe_slack_;
      if (safe_run_ >= 2) unsafe_slack /= i128{1} << std::min(safe_run_ - 1, 100);
      if (unsafe_run_ >= 2) safe_slack /= i128{1} << std::min(unsafe_run_ - 1, 100);
      const std::optional<i128> reach =
          zero_of_line(dir_ * (unsafe_k_ * t - near_->price), safe_slack, unsafe_slack);
      if (reach) {
        const i128 zero = near_->price + dir_ * *reach;
        g = dir_ < 0 ? (zero + t - 1) / t : zero / t;  // on the safe side of the zero
      }
    }
    if (dir_ * (g - near_next_) < 0) g = near_next_;
    if (dir_ * (unsafe_k_ - g) < 1) g = unsafe_k_ - dir_;
    VMARGIN_TRY(const std::optional<HealthPoint> p, probe_point(Price::from_raw(g * t)));
    if (!p || is_unsafe(s_.boundary, *p)) {
      note_unsafe(g, p ? &*p : nullptr);
    } else if (g == k_) {
      advance(k_, *p, 2);
    } else {
      note_safe(g, *p);
    }
    return Ok{};
  }

  [[nodiscard]] std::optional<Known> known(i128 price, const HealthPoint& p) const {
    const std::optional<i128> slack = slack_of(s_.boundary, p);
    return slack ? std::optional<Known>{Known{price, *slack}} : std::nullopt;
  }
  // p: the health at grid index k, none where the pool cannot be valued.
  void note_unsafe(i128 k, const HealthPoint* p) {
    if (dir_ * (k - near_next_) < 0) {
      // Nearer than the price located safe (an unsafe stretch before a
      // safe gap): the bracket starts again from the proven reach.
      const Result<HealthPoint> at_reach = curve_.at(Price::from_raw(safe_end_));
      near_ = at_reach.ok() ? known(safe_end_, *at_reach) : std::nullopt;
      near_next_ = k_;
      safe_run_ = 0;
    }
    unsafe_ = true;
    unsafe_k_ = k;
    unsafe_valued_ = p != nullptr;
    unsafe_slack_ = p ? slack_of(s_.boundary, *p) : std::nullopt;
    base_ = 2;  // the growth before it no longer applies
    ++unsafe_run_;
    safe_run_ = 0;
  }
  // Grid index k (beyond the proven ones) was evaluated safe.
  void note_safe(i128 k, const HealthPoint& p) {
    near_ = known(k * s_.tick.raw(), p);
    near_next_ = k + dir_;
    ++safe_run_;
    unsafe_run_ = 0;
  }
  // Grid index k is safe and everything before it too.
  void advance(i128 k, const HealthPoint& p, i128 next_base) {
    skip_to(k, next_base);
    if (dir_ * (near_next_ - k_) <= 0) note_safe(k, p);
  }
  void skip_to(i128 k, i128 next_base) {
    safe_end_ = k * s_.tick.raw();
    k_ = k + dir_;
    base_ = next_base;
    if (dir_ * (near_next_ - k_) < 0) {
      near_next_ = k_;  // the located safe price is behind the proven reach
      near_.reset();
    }
  }

  // How many grid prices the next interval covers (1: a single price).
  // Before any unsafe price is known the intervals grow while proven. Once
  // the boundary is located, all the way to it; where the bound was too
  // loose, the far end stays as far from the boundary as the bound's
  // loosening per unit of width (measured on the failed interval) against
  // the health's slope there (measured at the boundary) requires, with a
  // quarter to spare, and at least twice the last proven width (where the
  // bound loosens at a kink rather than in proportion to the width).
  [[nodiscard]] i128 next_width() const {
    const i128 room = dir_ < 0 ? k_ - last_ + 1 : last_ - k_ + 1;
    if (!unsafe_) return std::max<i128>(1, std::min({base_, room, cap_}));
    const i128 way = dir_ * (unsafe_k_ - k_);  // grid prices before the unsafe one
    const std::optional<i128> keep = kept_distance();
    const i128 want = keep ? std::max(way - *keep / s_.tick.raw() - 1, base_) : way;
    return std::max<i128>(1, std::min({want, way, room, cap_}));
  }
  // x = D 5 kappa / (4 s' + 5 kappa): the distance from the boundary at
  // which s' x covers kappa (D - x) with a quarter to spare, D the distance
  // from the last safe price to the boundary.
  [[nodiscard]] std::optional<i128> kept_distance() const {
    if (loss_width_ <= 0 || !near_ || !unsafe_slack_ || near_next_ != unsafe_k_) return std::nullopt;
    Tally t;
    const i128 u = unsafe_k_ * s_.tick.raw();
    const i128 kappa = t.mul_div(loss_, 5 * fixed_scale, loss_width_, Round::up);
    i128 drop = 0;
    if (__builtin_sub_overflow(near_->slack, *unsafe_slack_, &drop)) return std::nullopt;
    const i128 slope = t.mul_div(drop, 4 * fixed_scale, dir_ * (u - near_->price), Round::down);
    const i128 x = t.mul_div(dir_ * (u - safe_end_), kappa, t.add(slope, kappa), Round::up);
    if (!t.ok || slope <= 0) return std::nullopt;
    return x;
  }

  Status spend(int n) {
    evaluations_ += static_cast<std::size_t>(n);
    if (evaluations_ <= s_.budget) return Ok{};
    return Error(ErrorCode::liquidation_price_unresolved,
                 "the search for the " +
                     std::string(s_.boundary == Boundary::liquidation ? "liquidation" : "bankruptcy") +
                     " price of a pool with options did not conclude within " + std::to_string(s_.budget) +
                     " evaluations");
  }
  // none: the pool cannot be valued at that price (overflow).
  Result<std::optional<HealthPoint>> probe_point(Price p) {
    VMARGIN_CHECK(spend(1));
    Result<HealthPoint> r = curve_.at(p);
    if (!r.ok()) {
      if (r.error().code() == ErrorCode::overflow) return std::optional<HealthPoint>{};
      return std::move(r).error();
    }
    return std::optional<HealthPoint>{*r};
  }
  // Whether every price in [a, b] is proven safe (an overflow proves nothing).
  Result<OptionPoolCurve::IntervalProof> probe_interval(Price a, Price b) {
    VMARGIN_CHECK(spend(2));
    Result<OptionPoolCurve::IntervalProof> r = curve_.proves_safe(a, b, s_.boundary);
    if (!r.ok() && r.error().code() == ErrorCode::overflow) return OptionPoolCurve::IntervalProof{};
    return r;
  }

  const OptionPoolCurve& curve_;
  const BoundarySearch& s_;
  std::size_t evaluations_ = 0;
  i128 dir_ = 1, last_ = 0;
  i128 k_ = 0;                // the next grid index not yet proven safe
  i128 safe_end_ = 0;         // a price known safe, adjacent to k on the mark's side
  i128 base_ = 2;             // the next width: an interval first keeps the reach contiguous
  i128 cap_ = fixed_max_raw;  // the widest interval the bound may prove
  // The last failed interval: its shortfall plus its ends' smaller slack,
  // over its width (raw).
  i128 loss_ = 0, loss_width_ = 0;
  // The nearest price evaluated safe (proven or not) and the grid index
  // after it; the nearest unsafe grid index and its slack.
  std::optional<Known> near_;
  i128 near_next_ = 0;
  bool unsafe_ = false, unsafe_valued_ = false;
  i128 unsafe_k_ = 0;
  std::optional<i128> unsafe_slack_;
  int safe_run_ = 0, unsafe_run_ = 0;  // consecutive moves of each end
};

}  // namespace

Result<std::optional<Price>> find_option_boundary(const OptionPoolCurve& curve,
                                                  const BoundarySearch& search) {
  return Gallop(curve, search).run();
}

Result<const OptionPoolCurve*> OptionCurves::get(const AccountValuation& account, const PoolValuation& pool,
                                                 const FeedPrice& feed, const HealthPoint& at_mark) {
  for (const Entry& e : curves_)
    if (e.pool == &pool && e.feed == &feed) return e.curve.get();
  VMARGIN_TRY(OptionPoolCurve curve, OptionPoolCurve::make(account, pool, feed, at_mark));
  curves_.push_back(Entry{&pool, &feed, std::make_unique<OptionPoolCurve>(std::move(curve))});
  return curves_.back().curve.get();
}

}  // namespace vmargin
