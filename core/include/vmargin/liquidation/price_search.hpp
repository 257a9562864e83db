// Exact search for liquidation and bankruptcy prices on a tick grid
// (docs/spec.md §7.1-§7.2; the argument is in docs/liquidation.md).
//
// The question: moving one feed's mark away from its current value P0 (all
// other feeds fixed), which is the first tick-grid price at which the pool
// becomes liquidatable (health < 0) or bankrupt? The pool's health, as the
// engine computes it with its roundings, is h_r(P); the same formulas in
// exact arithmetic give h(P), which is concave in P (requirements are convex
// in the price, values linear), and h_r <= h <= h_r + eps(P) for a bound eps
// the curve provides. Concavity makes the answer provable from a handful of
// evaluations: on any interval h >= min(h(a), h(b)), so if both ends have
// h_r >= eps, no grid price in between is unsafe. The search brackets the
// boundary with regula falsi steps (exact once both ends lie on the same
// linear piece) and proves the bracket with that bound: no floating point, no
// tolerance, and the result is exactly what evaluating every grid price would
// give.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

/// A pool's equity and maintenance requirement at one price of the moving feed.
struct HealthPoint {
  Money equity;
  Money maintenance;
};

enum class Boundary : std::uint8_t {
  liquidation,  ///< unsafe: equity < maintenance
  bankruptcy,   ///< unsafe: equity < 0, or equity == 0 with a requirement
};

enum class Direction : std::uint8_t { below, above };

/// The pool as a function of one feed's price.
class HealthCurve {
 public:
  virtual ~HealthCurve() = default;
  /// Equity and maintenance at `price`, exactly as the engine's evaluation
  /// computes them. An overflow error means `price` is outside the range in
  /// which the pool can be valued.
  [[nodiscard]] virtual Result<HealthPoint> at(Price price) const = 0;
  /// The equity alone at `price` (bankruptcy searches need the requirement
  /// only when equity is exactly zero); by default through at().
  [[nodiscard]] virtual Result<Money> equity_at(Price price) const {
    VMARGIN_TRY(const HealthPoint p, at(price));
    return p.equity;
  }
  /// An upper bound of the rounding error of health (equity - maintenance)
  /// and of equity at `price`, in the valuation currency: the exact value
  /// lies in [rounded, rounded + bound].
  [[nodiscard]] virtual Money rounding_bound(Price price) const = 0;
  /// Whether the exact health (liquidation) or equity (bankruptcy) can fall
  /// as the price rises without bound (its slope at infinity is negative,
  /// or not provably non-negative).
  [[nodiscard]] virtual bool may_fall_at_infinity(Boundary boundary) const = 0;
  /// Whether it can fall as the price falls toward zero (its slope near zero
  /// is positive, or not provably non-positive). Health and equity differ:
  /// a requirement that falls with the price can keep health flat while
  /// equity falls (a profit weighted below the requirement's rate, §5.10).
  [[nodiscard]] virtual bool may_fall_toward_zero(Boundary boundary) const = 0;
  /// A first guess of the boundary on one side: where the tangent of the
  /// exact curve at P0 crosses zero (for equity alone with bankruptcy). By
  /// concavity the tangent lies above the curve, so the guess is at or
  /// beyond the boundary; it is exact when no tier edge lies in between.
  /// Only a hint: the search proves its answer either way.
  [[nodiscard]] virtual std::optional<Price> tangent_root(Boundary boundary, Direction direction) const = 0;
};

struct BoundarySearch {
  Boundary boundary = Boundary::liquidation;
  Direction direction = Direction::below;
  Price mark;  ///< P0, safe
  Price tick;  ///< > 0
  /// The pool at P0 when the caller has it (saves one evaluation).
  std::optional<HealthPoint> at_mark;
  /// Evaluations allowed before giving up with liquidation_price_unresolved
  /// (only a pool whose health stays within rounding of zero over a wide
  /// range of prices can need more).
  std::size_t budget = 512;
};

/// The reported boundary price on the side `direction` of P0, or none when
/// no grid price on that side (within the range the pool can be valued in)
/// is unsafe. With U the unsafe grid price nearest to P0 on that side, the
/// result is the grid price one tick closer to P0 than U, or P0 itself when
/// that would pass P0: safe, with U one tick (or less) beyond it.
/// Precondition: the pool is safe at P0 for this boundary.
[[nodiscard]] Result<std::optional<Price>> find_boundary(const HealthCurve& curve,
                                                         const BoundarySearch& search);

/// Whether a point is unsafe for a boundary (the predicate the search uses).
[[nodiscard]] bool is_unsafe(Boundary boundary, const HealthPoint& point) noexcept;

}  // namespace vmargin
