// find_boundary against brute force: synthetic concave health curves with
// simulated rounding noise (within the curve's bound), on grids small enough
// to scan every price. The search must give exactly what the scan gives.
#include "vmargin/liquidation/price_search.hpp"

#include <vector>

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::CounterRng;
using vmargin::test::dec;
using vmargin::test::ok_value;

namespace {

// h(P) = min_i (a_i + b_i x P) in units of 10^-18 per tick index, i.e. a
// concave piecewise-linear function of the grid index; the rounded value
// subtracts a deterministic noise in [0, eps].
struct Line {
  i128 a, b;  // raw money, raw money per tick
};

class SyntheticCurve final : public HealthCurve {
 public:
  SyntheticCurve(std::vector<Line> lines, i128 eps, i128 tick, std::uint64_t noise_seed,
                 i128 overflow_above_k)
      : lines_(std::move(lines)), eps_(eps), tick_(tick), rng_(noise_seed), overflow_k_(overflow_above_k) {}

  [[nodiscard]] i128 exact(i128 k) const {
    i128 h = lines_[0].a + lines_[0].b * k;
    for (const Line& l : lines_) h = std::min(h, l.a + l.b * k);
    return h;
  }
  [[nodiscard]] i128 rounded(i128 price_raw) const {
    // Prices off the grid (P0) are evaluated by the exact value at the
    // interpolated index; the test keeps P0 on a half tick.
    const i128 k2 = price_raw * 2 / tick_;  // twice the index
    const i128 h = (exact(k2 / 2) + exact((k2 + 1) / 2)) / 2;
    const i128 noise = eps_ == 0 ? 0
                                 : static_cast<i128>(rng_.draw(static_cast<std::uint64_t>(k2)) %
                                                     static_cast<std::uint64_t>(eps_ + 1));
    return h - noise;
  }
  Result<HealthPoint> at(Price price) const override {
    ++evaluations;
    if (price.raw() / tick_ > overflow_k_) return Error(ErrorCode::overflow, "beyond the range");
    const i128 maintenance = i128{1000} * fixed_scale;
    return HealthPoint{Money::from_raw(rounded(price.raw()) + maintenance), Money::from_raw(maintenance)};
  }
  Money rounding_bound(Price) const override { return Money::from_raw(eps_); }
  // Near zero: whatever line is lowest there decides; claim nothing.
  bool may_fall_toward_zero(Boundary) const override { return true; }
  // The tangent of the line active at the mark (a hint; sometimes wrong on
  // purpose, to exercise the recovery).
  std::optional<Price> tangent_root(Boundary, Direction direction) const override {
    if (!hint_) return std::nullopt;
    const Line* active = &lines_[0];
    for (const Line& l : lines_) {
      if (l.a + l.b * mark_k_ < active->a + active->b * mark_k_) active = &l;
    }
    if (active->b == 0) return std::nullopt;
    // a + b k = 0 at k = -a / b (in ticks).
    const i128 k = -active->a / active->b;
    if ((direction == Direction::below) != (active->b > 0) || k <= 0) return std::nullopt;
    return Price::from_raw(k * tick_);
  }
  void set_hint(bool on, i128 mark_k) {
    hint_ = on;
    mark_k_ = mark_k;
  }
  [[nodiscard]] i128 noise_bound() const { return eps_; }
  bool may_fall_at_infinity(Boundary) const override {
    for (const Line& l : lines_) {
      if (l.b < 0) return true;
    }
    return false;
  }
  mutable std::size_t evaluations = 0;

