// Umbrella header of the pure core (vmargin::core): numbers, model, margin
// math and the engine. No I/O, no JSON, no floating point.
#pragma once

#include "vmargin/engine/engine.hpp"
#include "vmargin/engine/report.hpp"
#include "vmargin/error.hpp"
#include "vmargin/liquidation/price_search.hpp"
#include "vmargin/margin/collateral.hpp"
#include "vmargin/margin/health.hpp"
#include "vmargin/margin/position_value.hpp"
#include "vmargin/margin/requirement.hpp"
#include "vmargin/margin/scaling.hpp"
#include "vmargin/margin/tiers.hpp"
#include "vmargin/model/account.hpp"
#include "vmargin/model/input_path.hpp"
#include "vmargin/model/market_state.hpp"
#include "vmargin/model/risk_parameters.hpp"
#include "vmargin/numeric/arithmetic.hpp"
#include "vmargin/numeric/compare.hpp"
#include "vmargin/numeric/decimal.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/numeric/wide.hpp"
#include "vmargin/version.hpp"
