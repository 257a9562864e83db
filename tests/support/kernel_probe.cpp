// kernel_probe: evaluates the kernels of numeric/kernels.hpp for the
// independent checker (tests/independent/check_kernels.py), in batch.
//
// stdin, one call per line: a function name and its arguments as raw
// integers (the signed count of 10^-18), e.g. `exp -1000000000000000000`,
// `pow 2000000000000000000 500000000000000000`. stdout, one line per input
// line: the raw result, or `error <code>` with the stable code name
// (docs/errors.md). A malformed line is `error bad_request` and does not
// stop the batch. Links vmargin::core only.
//
// To add a function: one entry in `functions` below, with its arity and a
// lambda from parsed arguments to a printed result.
//
// The options of docs/spec.md §12 (tests/independent/check_options.py),
// `secs` a whole number of seconds, `type` the word call or put, every
// other argument raw:
//   black76 secs D sigma F K         -> call put call_delta d1 tau sqrt_tau tv
//                                       (d1 is `none` when degenerate)
//   greeks secs rate sigma F K type  -> delta gamma vega vega_per_point
//                                       theta_per_year theta_per_day, with
//                                       D = discount_factor(rate, tau)
//   svi a b rho m sigma Fref tau K   -> the volatility (validate first; a
//                                       validation error adds its path)
//   short_req type K S mark a b c cp floor -> initial maintenance (c is the
//                                       call and the put maintenance rate)
//   max_loss F uI uM [type K q]...   -> initial maintenance
#include <array>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/numeric/fixed.hpp"
#include "vmargin/numeric/kernels.hpp"
#include "vmargin/numeric/wide.hpp"
#include "vmargin/options/black76.hpp"
#include "vmargin/options/greeks.hpp"
#include "vmargin/options/option_margin.hpp"
#include "vmargin/options/svi.hpp"

namespace {

using namespace vmargin;

// A parsed argument: a sign and a magnitude below 2^256.
struct Arg {
  bool negative = false;
  U256 magnitude{};
};

std::optional<Arg> parse_arg(std::string_view text) {
  Arg arg;
  if (!text.empty() && text.front() == '-') {
    arg.negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 78) return std::nullopt;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    // magnitude x 10 + digit, rejecting anything at or above 2^256.
    const U256 lo = mul_wide(arg.magnitude.lo, 10);
    const U256 hi = mul_wide(arg.magnitude.hi, 10);
    if (hi.hi != 0) return std::nullopt;
    U256 next{hi.lo + lo.hi, lo.lo + static_cast<u128>(ch - '0')};
    if (next.hi < hi.lo) return std::nullopt;
    if (next.lo < lo.lo && ++next.hi == 0) return std::nullopt;
    arg.magnitude = next;
  }
  return arg;
}

// The argument as a Ratio, when it is in the fixed-point range.
std::optional<Ratio> as_ratio(const Arg& arg) {
  if (arg.magnitude.hi != 0 || arg.magnitude.lo > static_cast<u128>(fixed_max_raw)) return std::nullopt;
  const auto raw = static_cast<i128>(arg.magnitude.lo);
  return Ratio::from_raw(arg.negative ? -raw : raw);
}

std::string to_text(U256 value) {
  std::string digits;
  constexpr u128 chunk = 10'000'000'000'000'000'000u;  // 10^19
  do {
    // (hi x 2^128 + lo) / 10^19 in two steps that each fit div_wide.
    const u128 q_hi = value.hi / chunk;
    const WideDivision low = div_wide(U256{value.hi % chunk, value.lo}, chunk);
    value = U256{q_hi, low.quotient};
    u128 rest = low.remainder;
    for (int i = 0; i < 19; ++i) {
      digits.push_back(static_cast<char>('0' + static_cast<int>(rest % 10)));
      rest /= 10;
    }
  } while (value.hi != 0 || value.lo != 0);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return {digits.rbegin(), digits.rend()};
}

std::string to_text(i128 raw) {
  const std::string digits = to_text(U256{0, magnitude(raw)});
  return raw < 0 ? "-" + digits : digits;
}

std::string error_text(const Error& error) { return "error " + std::string(error_code_name(error.code())); }

