#include "vmargin/liquidation/price_search.hpp"

#include "vmargin/margin/health.hpp"
#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

bool is_unsafe(Boundary boundary, const HealthPoint& p) noexcept {
  if (boundary == Boundary::bankruptcy) return is_bankrupt(p.equity, p.maintenance);
  return p.equity < p.maintenance;
}

namespace {

// Grid prices are k x tick. Distances d >= 1 count grid prices away from
// P0 on the searched side: d = 1 is the grid price nearest to P0.
struct Probe {
  bool unsafe = false;
  i128 value = 0;  // health (liquidation) or equity (bankruptcy), raw
  i128 bound = 0;  // rounding bound at this price, raw
  [[nodiscard]] bool proven(i128 other_value, i128 other_bound) const noexcept {
    // h >= min(h(a), h(b)) on [a, b] (concavity) and h_r >= h - eps: no grid
    // price between two probes is unsafe when both ends clear the larger bound.
    const i128 lowest = value < other_value ? value : other_value;
    const i128 widest = bound > other_bound ? bound : other_bound;
    return lowest >= widest;
  }
};

class Search {
  struct Found {
    i128 distance;
    Probe probe;
  };

 public:
  Search(const HealthCurve& curve, const BoundarySearch& s) : curve_(curve), s_(s) {}

  Result<std::optional<Price>> run() {
    VMARGIN_TRY(const Answer start, start_at_mark());
    if (start) return *start;
    Bracket b;
    b.s_probe = origin_;
    VMARGIN_TRY(const Answer near, leave_band_near_mark(b));
    if (near) return *near;
    VMARGIN_CHECK(try_tangent_guess(b));
    if (!b.unsafe_found) {
      VMARGIN_TRY(const Answer far, find_far_unsafe(b));
      if (far) return *far;
    }
    VMARGIN_CHECK(try_just_before(b));
    VMARGIN_TRY(const i128 first, refine(b.s, b.s_probe, b.u, b.u_probe));
    return report(first);
  }

 private:
  // The state: every distance in [1, s] is proven safe; u, once found, is
  // a distance known unsafe.
  struct Bracket {
    i128 s = 0;
    Probe s_probe;
    i128 u = 0;
    Probe u_probe;
    bool unsafe_found = false;
  };
  static void found_unsafe(Bracket& b, i128 u, const Probe& p) noexcept {
    b.u = u;
    b.u_probe = p;
    b.unsafe_found = true;
  }
  // An early answer ends the search; none: go on.
  using Answer = std::optional<std::optional<Price>>;

  // The pool at P0 and the grid on the searched side.
  Result<Answer> start_at_mark() {
    HealthPoint at_mark;
    if (s_.at_mark) {
      at_mark = *s_.at_mark;
    } else {
      VMARGIN_TRY(at_mark, curve_.at(s_.mark));
    }
    origin_ = Probe{false, value_of(at_mark), curve_.rounding_bound(s_.mark).raw()};
    const i128 tick = s_.tick.raw();
    if (s_.direction == Direction::below) {
      // Largest k with k x tick < P0.
      nearest_k_ = (s_.mark.raw() - 1) / tick;
      if (nearest_k_ < 1) return Answer{std::optional<Price>{}};
      max_distance_ = nearest_k_;
    } else {
      // Smallest k with k x tick > P0, up to the largest representable grid price.
      nearest_k_ = s_.mark.raw() / tick + 1;
      const i128 last_k = fixed_max_raw / tick;
      if (nearest_k_ > last_k) return Answer{std::optional<Price>{}};
      max_distance_ = last_k - nearest_k_ + 1;
    }
    return Answer{};
  }

  // Near P0 inside the rounding band, check grid prices one by one until
  // one clears the band (concavity then covers the rest).
  Result<Answer> leave_band_near_mark(Bracket& b) {
    if (origin_.value >= origin_.bound) return Answer{};
    while (b.s < max_distance_) {
      VMARGIN_TRY(const std::optional<Probe> p, probe(b.s + 1));
      if (!p) break;  // beyond the range the pool can be valued in
      if (p->unsafe) return Answer{report(b.s + 1)};
      ++b.s;
      b.s_probe = *p;
      if (p->value >= p->bound) break;
    }
    if (b.s == max_distance_) return Answer{std::optional<Price>{}};
    return Answer{};
  }

