#include "vmargin/margin/tiers.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

std::size_t tier_index(const std::vector<Tier>& tiers, Money tier_notional) noexcept {
  for (std::size_t k = 0; k + 1 < tiers.size(); ++k) {
    if (tier_notional <= *tiers[k].max_notional) return k;
  }
  return tiers.size() - 1;
}

}  // namespace vmargin