template <class T>
std::string result_text(const Result<T>& result) {
  if (!result) return error_text(result.error());
  if constexpr (std::is_same_v<T, U256>) {
    return to_text(result.value());
  } else {
    return to_text(result.value().raw());
  }
}

// Each function takes Ratio arguments (ln_wide: one unsigned 256-bit raw).
using Ratios = std::array<Ratio, 2>;
struct Function {
  std::string_view name;
  int arity;
  bool wide_argument;  // the single argument is an unsigned 256-bit raw
  std::function<std::string(const Ratios&, const U256&)> run;
};

const std::vector<Function>& functions() {
  static const std::vector<Function> table = {
      {"exp", 1, false, [](const Ratios& a, const U256&) { return result_text(kernel::exp(a[0])); }},
      {"exp_wide", 1, false,
       [](const Ratios& a, const U256&) { return result_text(kernel::exp_wide(a[0])); }},
      {"ln", 1, false, [](const Ratios& a, const U256&) { return result_text(kernel::ln(a[0])); }},
      {"ln_wide", 1, true, [](const Ratios&, const U256& w) { return result_text(kernel::ln_wide(w)); }},
      {"sqrt", 1, false, [](const Ratios& a, const U256&) { return result_text(kernel::sqrt(a[0])); }},
      {"cdf", 1, false, [](const Ratios& a, const U256&) { return to_text(kernel::normal_cdf(a[0]).raw()); }},
      {"pdf", 1, false, [](const Ratios& a, const U256&) { return to_text(kernel::normal_pdf(a[0]).raw()); }},
      {"pow", 2, false, [](const Ratios& a, const U256&) { return result_text(kernel::pow(a[0], a[1])); }},
  };
  return table;
}

// The option functions take their words as text (a type word among them).
using Words = std::vector<std::string_view>;

struct BadRequest {};

Ratio ratio_word(std::string_view word) {
  const auto arg = parse_arg(word);
  if (!arg) throw BadRequest{};
  const auto ratio = as_ratio(*arg);
  if (!ratio) throw BadRequest{};
  return *ratio;
}

std::int64_t seconds_word(std::string_view word) {
  const i128 raw = ratio_word(word).raw();
  if (raw > INT64_MAX || raw < INT64_MIN) throw BadRequest{};
  return static_cast<std::int64_t>(raw);
}

OptionType type_word(std::string_view word) {
  if (word == "call") return OptionType::call;
  if (word == "put") return OptionType::put;
  throw BadRequest{};
}

template <class... Fixed>
std::string raws(Fixed... values) {
  std::string out;
  ((out += (out.empty() ? "" : " ") + to_text(values.raw())), ...);
  return out;
}

Black76Inputs black76_words(const Words& w, Ratio discount) {
  return Black76Inputs{seconds_word(w[1]), discount, ratio_word(w[3]),
                       Price::from_raw(ratio_word(w[4]).raw()), Price::from_raw(ratio_word(w[5]).raw())};
}

std::string run_black76(const Words& w) {
  const Result<Black76Prices> r = black76(black76_words(w, ratio_word(w[2])));
  if (!r) return error_text(r.error());
  const Black76Terms& t = r->terms;
  return raws(r->call, r->put, r->call_delta) + " " + (t.degenerate ? "none" : to_text(t.d1.raw())) + " " +
         raws(t.tau, t.sqrt_tau, t.total_volatility);
}

std::string run_greeks(const Words& w) {
  const std::int64_t seconds = seconds_word(w[1]);
  const Ratio rate = ratio_word(w[2]);
  const OptionType type = type_word(w[6]);
  // A negative time is black76's error (annualise would give a negative tau).
  Ratio discount = Ratio::one();
  if (seconds >= 0) {
    const Result<Ratio> d = discount_factor(rate, annualise(seconds));
    if (!d) return error_text(d.error());
    discount = *d;
  }
  const Black76Inputs in = black76_words(w, discount);
  const Result<Black76Prices> prices = black76(in);
  if (!prices) return error_text(prices.error());
  const Result<OptionGreeks> g = black76_greeks(in, *prices, rate, type);
  if (!g) return error_text(g.error());
  return raws(g->delta, g->gamma, g->vega, g->vega_per_point, g->theta_per_year, g->theta_per_day);
}

