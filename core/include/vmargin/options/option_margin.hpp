// Standard (per-position) option margin, the formula family Deribit, OKX,
// Aevo and Derive's standard manager share (docs/spec.md §O.4), and Derive's
// exact max-loss netting per expiry for spreads.
//
// All amounts are per one unit of the underlying in the quote currency;
// inverse (coin-margined) markets divide by the index afterwards, where
// positions are valued. Every rounding is against the account: the
// out-of-the-money relief rounds down, every requirement term up.
#pragma once

#include <span>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/options/greeks.hpp"

namespace vmargin {

/// The signed rates of the standard option margin (Deribit: 0.15, 0.10,
/// 0.075, 0.075, 0.075, 1; Derive mainnet: 0.15, 0.13, 0.09, 0.09, 0.09,
/// 1.05 with unpaired scales 1.2 / 1.1).
struct OptionMarginRates {
  Ratio max_spot_rate;               ///< a: short IM = max(a - OTM/S, b) x S + mark
  Ratio min_spot_rate;               ///< b
  Ratio call_maintenance_rate;       ///< short call MM = c x S + mark
  Ratio put_maintenance_rate;        ///< short put MM = max(c x S, c' x mark) + mark
  Ratio put_maintenance_mark_rate;   ///< c'
  Ratio put_initial_floor;           ///< short put IM >= this x MM (1 = Deribit's max(IM, MM))
  Ratio unpaired_initial_scale;      ///< netting: per net short call, this x F (initial)
  Ratio unpaired_maintenance_scale;  ///< the same for maintenance
};

/// Requirements of one short unit; a long carries none (it paid the premium).
struct OptionRequirement {
  Price initial;
  Price maintenance;
};

/// The standard requirement of one short unit at index `spot` with the
/// option worth `mark` per unit. Fails with overflow only outside the
/// fixed-point range.
[[nodiscard]] Result<OptionRequirement> short_option_requirement(OptionType type, Price strike, Price spot,
                                                                 Price mark, const OptionMarginRates& rates);

/// One option position of an expiry, for netting.
struct ExpiryLeg {
  OptionType type = OptionType::call;
  Price strike;
  Quantity quantity;  ///< signed: negative is short
};

/// Requirements of a set of positions, in the quote currency.
struct NettedRequirement {
  Money initial;
  Money maintenance;
};

/// The expiry's netted requirements: the worst settlement payoff over the
/// prices {0} and every strike (exact, then rounded up), plus, when calls
/// are net short, scale x F per net short call (no strike bounds that loss).
[[nodiscard]] Result<NettedRequirement> max_loss_requirement(std::span<const ExpiryLeg> legs, Price forward,
                                                             const OptionMarginRates& rates);

}  // namespace vmargin
