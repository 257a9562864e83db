// The account's structural rules (docs/spec.md §3.3, in the order of §4 step 5).
#include "vmargin/model/account.hpp"

#include "vmargin/model/keyed.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin {

namespace {
constexpr std::string_view long_suffix = ":long";
constexpr std::string_view short_suffix = ":short";

// A hedge leg's side and sign agree; legs are cross-margined.
Status validate_leg(const Position& p) {
  const auto path = [&p](const char* field) { return input_path::position(p.key()) + field; };
  const bool is_long = p.leg == PositionLeg::long_leg;
  if (p.quantity.is_positive() != is_long) {
    return invalid(path("/quantity"),
                   "the " + std::string(is_long ? "long" : "short") + " leg " + p.key() + " has quantity " +
                       to_string(p.quantity) + "; a " +
                       (is_long ? "long leg's must be positive" : "short leg's must be negative"));
  }
  if (p.isolated_margin) {
    return invalid(path("/isolated_margin"),
                   "hedge leg " + p.key() +
                       " has an isolated margin; legs are cross-margined (isolated legs are "
                       "not supported yet)");
  }
  return Ok{};
}
}  // namespace

std::string Position::key() const {
  switch (leg) {
    case PositionLeg::long_leg:
      return market + std::string(long_suffix);
    case PositionLeg::short_leg:
      return market + std::string(short_suffix);
    case PositionLeg::net:
      break;
  }
  return market;
}

std::optional<KeyedLeg> leg_of_key(std::string_view key) noexcept {
  for (const auto& [suffix, leg] :
       {std::pair{long_suffix, PositionLeg::long_leg}, std::pair{short_suffix, PositionLeg::short_leg}}) {
    if (key.size() > suffix.size() && key.ends_with(suffix))
      return KeyedLeg{key.substr(0, key.size() - suffix.size()), leg};
  }
  return std::nullopt;
}

Status validate(const Account& account) {
  VMARGIN_CHECK(check_sorted_unique(
      account.collateral, [](const CollateralBalance& b) -> const std::string& { return b.asset; },
      "collateral asset", input_path::account, "/collateral"));
  if (account.position_mode == PositionMode::one_way) {
    VMARGIN_CHECK(check_sorted_unique(
        account.positions, [](const Position& p) -> const std::string& { return p.market; },
        "position market", input_path::account, "/positions"));
  } else {
    VMARGIN_CHECK(check_sorted_unique(
        account.positions, [](const Position& p) { return p.key(); }, "position", input_path::account,
        "/positions"));
  }
  for (const Position& p : account.positions) {
    // Paths are built only on the error path: validation runs on every evaluation.
    const auto path = [&p](const char* field) { return input_path::position(p.key()) + field; };
    if (p.quantity.is_zero())
      return invalid(path("/quantity"), "position in " + p.key() + " has a zero quantity");
    if (!p.entry_price.is_positive()) {
      return invalid(path("/entry_price"),
                     "entry price " + to_string(p.entry_price) + " of " + p.key() + " is not positive");
    }
    if (p.isolated_margin && p.isolated_margin->is_negative()) {
      return invalid(path("/isolated_margin"),
                     "isolated margin " + to_string(*p.isolated_margin) + " of " + p.market + " is negative");
    }
    if (p.leg != PositionLeg::net) VMARGIN_CHECK(validate_leg(p));
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