std::string run_svi(const Words& w) {
  const SviParameters svi{ratio_word(w[1]), ratio_word(w[2]), ratio_word(w[3]),
                          ratio_word(w[4]), ratio_word(w[5]), Price::from_raw(ratio_word(w[6]).raw()),
                          ratio_word(w[7])};
  if (const Status s = validate(svi); !s) return error_text(s.error()) + " " + s.error().path();
  return result_text(svi_volatility(svi, Price::from_raw(ratio_word(w[8]).raw())));
}

OptionMarginRates rates_words(const Words& w, std::size_t first) {
  OptionMarginRates r;
  r.max_spot_rate = ratio_word(w[first]);
  r.min_spot_rate = ratio_word(w[first + 1]);
  r.call_maintenance_rate = r.put_maintenance_rate = ratio_word(w[first + 2]);
  r.put_maintenance_mark_rate = ratio_word(w[first + 3]);
  r.put_initial_floor = ratio_word(w[first + 4]);
  return r;
}

std::string run_short_req(const Words& w) {
  const auto price = [&](std::size_t i) { return Price::from_raw(ratio_word(w[i]).raw()); };
  const Result<OptionRequirement> r =
      short_option_requirement(type_word(w[1]), price(2), price(3), price(4), rates_words(w, 5));
  if (!r) return error_text(r.error());
  return raws(r->initial, r->maintenance);
}

std::string run_max_loss(const Words& w) {
  if ((w.size() - 4) % 3 != 0) throw BadRequest{};
  OptionMarginRates rates;
  rates.unpaired_initial_scale = ratio_word(w[2]);
  rates.unpaired_maintenance_scale = ratio_word(w[3]);
  std::vector<ExpiryLeg> legs;
  for (std::size_t i = 4; i < w.size(); i += 3)
    legs.push_back(ExpiryLeg{type_word(w[i]), Price::from_raw(ratio_word(w[i + 1]).raw()),
                             Quantity::from_raw(ratio_word(w[i + 2]).raw())});
  const Result<NettedRequirement> r =
      max_loss_requirement(legs, Price::from_raw(ratio_word(w[1]).raw()), rates);
  if (!r) return error_text(r.error());
  return raws(r->initial, r->maintenance);
}

struct OptionFunction {
  std::string_view name;
  std::size_t min_words;  // including the name
  bool variadic;
  std::string (*run)(const Words&);
};

constexpr std::array<OptionFunction, 5> option_functions{{
    {"black76", 6, false, run_black76},
    {"greeks", 7, false, run_greeks},
    {"svi", 9, false, run_svi},
    {"short_req", 10, false, run_short_req},
    {"max_loss", 4, true, run_max_loss},
}};

std::string evaluate_line(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t\r");
    words.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  if (words.empty()) return "error bad_request";
  for (const OptionFunction& f : option_functions) {
    if (f.name != words[0]) continue;
    if (f.variadic ? words.size() < f.min_words : words.size() != f.min_words) return "error bad_request";
    try {
      return f.run(words);
    } catch (const BadRequest&) {
      return "error bad_request";
    }
  }
  for (const Function& f : functions()) {
    if (f.name != words[0]) continue;
    if (static_cast<int>(words.size()) != f.arity + 1) return "error bad_request";
    Ratios ratios{};
    U256 wide{};
    for (int i = 0; i < f.arity; ++i) {
      const auto arg = parse_arg(words[static_cast<std::size_t>(i) + 1]);
      if (!arg) return "error bad_request";
      if (f.wide_argument) {
        if (arg->negative) return "error bad_request";
        wide = arg->magnitude;
      } else {
        const auto ratio = as_ratio(*arg);
        if (!ratio) return "error decimal_out_of_range";
        ratios[static_cast<std::size_t>(i)] = *ratio;
      }
    }
    return f.run(ratios, wide);
  }
  return "error bad_request";
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    out += evaluate_line(line);
    out += '\n';
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
