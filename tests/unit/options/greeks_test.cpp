// The closed-form Greeks against central finite differences of the Black-76
// price itself: two independent routes to the same derivative.
#include "vmargin/options/greeks.hpp"

#include "support/test_support.hpp"

using namespace vmargin;
using vmargin::test::dec;
using vmargin::test::error_of;
using vmargin::test::ok_value;

namespace {

struct Quote {
  std::int64_t seconds;
  Ratio rate, sigma;
  Price forward, strike;
};

Black76Inputs inputs_of(const Quote& m) {
  const Ratio d = ok_value(discount_factor(m.rate, annualise(m.seconds)));
  return Black76Inputs{m.seconds, d, m.sigma, m.forward, m.strike};
}

Price value_of(const Quote& m, OptionType type) {
  const Black76Prices p = ok_value(black76(inputs_of(m)));
  return type == OptionType::call ? p.call : p.put;
}

OptionGreeks greeks_of(const Quote& m, OptionType type) {
  const Black76Inputs in = inputs_of(m);
  return ok_value(black76_greeks(in, ok_value(black76(in)), m.rate, type));
}

// (f(+) - f(-)) / (2 h) in 18 decimals, h given raw.
i128 central(i128 plus, i128 minus, i128 h_raw) {
  return (plus - minus) * fixed_scale / (2 * h_raw);  // differences here are < 10^19: no overflow
}

bool near(i128 a, i128 b, i128 tolerance) { return a - b <= tolerance && b - a <= tolerance; }

}  // namespace

TEST_CASE("discount_factor: 1 exactly without a rate, e^(-r tau) otherwise, negative rates refused") {
  CHECK(ok_value(discount_factor(Ratio::zero(), Ratio::one())) == Ratio::one());
  CHECK(ok_value(discount_factor(dec<Ratio>("0.05"), Ratio::zero())) == Ratio::one());
  // e^-0.05 = 0.951229424500714...
  const Ratio d = ok_value(discount_factor(dec<Ratio>("0.05"), Ratio::one()));
  CHECK(d > dec<Ratio>("0.951229424500714"));
  CHECK(d < dec<Ratio>("0.951229424500715"));
  CHECK(error_of(discount_factor(dec<Ratio>("-0.01"), Ratio::one())).code() == ErrorCode::invalid_value);
  CHECK(error_of(discount_factor(dec<Ratio>("100"), dec<Ratio>("100"))).code() == ErrorCode::invalid_value);
}

TEST_CASE("Greeks match finite differences of the price (calls and puts, ITM, ATM, OTM)") {
  for (const char* strike : {"1500", "2000", "2600"}) {
    for (const OptionType type : {OptionType::call, OptionType::put}) {
      CAPTURE(strike);
      CAPTURE(static_cast<int>(type));
      const Quote m{30 * 86400, dec<Ratio>("0.05"), dec<Ratio>("0.8"), dec<Price>("2000"),
                    dec<Price>(strike)};
      const OptionGreeks g = greeks_of(m, type);

      const Price h = dec<Price>("0.01");
      Quote up = m, down = m;
      up.forward = Price::from_raw(m.forward.raw() + h.raw());
      down.forward = Price::from_raw(m.forward.raw() - h.raw());
      CHECK(near(g.delta.raw(), central(value_of(up, type).raw(), value_of(down, type).raw(), h.raw()),
                 10'000'000'000));  // 1e-8

      const Price hg = dec<Price>("1");
      up.forward = Price::from_raw(m.forward.raw() + hg.raw());
      down.forward = Price::from_raw(m.forward.raw() - hg.raw());
      CHECK(near(g.gamma.raw(),
                 central(greeks_of(up, type).delta.raw(), greeks_of(down, type).delta.raw(), hg.raw()),
                 1'000'000'000));  // 1e-9 per quote unit

      const Ratio hv = dec<Ratio>("0.000001");
      Quote vu = m, vd = m;
      vu.sigma = Ratio::from_raw(m.sigma.raw() + hv.raw());
      vd.sigma = Ratio::from_raw(m.sigma.raw() - hv.raw());
      CHECK(near(g.vega.raw(), central(value_of(vu, type).raw(), value_of(vd, type).raw(), hv.raw()),
                 1'000'000'000'000));  // 1e-6 quote per 1.00 vol
      CHECK(g.vega_per_point.raw() == g.vega.raw() / 100);

      // theta = -dV/dtau: time passing shortens the expiry.
      Quote later = m, earlier = m;
      later.seconds = m.seconds - 60;
      earlier.seconds = m.seconds + 60;
      const i128 h_tau = annualise(m.seconds + 60).raw() - annualise(m.seconds).raw();
      CHECK(near(g.theta_per_year.raw(),
                 central(value_of(later, type).raw(), value_of(earlier, type).raw(), h_tau),
                 100'000'000'000'000));  // 1e-4 quote per year (|theta| ~ 10^3)
      CHECK(g.theta_per_day.raw() == g.theta_per_year.raw() / 365);
      CHECK(g.theta_per_year.is_negative());
      CHECK(g.gamma.is_positive());
      CHECK(g.vega.is_positive());
    }
  }
}

TEST_CASE("Greeks at zero total volatility, at the cap, and where gamma overflows") {
  const Quote expired{0, Ratio::zero(), dec<Ratio>("0.8"), dec<Price>("2000"), dec<Price>("1500")};
  const OptionGreeks call = greeks_of(expired, OptionType::call);
  CHECK(call.delta == Ratio::one());
  CHECK(call.gamma == Ratio::zero());
  CHECK(call.vega == Price::zero());
  CHECK(call.theta_per_year == Price::zero());
  const OptionGreeks put = greeks_of(expired, OptionType::put);
  CHECK(put.delta == Ratio::zero());

  const Quote capped{86400 * 365, dec<Ratio>("0.01"), dec<Ratio>("30"), dec<Price>("2000"),
                     dec<Price>("1500")};
  const OptionGreeks c = greeks_of(capped, OptionType::call);
  CHECK(c.vega == Price::zero());
  CHECK(c.gamma == Ratio::zero());
  // Only the carry: r x V.
  const Price v = value_of(capped, OptionType::call);
  CHECK(c.theta_per_year.raw() == v.raw() / 100);

  // ATM at a 10^-18 forward over one second: gamma ~ 10^36 / tv.
  const Quote tiny{1, Ratio::zero(), dec<Ratio>("0.0001"), Price::epsilon(), Price::epsilon()};
  const Black76Inputs in = inputs_of(tiny);
  CHECK(error_of(black76_greeks(in, ok_value(black76(in)), tiny.rate, OptionType::call)).code() ==
        ErrorCode::overflow);
}
