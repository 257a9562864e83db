#include "vmargin/watch/exchange_book.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "vmargin/numeric/decimal.hpp"

namespace vmargin::watch {
namespace {

// The watch follows statuses and sums; liquidation prices are not events,
// and plans are asked for only where a pool became liquidatable.
EvaluationOptions figures_only() {
  EvaluationOptions o;
  o.liquidation_prices = false;
  o.liquidation_plans = false;
  return o;
}

PoolState pool_state(std::optional<std::string> isolated_market, const PoolFigures& f) {
  return PoolState{std::move(isolated_market), f.status, f.equity, f.maintenance_margin,
                   f.insurance_fund_shortfall};
}

AccountState account_state(const ValidatedParameters& params, const MarketState& prices,
                           const Account& account) {
  AccountState s;
  Result<AccountReport> r = evaluate(params, prices, account, figures_only());
  if (!r.ok()) {
    s.error = r.error();
    return s;
  }
  const AccountReport& report = r.value();
  s.pools.push_back(pool_state(std::nullopt, report.cross));
  for (const IsolatedPoolReport& p : report.isolated) s.pools.push_back(pool_state(p.market, p.pool));
  for (const PositionReport& p : report.positions) {
    if (!p.adl_index) continue;
    const auto at = std::lower_bound(account.positions.begin(), account.positions.end(), p.market,
                                     [](const Position& q, const std::string& m) { return q.key() < m; });
    s.adl.push_back(AdlEntry{static_cast<std::uint32_t>(at - account.positions.begin()), *p.adl_index});
  }
  return s;
}

// The same failure: the message may name the evaluation time (an expired
// contract), which moves on every tick without the account changing.
bool same_error(const Error& a, const Error& b) { return a.code() == b.code() && a.path() == b.path(); }

MarginStatus worst_status(const AccountState& s) {
  MarginStatus worst = MarginStatus::healthy;
  for (const PoolState& p : s.pools) worst = std::max(worst, p.status);
  return worst;
}

bool needs_plan(const StatusChange& c) {
  return c.to && *c.to >= MarginStatus::liquidatable && (!c.from || *c.from < *c.to);
}

// Pools compared by key: the cross pool (no market) first, then by market.
bool pool_before(const PoolState& a, const PoolState& b) { return a.isolated_market < b.isolated_market; }

void pool_changes(std::size_t account, const AccountState& before, const AccountState& after,
                  std::vector<StatusChange>& out) {
  auto b = before.pools.begin();
  auto a = after.pools.begin();
  const auto emit = [&](const PoolState* from, const PoolState* to) {
    // A healthy pool appearing or going away is not news (a new account, a
    // closed position); anything else is.
    if ((from == nullptr && to->status == MarginStatus::healthy) ||
        (to == nullptr && from->status == MarginStatus::healthy))
      return;
    StatusChange c;
    c.account = account;
    c.isolated_market = (to != nullptr ? to : from)->isolated_market;
    if (from != nullptr) c.from = from->status;
    if (to != nullptr) c.to = to->status;
    if (c.to == MarginStatus::bankrupt && c.from != MarginStatus::bankrupt)
      c.insurance_fund_draw = to->insurance_fund_shortfall;
    out.push_back(std::move(c));
  };
  while (b != before.pools.end() || a != after.pools.end()) {
    if (a == after.pools.end() || (b != before.pools.end() && pool_before(*b, *a))) {
      emit(&*b++, nullptr);
    } else if (b == before.pools.end() || pool_before(*a, *b)) {
      emit(nullptr, &*a++);
    } else {
      if (b->status != a->status) emit(&*b, &*a);
      ++a;
      ++b;
    }
  }
}

// The plans of the pools that became liquidatable, from one evaluation
// with plans (the same prices and account, so the same figures).
void attach_plans(const ValidatedParameters& params, const MarketState& prices, const Account& account,
                  std::vector<StatusChange>::iterator first, std::vector<StatusChange>::iterator last) {
  if (std::none_of(first, last, needs_plan)) return;
  EvaluationOptions o = figures_only();
  o.liquidation_plans = true;
  const Result<AccountReport> r = evaluate(params, prices, account, o);
  if (!r.ok()) return;  // cannot differ from the evaluation without plans
  for (auto c = first; c != last; ++c) {
    if (!needs_plan(*c)) continue;
    const PoolReport* pool = &r.value().cross;
    for (const IsolatedPoolReport& p : r.value().isolated) {
      if (c->isolated_market == p.market) pool = &p.pool;
    }
    c->liquidation_plan = pool->liquidation_plan;
    c->liquidation_plan_unavailable = pool->liquidation_plan_unavailable;
  }
}

std::optional<Money> to_money(const I256& x) {
  const I256 narrowed = to_i256(static_cast<i128>(x.lo));
  if (!(narrowed == x) || !is_fixed_raw(static_cast<i128>(x.lo))) return std::nullopt;
  return Money::from_raw(static_cast<i128>(x.lo));
}

void add_totals(ExchangeBook::Totals& t, const AccountState& s, int sign) {
  for (const PoolState& p : s.pools) {
    const auto add = [&](I256& total, Money m) {
      total = sign > 0 ? total + to_i256(m.raw()) : total - to_i256(m.raw());
    };
    add(t.equity, p.equity);
    add(t.maintenance, p.maintenance_margin);
    add(t.shortfall, p.insurance_fund_shortfall);
  }
}

template <class Key>
std::vector<std::size_t>& list_of(std::vector<std::pair<Key, std::vector<std::size_t>>>& index,
                                  const Key& key) {
  auto it = std::lower_bound(index.begin(), index.end(), key,
                             [](const auto& entry, const Key& k) { return entry.first < k; });
  if (it == index.end() || !(it->first == key)) it = index.insert(it, {key, {}});
  return it->second;
}

// Lists stay sorted and unique: a new account has the largest index, a
// replaced one is inserted in place. A replaced account's old entries stay:
// they cost a re-evaluation, never a missed change.
void add_sorted(std::vector<std::size_t>& list, std::size_t i) {
  const auto it = std::lower_bound(list.begin(), list.end(), i);
  if (it == list.end() || *it != i) list.insert(it, i);
}

}  // namespace

bool Shard::holds(std::string_view account_id) const noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  for (const char c : account_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return count <= 1 || h % count == index;
}

Status validate(const BookSettings& settings) {
  if (settings.insurance_fund.is_negative()) {
    return Error(
        ErrorCode::invalid_value,
        "the insurance fund balance is " + to_string(settings.insurance_fund) + "; it cannot be negative",
        "/insurance_fund");
  }
  if (settings.shard.count == 0 || settings.shard.index >= settings.shard.count) {
    return Error(ErrorCode::invalid_value,
                 "shard " + std::to_string(settings.shard.index) + " of " +
                     std::to_string(settings.shard.count) + ": the index must be below the count",
                 "/shard");
  }
  return Ok{};
}

Result<ExchangeBook> ExchangeBook::open(ValidatedParameters params, MarketState prices,
                                        BookSettings settings) {
  VMARGIN_CHECK(validate(prices));
  VMARGIN_CHECK(validate(settings));
  return ExchangeBook(std::move(params), std::move(prices), settings);
}

void ExchangeBook::index(std::size_t i) {
  MarketInputs& in = slots_[i].inputs;
  for (const std::string& f : in.feeds) add_sorted(list_of(by_feed_, f), i);
  for (const ExpiryKey& e : in.option_expiries) add_sorted(list_of(by_expiry_, e), i);
  if (in.reads_time()) add_sorted(timed_, i);
  // The index holds the feeds now; the time view needs the expiries only.
  in.feeds.clear();
  in.feeds.shrink_to_fit();
}

Status ExchangeBook::check_accounts(const std::vector<Account>& accounts) {
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    VMARGIN_CHECK(validate(accounts[i]).on_error([&](Error& e) {
      if (accounts.size() > 1) e.context("account " + std::to_string(i + 1) + " (" + accounts[i].id + ")");
    }));
  }
  return Ok{};
}

