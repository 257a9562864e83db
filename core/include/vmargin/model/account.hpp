// An account's state as the exchange states it: collateral balances and
// open positions, each either in the shared cross pool or isolated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"

namespace vmargin {

struct CollateralBalance {
  std::string asset;  ///< a CollateralAsset id
  Money amount;       ///< signed; negative is a liability (a borrow)
};

/// Which side of a hedge-mode market a position is (docs/spec.md §3.3):
/// one-way accounts hold one net position per market.
enum class PositionLeg : std::uint8_t { net, long_leg, short_leg };

struct Position {
  std::string market;  ///< a Market id of the risk parameters
  Quantity quantity;   ///< signed: positive long, negative short, nonzero
  Price entry_price;   ///< positive
  /// Funding accrued but not yet settled, in the market's margin asset
  /// (valuation currency for linear, coin for inverse); positive is owed to
  /// the account.
  Money pending_funding;
  /// Present: the position is isolated, with this much margin of its own (in
  /// the market's margin asset). Absent: it is in the cross pool.
  std::optional<Money> isolated_margin;
  /// Hedge mode (Binance): the long or the short leg of `market`, each
  /// with its own entry and requirement.
  PositionLeg leg = PositionLeg::net;

  [[nodiscard]] bool is_isolated() const noexcept { return isolated_margin.has_value(); }
  /// The position's key in the account and the report: the market id, or
  /// "<market>:long" / "<market>:short" for a hedge leg.
  [[nodiscard]] std::string key() const;
};

/// The leg a position key names in a hedge-mode account ("BTC-PERP:long"),
/// with the market id before the suffix; none for a key without a suffix.
struct KeyedLeg {
  std::string_view market;
  PositionLeg leg;
};
[[nodiscard]] std::optional<KeyedLeg> leg_of_key(std::string_view key) noexcept;

/// A resting limit order (docs/spec.md §5.9): counted in the initial margin
/// of its market's pool as if every order of its side filled.
struct OpenOrder {
  std::string market;        ///< a (non-option) Market id
  bool buy = true;           ///< side: buy or sell
  Quantity quantity;         ///< > 0
  Price price;               ///< the limit price, > 0
  bool reduce_only = false;  ///< can only close exposure: never counted
};

/// How the account's cross pool is margined (docs/spec.md §14.1).
enum class MarginMode : std::uint8_t {
  standard,   ///< per-position requirements (§5, §13)
  portfolio,  ///< worst loss over a scenario grid per underlying (§14)
};

/// How positions are held (docs/spec.md §3.3): one net position per market,
/// or Binance's hedge mode, a long and a short leg per market at once.
enum class PositionMode : std::uint8_t { one_way, hedge };

struct Account {
  std::string id;
  MarginMode margin_mode = MarginMode::standard;
  PositionMode position_mode = PositionMode::one_way;
  /// Sorted by asset, unique.
  std::vector<CollateralBalance> collateral;
  /// Sorted by key, unique: one position per market, or per hedge leg.
  std::vector<Position> positions;
  /// In the order given (their paths are their indices).
  std::vector<OpenOrder> open_orders;
};

/// Structural rules (nonzero quantities, positive entry prices, non-negative
/// isolated margins, sorted unique keys; orders with a market, a positive
/// quantity and a positive price). References to markets and assets
/// are checked by evaluate().
[[nodiscard]] Status validate(const Account& account);

}  // namespace vmargin