  // The tangent's root: unsafe (found), proven safe (s moves), or inside
  // the band (scanned).
  Status try_tangent_guess(Bracket& b) {
    const std::optional<i128> guess = guess_distance();
    if (!guess || *guess <= b.s) return Ok{};
    VMARGIN_TRY(const std::optional<Probe> g, probe(*guess));
    if (!g) return Ok{};
    if (g->unsafe) {
      found_unsafe(b, *guess, *g);
    } else if (g->proven(b.s_probe.value, b.s_probe.bound)) {
      b.s = *guess;
      b.s_probe = *g;
    } else {
      VMARGIN_TRY(const std::optional<Found> near, scan_band(*guess, b.s, b.s_probe));
      if (near) {
        found_unsafe(b, near->distance, near->probe);
      } else {
        b.s = *guess;
        b.s_probe = *g;
      }
    }
    return Ok{};
  }

  // No unsafe price found near: none on a side where the exact health never
  // falls (the bound is the same at every price, and P0 clears it), else
  // the far probes.
  Result<Answer> find_far_unsafe(Bracket& b) {
    const bool clear = origin_.value >= origin_.bound && b.s_probe.value >= b.s_probe.bound;
    if (clear && s_.direction == Direction::below && !curve_.may_fall_toward_zero(s_.boundary))
      return Answer{std::optional<Price>{}};
    if (clear && s_.direction == Direction::above && !curve_.may_fall_at_infinity(s_.boundary))
      return Answer{std::optional<Price>{}};
    VMARGIN_TRY(const std::optional<Found> far, find_unsafe_beyond(b.s, b.s_probe));
    if (!far) return Answer{std::optional<Price>{}};
    found_unsafe(b, far->distance, far->probe);
    return Answer{};
  }

  // A tangent guess is exact when no tier edge lies between P0 and the
  // boundary: try the grid price just before it first.
  Status try_just_before(Bracket& b) {
    if (b.u - b.s <= 1) return Ok{};
    VMARGIN_TRY(const std::optional<Probe> before, probe(b.u - 1));
    if (before && before->unsafe) {
      b.u -= 1;
      b.u_probe = *before;
    } else if (before && before->proven(b.s_probe.value, b.s_probe.bound)) {
      b.s = b.u - 1;
      b.s_probe = *before;
    }
    return Ok{};
  }

  [[nodiscard]] i128 value_of(const HealthPoint& p) const {
    // Both fit: equity and maintenance are in range, their difference in i128.
    return s_.boundary == Boundary::liquidation ? p.equity.raw() - p.maintenance.raw() : p.equity.raw();
  }

  [[nodiscard]] Price price_at(i128 d) const {
    const i128 k = s_.direction == Direction::below ? nearest_k_ - (d - 1) : nearest_k_ + (d - 1);
    return Price::from_raw(k * s_.tick.raw());
  }

  // The probe at distance d, or none when the pool cannot be valued there
  // (an overflow: the price is beyond the range of the account's numbers).
  Result<std::optional<Probe>> probe(i128 d) {
    if (++evaluations_ > s_.budget) {
      return Error(
          ErrorCode::liquidation_price_unresolved,
          "the search for the " +
              std::string(s_.boundary == Boundary::liquidation ? "liquidation" : "bankruptcy") +
              " price did not conclude within " + std::to_string(s_.budget) +
              " evaluations: the pool's health stays within rounding of zero over a wide range of prices");
    }
    const Price p = price_at(d);
    const i128 bound = curve_.rounding_bound(p).raw();
    if (s_.boundary == Boundary::bankruptcy) {
      // Equity decides unless it is exactly zero (then the requirement does).
      Result<Money> e = curve_.equity_at(p);
      if (!e.ok()) {
        if (e.error().code() == ErrorCode::overflow) return std::optional<Probe>{};
        return std::move(e).error();
      }
      if (!e->is_zero()) return std::optional<Probe>{Probe{e->is_negative(), e->raw(), bound}};
    }
    Result<HealthPoint> r = curve_.at(p);
    if (!r.ok()) {
      if (r.error().code() == ErrorCode::overflow) return std::optional<Probe>{};
      return std::move(r).error();
    }
    const HealthPoint& hp = r.value();
    return std::optional<Probe>{Probe{is_unsafe(s_.boundary, hp), value_of(hp), bound}};
  }