// The slot of each account, in order: a known id keeps its slot, a new one
// gets the next (the order of first appearance). The id index is merged
// once per batch, so loading N accounts costs N log N, not N^2.
std::vector<std::size_t> ExchangeBook::slots_of(const std::vector<Account>& accounts) {
  constexpr std::size_t unset = static_cast<std::size_t>(-1);
  std::vector<std::size_t> out(accounts.size(), unset);
  std::vector<std::size_t> fresh;  // positions in `accounts` of ids not in the book
  const auto by_key = [](const auto& entry, const std::string& k) { return entry.first < k; };
  for (std::size_t k = 0; k < accounts.size(); ++k) {
    const auto known = std::lower_bound(by_id_.begin(), by_id_.end(), accounts[k].id, by_key);
    if (known != by_id_.end() && known->first == accounts[k].id)
      out[k] = known->second;
    else
      fresh.push_back(k);
  }
  // New ids: grouped by id (stable, so each group starts at its first
  // appearance), slots given in the order of first appearance.
  std::stable_sort(fresh.begin(), fresh.end(),
                   [&](std::size_t x, std::size_t y) { return accounts[x].id < accounts[y].id; });
  std::vector<std::pair<std::size_t, std::size_t>> groups;  // (first appearance, start in fresh)
  for (std::size_t g = 0; g < fresh.size(); ++g) {
    if (g == 0 || accounts[fresh[g]].id != accounts[fresh[g - 1]].id) groups.push_back({fresh[g], g});
  }
  std::vector<std::pair<std::string, std::size_t>> added;  // sorted by id, as `groups`
  added.reserve(groups.size());
  std::vector<std::pair<std::size_t, std::size_t>> by_first = groups;
  std::sort(by_first.begin(), by_first.end());
  for (std::size_t r = 0; r < by_first.size(); ++r) out[by_first[r].first] = slots_.size() + r;
  for (const auto& [first, start] : groups) {
    added.push_back({accounts[first].id, out[first]});
    for (std::size_t g = start; g < fresh.size() && accounts[fresh[g]].id == accounts[first].id; ++g)
      out[fresh[g]] = out[first];
  }
  slots_.resize(slots_.size() + groups.size());
  std::vector<std::pair<std::string, std::size_t>> merged;
  merged.reserve(by_id_.size() + added.size());
  std::merge(std::make_move_iterator(by_id_.begin()), std::make_move_iterator(by_id_.end()),
             std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()),
             std::back_inserter(merged), [](const auto& x, const auto& y) { return x.first < y.first; });
  by_id_ = std::move(merged);
  return out;
}

