// Margin requirements of one position, in the valuation currency: the
// tiered requirement, the size premium floor and the volatility multiplier
// (docs/spec.md §5.2-§5.4). One function computes a requirement of either
// kind; the report asks for both, liquidation searches for maintenance only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "vmargin/error.hpp"
#include "vmargin/margin/scaling.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/bounded.hpp"

namespace vmargin {

enum class MarginKind : std::uint8_t { initial, maintenance };

/// What a position's requirement is computed from at one mark.
struct Exposure {
  bool inverse = false;
  /// Linear: the notional up(|q| x P) (one rounding). Inverse: the face
  /// value |S| = |q| x contract size (exact).
  Bounded<Money> notional;
  /// Inverse: the mark, which turns the coin notional |S| / P into value.
  Price mark;
};

[[nodiscard]] inline Exposure linear_exposure(const Bounded<Money>& notional) noexcept {
  return Exposure{false, notional, Price::one()};
}
[[nodiscard]] inline Exposure inverse_exposure(Money face_abs, Price mark) noexcept {
  return Exposure{true, Bounded<Money>::exact(face_abs), mark};
}

/// The tier the position falls in: linear by its notional; inverse by the
/// exact coin notional |S| / P (|S| <= cap x P, compared exactly). A
/// notional exactly on a cap belongs to the lower tier.
[[nodiscard]] std::size_t requirement_tier(const Market& market, const Exposure& exposure) noexcept;

struct RequirementPart {
  Bounded<Money> amount;      ///< valuation currency, after volatility scaling
  bool from_premium = false;  ///< the size premium, not the tier, set it
};

/// One requirement of the kind asked, in tier `tier`:
///   linear  up(max(up(N x rate_k) - amount_k, up(N x premium rate)) x m)
///   inverse up(max(up(|S| x rate_k - amount_k x P), up(|S| x premium rate)) x m)
/// where the inverse tier value is the coin requirement (|S|/P x rate_k -
/// amount_k) valued at P, computed exactly and rounded once.
[[nodiscard]] Result<RequirementPart> margin_requirement(const Market& market, const Exposure& exposure,
                                                         std::size_t tier,
                                                         const std::optional<SizePremium>& premium,
                                                         Ratio volatility_multiplier, MarginKind kind);

/// Invariant: maintenance <= initial (validated tables, premium rates from
/// initial >= maintenance rates, the same multiplier on both).
struct Requirement {
  std::size_t tier = 0;  ///< 0-based index of the tier the notional falls in
  Money initial;         ///< valuation currency, after volatility scaling
  Bounded<Money> maintenance;
  bool initial_from_premium = false;
  bool maintenance_from_premium = false;
};

/// The initial margin a market's open interest adds (dYdX v4's open
/// interest margin fraction, docs/spec.md §5.7), with X the open-interest
/// notional (margin asset, like tier caps), N the position's notional in the
/// valuation currency (linear notional, inverse face value) and IM its
/// initial margin so far: 0 when X <= lower cap or IM >= N; N - IM when
/// X >= upper cap; otherwise up((N - IM) x (X - lower) / (upper - lower)).
[[nodiscard]] Result<Money> open_interest_margin(const OpenInterestScaling& scaling,
                                                 Money open_interest_notional, Money notional,
                                                 Money initial_margin);

/// Both requirements, as the report shows them.
[[nodiscard]] Result<Requirement> requirement(const Market& market, const Exposure& exposure,
                                              const std::optional<SizePremium>& premium,
                                              Ratio volatility_multiplier);

}  // namespace vmargin