  // Probes d; if the pool cannot be valued there, finds the farthest distance
  // where it can (failures are monotone: they come from magnitudes that only
  // grow with the distance) and probes that. Sets far_distance_.
  Result<std::optional<Probe>> probe_in_range(i128 d) {
    VMARGIN_TRY(std::optional<Probe> p, probe(d));
    if (p) {
      far_distance_ = d;
      return p;
    }
    i128 good = 0;  // distance 0 (P0) is always valuable
    i128 bad = d;
    std::optional<Probe> best;
    while (bad - good > 1) {
      const i128 mid = good + (bad - good) / 2;
      VMARGIN_TRY(std::optional<Probe> m, probe(mid));
      if (m) {
        good = mid;
        best = m;
      } else {
        bad = mid;
      }
    }
    max_distance_ = good;
    far_distance_ = good;
    return best;
  }

  // The distance of the first grid price at or beyond the tangent's root,
  // when it lies on the searched side within the grid.
  [[nodiscard]] std::optional<i128> guess_distance() const {
    const std::optional<Price> root = curve_.tangent_root(s_.boundary, s_.direction);
    if (!root) return std::nullopt;
    const i128 tick = s_.tick.raw();
    i128 d = 0;
    if (s_.direction == Direction::below) {
      if (root->raw() >= s_.mark.raw()) return std::nullopt;
      d = nearest_k_ - root->raw() / tick + 1;  // floor(root / tick) is at distance nearest_k_ - k + 1
    } else {
      if (root->raw() <= s_.mark.raw()) return std::nullopt;
      const i128 k = root->raw() / tick + (root->raw() % tick != 0 ? 1 : 0);  // ceil
      d = k - nearest_k_ + 1;
    }
    if (d < 1) d = 1;
    if (d > max_distance_) d = max_distance_;
    return d;
  }

  // Beyond the proven-safe distance s, a distance that is unsafe, or none:
  // below P0 the far end (the lowest grid price) first, since concavity
  // proves everything in between when it is safe; above P0 doubling
  // distances until one is unsafe or the pool can no longer be valued.
  Result<std::optional<Found>> find_unsafe_beyond(i128& s, Probe& s_probe) {
    if (s_.direction == Direction::below) {
      VMARGIN_TRY(const std::optional<Probe> far, probe_in_range(max_distance_));
      if (!far || far_distance_ <= s) return std::optional<Found>{};
      if (far->unsafe) return std::optional<Found>{Found{far_distance_, *far}};
      if (far->proven(s_probe.value, s_probe.bound)) return std::optional<Found>{};
      // A safe far end inside the band: unsafe prices can only be near it
      // (h is concave and clears the band at s); scan back from it.
      return scan_band(far_distance_, s, s_probe);
    }
    i128 step = s < 1 ? 1 : s;
    while (true) {
      // s + step, stopping at the end of the grid (both are at most
      // max_distance_, so the sum could leave 128 bits on a fine grid).
      i128 d = step > max_distance_ - s ? max_distance_ : s + step;
      VMARGIN_TRY(const std::optional<Probe> p, probe_in_range(d));
      if (!p) return std::optional<Found>{};
      d = far_distance_;
      if (p->unsafe) return std::optional<Found>{Found{d, *p}};
      if (p->proven(s_probe.value, s_probe.bound)) {
        s = d;
        s_probe = *p;
      } else {
        VMARGIN_TRY(const std::optional<Found> found, scan_band(d, s, s_probe));
        if (found) return found;
        // (s, d) checked one by one and d is safe.
        s = d;
        s_probe = *p;
      }
      if (d >= max_distance_) return std::optional<Found>{};
      if (step < max_distance_ / 2)
        step *= 2;
      else
        step = max_distance_;
    }
  }