Result<BookEvents> ExchangeBook::put_accounts(std::vector<Account> accounts) {
  VMARGIN_CHECK(check_accounts(accounts));
  std::vector<std::size_t> touched = slots_of(accounts);
  for (std::size_t k = 0; k < accounts.size(); ++k) {
    Account& account = accounts[k];
    const std::size_t i = touched[k];
    Slot& slot = slots_[i];
    slot.inputs = market_inputs(params_.get(), account);
    slot.account = std::move(account);
    index(i);
  }
  // Events in book order, each account once (its last statement counts).
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  BookEvents events;
  for (const std::size_t i : touched) revalue(i, events);
  finish(events);
  return events;
}

std::vector<std::size_t> ExchangeBook::candidates(const PriceChanges& changes) {
  std::vector<std::size_t> out;
  if (settings_.method == BookSettings::Method::every_account) {
    for (std::size_t i = 0; i < slots_.size(); ++i) out.push_back(i);
    return out;
  }
  if (++stamp_ == 0) {  // wrapped: no slot may look already collected
    for (Slot& s : slots_) s.stamp = 0;
    stamp_ = 1;
  }
  const auto collect = [&](const std::vector<std::size_t>& list) {
    for (const std::size_t i : list) {
      if (slots_[i].stamp != stamp_) {
        slots_[i].stamp = stamp_;
        out.push_back(i);
      }
    }
  };
  for (const std::string& f : changes.feeds) collect(list_of(by_feed_, f));
  for (const ExpiryKey& e : changes.option_expiries) collect(list_of(by_expiry_, e));
  if (changes.time) {
    for (const std::size_t i : timed_) {
      Slot& s = slots_[i];
      if (s.stamp == stamp_) continue;
      std::vector<std::int64_t> view = time_view(s.inputs, prices_.as_of_ms);
      if (view == s.time) continue;
      s.stamp = stamp_;
      out.push_back(i);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<BookEvents> ExchangeBook::advance(MarketState prices) {
  VMARGIN_CHECK(validate(prices));
  const PriceChanges changes = price_changes(prices_, prices);
  prices_ = std::move(prices);
  BookEvents events;
  for (const std::size_t i : candidates(changes)) revalue(i, events);
  finish(events);
  return events;
}

void ExchangeBook::revalue(std::size_t i, BookEvents& events) {
  Slot& slot = slots_[i];
  slot.time = time_view(slot.inputs, prices_.as_of_ms);
  AccountState next = account_state(params_, prices_, slot.account);
  ++events.revalued;
  if (next.error && (!slot.state.error || !same_error(*slot.state.error, *next.error)))
    events.failures.push_back(AccountFailure{i, *next.error});
  const std::size_t first = events.changes.size();
  pool_changes(i, slot.state, next, events.changes);
  attach_plans(params_, prices_, slot.account, events.changes.begin() + static_cast<std::ptrdiff_t>(first),
               events.changes.end());
  const bool existed = slot.state.error || !slot.state.pools.empty();
  if (existed) {
    add_totals(totals_, slot.state, -1);
    if (slot.state.error)
      --failed_;
    else
      --by_status_[static_cast<std::size_t>(worst_status(slot.state))];
  }
  add_totals(totals_, next, +1);
  if (next.error)
    ++failed_;
  else
    ++by_status_[static_cast<std::size_t>(worst_status(next))];
  slot.state = std::move(next);
}

SystemFigures ExchangeBook::system() const {
  SystemFigures s;
  s.accounts = slots_.size();
  s.by_status = by_status_;
  s.failed = failed_;
  s.total_equity = to_money(totals_.equity);
  s.total_maintenance_margin = to_money(totals_.maintenance);
  s.total_shortfall = to_money(totals_.shortfall);
  return s;
}

// While the shortfall exceeds the fund, the order in which each market's
// profitable positions would be deleveraged.
void ExchangeBook::finish(BookEvents& events) const {
  events.system = system();
  if (!(to_i256(settings_.insurance_fund.raw()) < totals_.shortfall)) return;
  // Only while the fund cannot cover: one pass over the stored indexes and a
  // partial sort per market (ordinary ticks pay nothing for rankings).
  std::map<std::string, std::vector<AdlRanking::Entry>, std::less<>> by_market;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    for (const AdlEntry& e : slots_[i].state.adl) {
      const Position& p = slots_[i].account.positions[e.position];
      by_market[p.market].push_back(AdlRanking::Entry{i, e.index, p.leg});
    }
  }
  const auto first = [](const AdlRanking::Entry& x, const AdlRanking::Entry& y) {
    if (x.index != y.index) return x.index > y.index;
    return x.account != y.account ? x.account < y.account : x.leg < y.leg;
  };
  for (auto& [market, entries] : by_market) {
    const std::size_t depth = std::min(entries.size(), settings_.adl_depth);
    std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(depth), entries.end(),
                      first);
    entries.resize(depth);
    events.adl.push_back(AdlRanking{market, std::move(entries)});
  }
}

}  // namespace vmargin::watch
