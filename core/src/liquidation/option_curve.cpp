#include "vmargin/liquidation/option_curve.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "vmargin/margin/collateral.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {
namespace {

constexpr u128 scale = static_cast<u128>(fixed_scale);

// A bound of |computed - exact| of one option's per-unit value, the exact
// value being Black-76 on the same floored inputs (total volatility tv,
// discount, forward): ln's 1.05 ulp and h's floor move d1 by at most
// 2.05 ulp / tv, which moves each Phi by at most 0.4 x that, Phi's own
// error is at most 43 ulp, and the call and parity put scale by F and K.
// So (F + K) x (2 / tv + 60) x 10^-18, plus a few ulp of final floors.
i128 unit_error(Price forward, Price strike, Ratio tv) {
  const u128 reach = static_cast<u128>(forward.raw()) + static_cast<u128>(strike.raw());
  const u128 per = 2 * scale / std::max<u128>(static_cast<u128>(tv.raw()), 1) + 60;
  const U256 e = divide_wide(mul_wide(reach, per), scale);
  if (e.hi != 0 || e.lo > static_cast<u128>(fixed_max_raw) / 8) return fixed_max_raw / 8;
  return static_cast<i128>(e.lo) + 16;
}

i128 add_saturating(i128 a, i128 b) {
  i128 r = 0;
  if (__builtin_add_overflow(a, b, &r)) return a < 0 ? -fixed_max_raw : fixed_max_raw;
  return r;
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
  std::vector<i128> option_d1;     // raw; meaningful when not exact
  std::vector<i128> option_tv;     // raw total volatility
  std::vector<i128> option_error;  // unit_error at this price; 0 when the quote is exact
  std::vector<Price> forward;      // per group
  std::vector<i128> group_maintenance;
  std::vector<i128> group_netted;
};

struct OptionPoolCurve::Cache {
  std::array<std::pair<Price, std::shared_ptr<const Values>>, 2> entries;
  std::size_t next = 0;
};

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
  cache_->next ^= 1;
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
    // The forward moves in proportion to the index: down(F x price / mark).
    OptionExpiry expiry = *g->expiry;
    VMARGIN_TRY(expiry.forward, mul_div_to<Price>(g->expiry->forward, price, feed_->mark, Round::down));
    v.forward.push_back(expiry.forward);
    Money standard = Money::zero();
    std::vector<ExpiryLeg> legs;
    bool settled = false;
    for (const std::size_t i : g->options) {
      const OptionValuation& o = a.options[i];
      VMARGIN_TRY(const OptionQuote quote, quote_option(*o.market, expiry, a.prices->as_of_ms));
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
    }
    i128 netted = 0;
    if (!settled) {
      VMARGIN_TRY(const NettedRequirement n, max_loss_requirement(legs, expiry.forward, g->rules->margin));
      netted = n.maintenance.raw();
    }
    v.group_netted.push_back(netted);
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

Result<HealthPoint> OptionPoolCurve::bound(Price a, Price b) const {
  VMARGIN_TRY(const std::shared_ptr<const Values> at_a, cached_values(a));
  VMARGIN_TRY(const std::shared_ptr<const Values> at_b, cached_values(b));
  const Values& va = *at_a;
  const Values& vb = *at_b;
  const AccountValuation& acc = *account_;
  // Saturating sums: a bound beyond the range is simply not a proof.
  i128 equity = equity_other_.raw(), maintenance = maintenance_other_.raw();
  const auto low = [&](const Values::Item& x, const Values::Item& y) {
    equity = add_saturating(equity, std::min(x.value, y.value) - std::max(x.error, y.error));
  };
  for (std::size_t i = 0; i < va.collateral.size(); ++i) low(va.collateral[i], vb.collateral[i]);
  for (std::size_t i = 0; i < va.pnl.size(); ++i) low(va.pnl[i], vb.pnl[i]);
  low(va.isolated_margin, vb.isolated_margin);
  for (std::size_t i = 0; i < va.maintenance.size(); ++i) {
    const auto& x = va.maintenance[i];
    const auto& y = vb.maintenance[i];
    maintenance = add_saturating(maintenance, std::max(x.value, y.value) + std::max(x.error, y.error));
  }
  // Options: each one's per-unit value lies in [V_lo, V_hi] on [a, b]
  // (monotone in the forward, within 2 errors of the computed ends, and
  // within [0, F x D] for a call, [0, K x D] for a put). Longs count V_lo,
  // shorts owe V_hi; a short's maintenance c x S + V (call) or max(c x S,
  // c' x V) + V (put) is largest at S = b and V_hi. Each group takes
  // min(standard, netted), the netted requirement growing with the forward.
  std::size_t option = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const ExpiryGroup& g = *groups_[gi];
    const Price forward_high = std::max(va.forward[gi], vb.forward[gi]);
    i128 standard = 0;
    for (const std::size_t i : g.options) {
      const OptionValuation& o = acc.options[i];
      const std::size_t n = option++;
      const i128 error = 2 * interval_error(va, vb, n);
      const i128 v_min = std::min(va.option_unit_value[n].raw(), vb.option_unit_value[n].raw());
      const i128 v_max = std::max(va.option_unit_value[n].raw(), vb.option_unit_value[n].raw());
      const i128 cap = o.market->type == OptionType::call ? forward_high.raw() : o.market->strike.raw();
      const Price v_low = Price::from_raw(std::max<i128>(v_min - error, 0));
      const Price v_high = Price::from_raw(std::min(add_saturating(v_max, error), std::max(cap, v_max)));
      const Quantity q = o.position->quantity;
      VMARGIN_TRY(const Money value, mul(q, q.is_positive() ? v_low : v_high, Round::down));
      Money counted = value;
      if (q.is_positive()) {
        VMARGIN_TRY(counted, mul(o.rules->long_value_weight, value, Round::down));
      }
      equity = add_saturating(equity, counted.raw());
      if (q.is_positive() || o.quote.settled) continue;
      VMARGIN_TRY(const OptionRequirement r,
                  short_option_requirement(o.market->type, o.market->strike, b, v_high, o.rules->margin));
      VMARGIN_TRY(const Money m, mul(q.abs(), r.maintenance, Round::up));
      standard = add_saturating(standard, m.raw());
    }
    const i128 netted = std::max(va.group_netted[gi], vb.group_netted[gi]);
    const bool settled = acc.options[g.options.front()].quote.settled;
    maintenance = add_saturating(maintenance, settled ? 0 : std::min(standard, netted));
  }
  return HealthPoint{Money::from_raw(equity), Money::from_raw(maintenance)};
}

namespace {

class Gallop {
 public:
  Gallop(const OptionPoolCurve& curve, const BoundarySearch& s) : curve_(curve), s_(s) {}

  Result<std::optional<Price>> run() {
    const i128 t = s_.tick.raw();
    const i128 p0 = s_.mark.raw();
    const bool below = s_.direction == Direction::below;
    // Grid indices k (price k x t) on the searched side, nearest first.
    const i128 first = below ? (p0 - 1) / t : p0 / t + 1;
    const i128 last = below ? 1 : fixed_max_raw / t;
    if (below ? first < last : first > last) return std::optional<Price>{};
    const i128 dir = below ? -1 : 1;
    i128 k = first;      // the next grid index not yet proven safe
    i128 safe_end = p0;  // a price known safe, adjacent to k on the mark's side
    i128 step = 1;
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

}  // namespace vmargin