  // A safe probe at d inside the rounding band, with [1, s] proven: checks
  // the grid prices from d back towards s one by one until one is proven
  // (then [1, that] is safe by concavity) and returns the nearest unsafe one
  // found. Short unless the health is flat within rounding of zero: the
  // band is eps / (slope x tick) grid prices wide.
  Result<std::optional<Found>> scan_band(i128 d, i128& s, Probe& s_probe) {
    std::optional<Found> nearest_unsafe;
    for (i128 e = d - 1; e > s; --e) {
      VMARGIN_TRY(const std::optional<Probe> p, probe(e));
      if (!p) return Error(ErrorCode::overflow, "valuation failed inside the searched range");
      if (p->unsafe) nearest_unsafe = Found{e, *p};
      if (!p->unsafe && p->proven(s_probe.value, s_probe.bound)) {
        s = e;
        s_probe = *p;
        break;
      }
    }
    return nearest_unsafe;
  }

  // Regula falsi between the proven-safe distance s and the unsafe u, until
  // they are adjacent: the answer is then u.
  Result<i128> refine(i128 s, Probe s_probe, i128 u, Probe u_probe) {
    int same_side = 0;  // Illinois: halve a bound's weight if it stays put
    bool last_moved_u = false;
    while (u - s > 1) {
      i128 m = 0;
      if (same_side >= 2) {
        m = s + (u - s) / 2;
        same_side = 0;
      } else {
        // The chord's root: s + (u - s) x v_s / (v_s - v_u), with v_s >= 0 > v_u.
        const u128 span = static_cast<u128>(u - s);
        const u128 vs = static_cast<u128>(s_probe.value);
        const u128 vu = magnitude(u_probe.value);
        const WideDivision q = div_wide(mul_wide(span, vs), vs + vu);
        m = s + static_cast<i128>(q.quotient);
        if (m <= s) m = s + 1;
        if (m >= u) m = u - 1;
      }
      VMARGIN_TRY(const std::optional<Probe> p, probe(m));
      if (!p) return Error(ErrorCode::overflow, "valuation failed inside the searched range");
      if (p->unsafe) {
        u = m;
        u_probe = *p;
        same_side = last_moved_u ? same_side + 1 : 1;
        last_moved_u = true;
      } else if (p->proven(s_probe.value, s_probe.bound)) {
        s = m;
        s_probe = *p;
        same_side = last_moved_u ? 1 : same_side + 1;
        last_moved_u = false;
      } else {
        // Safe, but inside the band: unsafe prices may hide between s and m.
        VMARGIN_TRY(const std::optional<Found> found, scan_band(m, s, s_probe));
        if (found) {
          u = found->distance;
          u_probe = found->probe;
        } else {
          // [1, s] proven and (s, m] checked one by one: everything up to m is safe.
          s = m;
          s_probe = *p;
        }
        same_side = 0;
      }
    }
    return u;
  }

  // The reported price for the nearest unsafe distance u: one tick closer
  // to P0, or P0 itself when u is the grid price next to it.
  [[nodiscard]] std::optional<Price> report(i128 u) const {
    if (u <= 1) return s_.mark;
    return price_at(u - 1);
  }

  const HealthCurve& curve_;
  const BoundarySearch& s_;
  Probe origin_;
  i128 nearest_k_ = 0;
  i128 max_distance_ = 0;
  i128 far_distance_ = 0;
  std::size_t evaluations_ = 0;
};

}  // namespace

Result<std::optional<Price>> find_boundary(const HealthCurve& curve, const BoundarySearch& search) {
  if (!search.tick.is_positive()) return Error(ErrorCode::invalid_value, "the tick size must be positive");
  Search s(curve, search);
  return s.run();
}

}  // namespace vmargin
