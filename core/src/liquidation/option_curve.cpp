#include "vmargin/liquidation/option_curve.hpp"

#include <algorithm>
#include <array>
#include <memory>
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
    v.pnl.push_back({h.unrealized_pnl.value.raw(), h.unrealized_pnl.error});
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
  if (crossing && fits_i128(da) && fits_i128(rise) && fits_i128(span)) {
    // l1(t*) = l1a + (l1b - l1a) x da / (da - db), with |da / (da - db)| < 1.
    i128 r = 0;
    if (mul_div_fault(narrow_i128(rise), narrow_i128(da), narrow_i128(span), Round::down, r) == Fault::none)
      least = least_of(least, l1a + wide(r));
  }
  return least;
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
  // The largest least value of the upper envelope of a pair of lines,
  // clipped to the fixed-point range.
  i128 least() const {
    if (!errors.ok) return -fixed_max_raw;
    const I256 all_error = wide(items_error) + wide(options_error);
    const I256 chord_a = items_a + shorts_a, chord_b = items_b + shorts_b;
    std::vector<std::pair<I256, I256>> lines{
        {items_a - shorts_capped - wide(items_error), items_b - shorts_capped - wide(items_error)}};
    if (rise.ok) lines.push_back({chord_a + long_a - all_error, chord_b + long_a + rise_from_a - all_error});
    if (fall.ok) lines.push_back({chord_a + long_b - fall_to_b - all_error, chord_b + long_b - all_error});
    if (rise.ok && fall.ok) lines.push_back({chord_a + rising_a - all_error, chord_b + rising_b - all_error});
    I256 best = least_of(lines[0].first, lines[0].second);
    for (std::size_t i = 0; i < lines.size(); ++i)
      for (std::size_t j = i + 1; j < lines.size(); ++j)
        best = most_of(
            best, least_of_upper_envelope(lines[i].first, lines[i].second, lines[j].first, lines[j].second));
    if (best < wide(-fixed_max_raw)) return -fixed_max_raw;
    return fits_i128(best) ? narrow_i128(best) : fixed_max_raw;
  }
};

}  // namespace

i128 OptionPoolCurve::equity_lower_bound(const Values& va, const Values& vb, Price a, Price b) const {
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
  return l.least();
}

// Linear positions' maintenance is monotone in the price (its maximum is at
// an end); a group's standard requirement is convex (c S + V, max(c S,
// c' V) + V, V convex), so at most its larger end value; the netted one
// grows with the forward.
i128 OptionPoolCurve::maintenance_upper_bound(const Values& va, const Values& vb) const {
  const AccountValuation& acc = *account_;
  Tally t;
  i128 maintenance = maintenance_other_.raw();
  for (std::size_t i = 0; i < va.maintenance.size(); ++i) {
    const auto& x = va.maintenance[i];
    const auto& y = vb.maintenance[i];
    const i128 e = std::max(x.error, y.error);
    maintenance = t.add(maintenance, t.add(std::max(x.value, y.value), t.add(e, e)));
  }
  std::size_t n = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const ExpiryGroup& g = *groups_[gi];
    i128 error = 0;
    for (const std::size_t i : g.options) {
      const OptionValuation& o = acc.options[i];
      const i128 q = o.position->quantity.raw();
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
    const i128 standard = t.add(std::max(va.group_standard[gi], vb.group_standard[gi]), error);
    const i128 netted = std::max(va.group_netted[gi], vb.group_netted[gi]);
    maintenance = t.add(maintenance, std::min(standard, netted));
  }
  return t.ok ? maintenance : fixed_max_raw;
}

Result<HealthPoint> OptionPoolCurve::bound(Price a, Price b) const {
  VMARGIN_TRY(const std::shared_ptr<const Values> at_a, cached_values(a));
  VMARGIN_TRY(const std::shared_ptr<const Values> at_b, cached_values(b));
  return HealthPoint{Money::from_raw(equity_lower_bound(*at_a, *at_b, a, b)),
                     Money::from_raw(maintenance_upper_bound(*at_a, *at_b))};
}

namespace {

class Gallop {
 public:
  Gallop(const OptionPoolCurve& curve, const BoundarySearch& s) : curve_(curve), s_(s) {}

  Result<std::optional<Price>> run() {
    const i128 t = s_.tick.raw();
    const i128 p0 = s_.mark.raw();
    const bool below = s_.direction == Direction::below;
    // Every price up to the curve's proven reach is safe: grid indices k
    // (price k x t) beyond it on the searched side, nearest first.
    const i128 start = curve_.proven_reach(s_.boundary, s_.direction).raw();
    const i128 first = below ? (start - 1) / t : start / t + 1;
    const i128 last = below ? 1 : fixed_max_raw / t;
    if (below ? first < last : first > last) return std::optional<Price>{};
    const i128 dir = below ? -1 : 1;
    i128 k = first;         // the next grid index not yet proven safe
    i128 safe_end = start;  // a price known safe, adjacent to k on the mark's side
    i128 step = 2;          // an interval first: a proof from the start keeps the reach contiguous
    // Intervals grow twofold while proven safe and halve when not; an unproven
    // interval's end becomes a limit no later interval crosses until the
    // search reaches it, so near a boundary the search bisects.
    bool limited = false;
    i128 limit = 0;
    while (below ? k >= last : k <= last) {
      if (limited && k == limit) {
        limited = false;
        step = std::max<i128>(step, 2);
      }
      if (step == 1) {
        VMARGIN_TRY(const std::optional<HealthPoint> p, probe_point(Price::from_raw(k * t)));
        if (!p) return std::optional<Price>{};  // beyond the valuable range
        if (is_unsafe(s_.boundary, *p)) {
          const i128 candidate = k * t - dir * t;
          return std::optional<Price>{
              Price::from_raw(below ? std::min(candidate, p0) : std::max(candidate, p0))};
        }
        safe_end = k * t;
        k += dir;
        step = 2;
        continue;
      }
      // The interval from k to k + dir x (step - 1), clipped to the grid
      // and to the limit.
      i128 room = below ? k - last + 1 : last - k + 1;
      if (limited) room = std::min(room, below ? k - limit : limit - k);
      const i128 width = std::min(step, room);
      const i128 far = k + dir * (width - 1);
      const Price lo = Price::from_raw(below ? far * t : safe_end);
      const Price hi = Price::from_raw(below ? safe_end : far * t);
      VMARGIN_TRY(const std::optional<HealthPoint> bound, probe_interval(lo, hi));
      if (bound && !is_unsafe(s_.boundary, *bound)) {
        curve_.prove(s_.boundary, s_.direction, Price::from_raw(safe_end), Price::from_raw(far * t));
        safe_end = far * t;
        k = far + dir;
        if (width == step && step < (i128{1} << 100)) step *= 2;
      } else {
        // The unproven interval's end: later intervals stop there, so the
        // search bisects toward the first unsafe price instead of
        // overshooting it again.
        limited = true;
        limit = k + dir * width;
        step = std::max<i128>(1, width / 2);
      }
    }
    return std::optional<Price>{};
  }

 private:
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
  Result<std::optional<HealthPoint>> probe_interval(Price a, Price b) {
    VMARGIN_CHECK(spend(2));
    Result<HealthPoint> r = curve_.bound(a, b);
    if (!r.ok()) {
      if (r.error().code() == ErrorCode::overflow) return std::optional<HealthPoint>{};
      return std::move(r).error();
    }
    return std::optional<HealthPoint>{*r};
  }

  const OptionPoolCurve& curve_;
  const BoundarySearch& s_;
  std::size_t evaluations_ = 0;
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
