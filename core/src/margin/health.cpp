#include "vmargin/margin/health.hpp"

#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"

namespace vmargin {

std::string_view status_name(MarginStatus status) noexcept {
  switch (status) {
    case MarginStatus::healthy:
      return "healthy";
    case MarginStatus::margin_call:
      return "margin_call";
    case MarginStatus::liquidatable:
      return "liquidatable";
    case MarginStatus::bankrupt:
      return "bankrupt";
  }
  return "unknown";
}

bool is_bankrupt(Money equity, Money maintenance) noexcept {
  return equity.is_negative() || (equity.is_zero() && maintenance.is_positive());
}

MarginStatus classify(Money equity, Money maintenance, Ratio margin_call_ratio) noexcept {
  if (is_bankrupt(equity, maintenance)) return MarginStatus::bankrupt;
  if (equity < maintenance) return MarginStatus::liquidatable;
  // equity / maintenance < ratio  <=>  equity x 1 < maintenance x ratio.
  if (maintenance.is_positive() && compare_products(equity, Ratio::one(), maintenance, margin_call_ratio) < 0)
    return MarginStatus::margin_call;
  return MarginStatus::healthy;
}

std::optional<Ratio> margin_ratio(Money equity, Money maintenance) noexcept {
  if (maintenance.is_zero()) return std::nullopt;
  if (Result<Ratio> r = div(equity, maintenance, Round::down); r.ok()) return *r;
  // Only overflow is possible (the divisor is nonzero): saturate.
  return (equity.is_negative() != maintenance.is_negative()) ? Ratio::min() : Ratio::max();
}

}  // namespace vmargin
