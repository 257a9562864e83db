#include "vmargin/liquidation/adl.hpp"

#include "vmargin/numeric/saturating.hpp"

namespace vmargin {

// §7.5. The index is a ranking key: where the pool's equity is dust the exact
// quotient exceeds the representable range, and the index is clamped to the
// largest value (ranking first) rather than failing the whole report.
Result<std::optional<Ratio>> adl_index(const PositionValuation& p, const PoolFigures& pool) {
  if (!p.value.unrealized_pnl.value.is_positive() || !pool.equity.is_positive())
    return std::optional<Ratio>{};
  const Position& pos = *p.position;
  const Price mark = p.feed->mark;
  VMARGIN_TRY(const Ratio gain,
              (pos.quantity.is_positive() ? div(mark, pos.entry_price, Round::down)
                                          : div(pos.entry_price, mark, Round::down))
                  .on_error([](Error& e) { e.context("ADL index: the price ratio of mark and entry"); }));
  VMARGIN_TRY(const Ratio index, mul_div_saturating(gain, p.value.notional, pool.equity, Round::down));
  return std::optional<Ratio>{index};
}

}  // namespace vmargin
