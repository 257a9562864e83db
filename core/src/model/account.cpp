// The account's structural rules (docs/spec.md §3.3, in the order of §4 step 5).
#include "vmargin/model/account.hpp"

#include "vmargin/model/keyed.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {

Status validate(const Account& account) {
  VMARGIN_CHECK(check_sorted_unique(
      account.collateral, [](const CollateralBalance& b) -> const std::string& { return b.asset; },
      "collateral asset", input_path::account, "/collateral"));
  VMARGIN_CHECK(check_sorted_unique(
      account.positions, [](const Position& p) -> const std::string& { return p.market; }, "position market",
      input_path::account, "/positions"));
  for (const Position& p : account.positions) {
    // Paths are built only on the error path: validation runs on every evaluation.
    const auto path = [&p](const char* field) { return input_path::position(p.market) + field; };
    if (p.quantity.is_zero())
      return invalid(path("/quantity"), "position in " + p.market + " has a zero quantity");
    if (!p.entry_price.is_positive()) {
      return invalid(path("/entry_price"),
                     "entry price " + to_string(p.entry_price) + " of " + p.market + " is not positive");
    }
    if (p.isolated_margin && p.isolated_margin->is_negative()) {
      return invalid(path("/isolated_margin"),
                     "isolated margin " + to_string(*p.isolated_margin) + " of " + p.market + " is negative");
    }
  }
  for (std::size_t i = 0; i < account.open_orders.size(); ++i) {
    const OpenOrder& o = account.open_orders[i];
    const auto path = [i](const char* field) { return input_path::open_order(i) + field; };
    if (o.market.empty())
      return invalid(path("/market"), "open order " + std::to_string(i) + " names no market");
    if (!o.quantity.is_positive()) {
      return invalid(path("/quantity"),
                     "open order quantity " + to_string(o.quantity) + " in " + o.market + " is not positive");
    }
    if (!o.price.is_positive()) {
      return invalid(path("/price"),
                     "open order price " + to_string(o.price) + " in " + o.market + " is not positive");
    }
  }
  return Ok{};
}

}  // namespace vmargin
