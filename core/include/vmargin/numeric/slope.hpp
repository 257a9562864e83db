// The slope of a pool's health or equity in one feed's price: a sum of
// terms in value per unit of price, each product truncated once, with the
// count of units those truncations can be off by, so that the sign of the
// exact slope is known when |value| exceeds the error. Used to prove on
// which side a concave health curve can still fall (docs/liquidation.md).
#pragma once

#include <optional>

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

class SlopeSum {
 public:
  /// + q: a linear position's PnL grows by its signed size per unit of price.
  void add(Quantity size) noexcept { add_exact(size.raw()); }
  /// + coins: an amount of the feed's coin grows in value by itself per unit of price.
  void add_coins(Money coins) noexcept { add_exact(coins.raw()); }
  /// + face / entry: an inverse position's PnL slope (one truncation).
  void add_face_over_entry(Money face, Price entry) noexcept { add_quotient(face.raw(), entry.raw()); }
  /// + coins x factor (one truncation): weighted collateral, or an inverse
  /// tier's amount x multiplier (by how much its requirement falls).
  void add_product(Money coins, Ratio factor) noexcept { add_product_raw(coins.raw(), factor.raw(), false); }
  /// - |size| x rate x multiplier (two truncations): a linear requirement's growth.
  void subtract_requirement(Quantity size, Ratio rate, Ratio multiplier) noexcept;
  /// + another sum (its error included).
  void add(const SlopeSum& other) noexcept;
  /// This sum times a weight in [0, 1] (one truncation): a profit weight.
  [[nodiscard]] SlopeSum weighted(Ratio weight) const noexcept;

  [[nodiscard]] bool known() const noexcept { return known_; }
  /// The slope, or none when a term overflowed.
  [[nodiscard]] std::optional<i128> raw_value() const noexcept {
    return known_ ? std::optional<i128>(value_) : std::nullopt;
  }
  /// The exact slope is surely >= 0 (resp. <= 0).
  [[nodiscard]] bool surely_non_negative() const noexcept { return known_ && value_ >= error_; }
  [[nodiscard]] bool surely_non_positive() const noexcept { return known_ && value_ <= -error_; }

 private:
  void add_exact(i128 v) noexcept {
    if (!known_ || __builtin_add_overflow(value_, v, &value_)) known_ = false;
  }
  void add_quotient(i128 x, i128 d) noexcept;
  void add_product_raw(i128 x, i128 y, bool negate) noexcept;

  i128 value_ = 0;
  i128 error_ = 0;
  bool known_ = true;
};

}  // namespace vmargin