 private:
  std::vector<Line> lines_;
  i128 eps_;
  i128 tick_;
  CounterRng rng_;
  i128 overflow_k_;
  bool hint_ = false;
  i128 mark_k_ = 0;
};

// The answer by scanning every grid price from P0 outward.
std::optional<Price> brute_force(const SyntheticCurve& c, Price mark, Price tick, Direction d, i128 max_k) {
  const i128 t = tick.raw();
  const auto unsafe = [&](i128 k) {
    const Result<HealthPoint> p = c.at(Price::from_raw(k * t));
    return p.ok() && is_unsafe(Boundary::liquidation, p.value());
  };
  const auto valuable = [&](i128 k) { return c.at(Price::from_raw(k * t)).ok(); };
  if (d == Direction::below) {
    const i128 top = (mark.raw() - 1) / t;
    for (i128 k = top; k >= 1; --k) {
      if (!valuable(k)) return std::nullopt;
      if (unsafe(k)) return k == top ? mark : Price::from_raw((k + 1) * t);
    }
    return std::nullopt;
  }
  const i128 bottom = mark.raw() / t + 1;
  for (i128 k = bottom; k <= max_k; ++k) {
    if (!valuable(k)) return std::nullopt;
    if (unsafe(k)) return k == bottom ? mark : Price::from_raw((k - 1) * t);
    // A non-decreasing curve that clears the noise stays clear.
    if (!c.may_fall_at_infinity(Boundary::liquidation) && c.exact(k) >= c.noise_bound()) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a single line: the closed form, exactly") {
  // h = -500 + 1 x k (raw units of 10^-18 x 10^18 = whole money): root at k = 500.
  const i128 unit = fixed_scale;
  SyntheticCurve c({{-500 * unit, unit}}, 0, fixed_scale, 1, i128{1} << 60);
  BoundarySearch s;
  s.mark = dec<Price>("1000.5");
  s.tick = dec<Price>("1");
  s.direction = Direction::below;
  // Unsafe below k = 500 (h(500) = 0 is safe): U = 499, reported 500.
  CHECK(ok_value(find_boundary(c, s)) == dec<Price>("500"));
  s.direction = Direction::above;
  CHECK_FALSE(ok_value(find_boundary(c, s)).has_value());
  CHECK(c.evaluations < 20);
}

TEST_CASE("a decreasing line: the boundary above") {
  const i128 unit = fixed_scale;
  SyntheticCurve c({{2000 * unit, -unit}}, 0, fixed_scale, 1, i128{1} << 60);
  BoundarySearch s;
  s.mark = dec<Price>("1000.5");
  s.tick = dec<Price>("1");
  s.direction = Direction::above;
  CHECK(ok_value(find_boundary(c, s)) == dec<Price>("2000"));  // h(2001) < 0
  s.direction = Direction::below;
  CHECK_FALSE(ok_value(find_boundary(c, s)).has_value());
}

TEST_CASE("the mark next to the boundary reports the mark itself") {
  const i128 unit = fixed_scale;
  // h(1000) < 0, h(1000.5) >= 0.
  SyntheticCurve c({{-1000 * unit - unit / 4, unit}}, 0, fixed_scale, 1, i128{1} << 60);
  BoundarySearch s;
  s.mark = dec<Price>("1000.5");
  s.tick = dec<Price>("1");
  s.direction = Direction::below;
  CHECK(ok_value(find_boundary(c, s)) == dec<Price>("1000.5"));
}

TEST_CASE("random concave curves with rounding noise agree with brute force") {
  const CounterRng rng(0x5EED'2001);
  std::size_t cases = 0, with_boundary = 0, total_evaluations = 0, noisy = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    std::uint64_t k = i * 32;
    const i128 tick = fixed_scale / 100 * static_cast<i128>(1 + rng.draw(k++) % 50);
    const i128 mark_k = 200 + static_cast<i128>(rng.draw(k++) % 800);  // P0 = (mark_k + 1/2) ticks
    // A few lines through a positive point at P0, slopes of both signs.
    std::vector<Line> lines;
    const int n = 1 + static_cast<int>(rng.draw(k++) % 4);
    const i128 h0 = static_cast<i128>(rng.draw(k++) % 5000) * fixed_scale / 10;
    for (int j = 0; j < n; ++j) {
      const i128 slope = (static_cast<i128>(rng.draw(k++) % 2001) - 1000) * fixed_scale / 100;
      lines.push_back(
          {h0 + static_cast<i128>(rng.draw(k++) % 1000) * fixed_scale / 10 - slope * mark_k, slope});
    }
    // Sometimes noise comparable to a tick's change: the band case.
    const bool band = rng.draw(k++) % 4 == 0;
    const i128 eps =
        band ? static_cast<i128>(rng.draw(k++) % 3) * fixed_scale : static_cast<i128>(rng.draw(k++) % 100);
    const i128 overflow_k =
        rng.draw(k++) % 5 == 0 ? mark_k + 50 + static_cast<i128>(rng.draw(k++) % 1000) : i128{1} << 60;
    SyntheticCurve c(lines, eps, tick, rng.draw(k++), overflow_k);
    c.set_hint(rng.draw(k++) % 3 != 0, mark_k);
    const Price mark = Price::from_raw(mark_k * tick + tick / 2);
    const Result<HealthPoint> at_mark = c.at(mark);
    if (!at_mark.ok() || is_unsafe(Boundary::liquidation, at_mark.value())) continue;
    ++cases;
    if (band) ++noisy;
    for (const Direction d : {Direction::below, Direction::above}) {
      BoundarySearch s;
      s.mark = mark;
      s.tick = Price::from_raw(tick);
      s.direction = d;
      s.budget = 100000;
      c.evaluations = 0;
      const Result<std::optional<Price>> got = find_boundary(c, s);
      total_evaluations += c.evaluations;
      const std::optional<Price> want = brute_force(c, mark, s.tick, d, i128{1} << 40);
      if (!got.ok() || got.value() != want) {
        FAIL_CHECK(
            "seed " << rng.seed() << " case " << i << " direction "
                    << (d == Direction::below ? "below" : "above") << ": search "
                    << (got.ok() ? (got.value() ? to_string(*got.value()) : "none") : got.error().to_string())
                    << ", brute force " << (want ? to_string(*want) : "none"));
      }
      if (want) ++with_boundary;
    }
  }
  MESSAGE(cases << " curves (" << noisy << " with wide rounding bands), " << with_boundary << " boundaries, "
                << total_evaluations << " evaluations");
  CHECK(cases > 1000);
  CHECK(with_boundary > cases / 2);
}

TEST_CASE("the budget stops a search over a flat band with a typed error") {
  // h == eps / 2 everywhere and noise up to eps: unsafe points scattered
  // everywhere the band is, and nothing to prune with.
  SyntheticCurve c({{5 * fixed_scale, 0}}, 10 * fixed_scale, fixed_scale, 7, i128{1} << 60);
  BoundarySearch s;
  s.mark = dec<Price>("100000.5");
  s.tick = dec<Price>("1");
  s.direction = Direction::below;
  s.budget = 50;
  const Result<std::optional<Price>> r = find_boundary(c, s);
  if (r.ok()) {
    // Allowed when an unsafe price happens to be found within the budget;
    // it must then be exactly the brute-force answer.
    CHECK(r.value() == brute_force(c, s.mark, s.tick, Direction::below, 0));
  } else {
    CHECK(r.error().code() == ErrorCode::liquidation_price_unresolved);
  }
}

namespace {

// Health a - P (in raw units) with no rounding: unsafe only beyond P = a.
class FarLine final : public HealthCurve {
 public:
  FarLine(i128 a, i128 hint) : a_(a), hint_(hint) {}
  Result<HealthPoint> at(Price p) const override {
    return HealthPoint{Money::from_raw(a_ - p.raw()), Money::zero()};
  }
  Money rounding_bound(Price) const override { return Money::zero(); }
  bool may_fall_at_infinity(Boundary) const override { return true; }
  bool may_fall_toward_zero(Boundary) const override { return false; }
  // A hint short of the boundary (a wrong tangent: the search must recover).
  std::optional<Price> tangent_root(Boundary, Direction) const override { return Price::from_raw(hint_); }

 private:
  i128 a_;
  i128 hint_;
};

}  // namespace

TEST_CASE(
    "regression (issue 18, defect 4): a 10^-18 tick across the whole range does not overflow the search") {
  // With a tick of 10^-18 the grid holds about 2^127 prices. A tangent guess
  // proven safe far from the mark starts the doubling with a step as large
  // as that distance: s + step used to overflow (undefined behaviour, caught
  // by the sanitized build) instead of stopping at the end of the grid.
  const i128 a = i128_max / 10 * 9;
  const FarLine curve(a, i128_max / 10 * 6);
  BoundarySearch s;
  s.mark = Price::one();
  s.tick = Price::epsilon();
  s.direction = Direction::above;
  CHECK(ok_value(find_boundary(curve, s)) == Price::from_raw(a));  // a - a = 0 is safe, a + 1 is not
}
