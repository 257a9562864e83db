#include "vmargin/liquidation/adl.hpp"

#include "vmargin/numeric/arithmetic.hpp"

namespace vmargin {

Result<std::optional<Ratio>> adl_index(const PositionValuation& p, const PoolFigures& pool) {
  if (!p.value.unrealized_pnl.value.is_positive() || !pool.equity.is_positive())
    return std::optional<Ratio>{};
  const Position& pos = *p.position;
  const Price mark = p.feed->mark;
  VMARGIN_TRY(const Ratio gain, pos.quantity.is_positive() ? div(mark, pos.entry_price, Round::down)
                                                           : div(pos.entry_price, mark, Round::down));
  VMARGIN_TRY(const Ratio index, mul_div(gain, p.value.notional, pool.equity, Round::down));
  return std::optional<Ratio>{index};
}

}  // namespace vmargin
