#include "vmargin/codec/watch_codec.hpp"

#include <string_view>
#include <utility>

#include "vmargin/codec/model_codec.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin::codec {
namespace {

std::string_view source_kind(EventSource::Kind k) {
  switch (k) {
    case EventSource::Kind::load:
      return "load";
    case EventSource::Kind::prices:
      return "prices";
    case EventSource::Kind::account:
      return "account";
  }
  return "prices";
}

Json header(std::string_view type, const watch::ExchangeBook& book, const EventSource& source) {
  Json j = Json::object();
  const watch::Shard& shard = book.settings().shard;
  if (shard.count > 1) j["shard"] = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  j["type"] = std::string(type);
  j["input"] = source.input == EventSource::Input::accounts ? "accounts" : "stream";
  j["line"] = source.line;
  j["as_of"] = book.prices().as_of_ms;
  return j;
}

Json optional_money(const std::optional<Money>& m) { return m ? Json(to_string(*m)) : Json(nullptr); }

Json status_line(const watch::ExchangeBook& book, const watch::StatusChange& c, const EventSource& source) {
  Json j = header("status", book, source);
  j["account"] = book.account(c.account).id;
  j["pool"] = c.isolated_market ? *c.isolated_market : std::string("cross");
  j["from"] = c.from ? Json(std::string(status_name(*c.from))) : Json(nullptr);
  j["to"] = c.to ? Json(std::string(status_name(*c.to))) : Json(nullptr);
  if (c.liquidation_plan) j["liquidation_plan"] = encode_liquidation_plan(*c.liquidation_plan);
  if (c.liquidation_plan_unavailable) j["liquidation_plan_unavailable"] = true;
  if (c.insurance_fund_draw) j["insurance_fund_draw"] = to_string(*c.insurance_fund_draw);
  return j;
}

Json adl_line(const watch::ExchangeBook& book, const watch::AdlRanking& r, const EventSource& source) {
  Json j = header("adl", book, source);
  j["market"] = r.market;
  Json entries = Json::array();
  for (const watch::AdlRanking::Entry& e : r.entries) {
    Json entry{{"account", book.account(e.account).id}, {"adl_index", to_string(e.index)}};
    // Hedge mode (spec §3.3): which of the account's legs ranks.
    if (e.leg != PositionLeg::net) entry["leg"] = e.leg == PositionLeg::long_leg ? "long" : "short";
    entries.push_back(std::move(entry));
  }
  j["ranking"] = std::move(entries);
  return j;
}

Json system_line(const watch::ExchangeBook& book, const watch::SystemFigures& s, const EventSource& source) {
  Json j = header("system", book, source);
  j["source"] = std::string(source_kind(source.kind));
  if (source.snapshot) j["snapshot"] = *source.snapshot;
  j["accounts"] = s.accounts;
  for (std::size_t i = 0; i < s.by_status.size(); ++i)
    j[std::string(status_name(static_cast<MarginStatus>(i)))] = s.by_status[i];
  j["failed"] = s.failed;
  j["total_equity"] = optional_money(s.total_equity);
  j["total_maintenance_margin"] = optional_money(s.total_maintenance_margin);
  j["total_shortfall"] = optional_money(s.total_shortfall);
  const Money fund = book.settings().insurance_fund;
  j["insurance_fund"] = to_string(fund);
  // The shortfall the fund cannot cover: what auto-deleveraging must find.
  std::optional<Money> uncovered;
  if (s.total_shortfall) {  // the fund is never negative (ExchangeBook::open)
    uncovered = *s.total_shortfall > fund ? Money::from_raw(s.total_shortfall->raw() - fund.raw()) : Money{};
  }
  j["uncovered"] = optional_money(uncovered);
  return j;
}

void append_line(std::string& out, const Json& j) {
  out += canonical_dump(j);
  out += '\n';
}

}  // namespace

std::string watch_events_text(const watch::ExchangeBook& book, const watch::BookEvents& events,
                              const EventSource& source) {
  std::string out;
  for (const watch::AccountFailure& f : events.failures) {
    Json j = header("account_error", book, source);
    j["account"] = book.account(f.account).id;
    j["error"] = encode_error(f.error)["error"];
    append_line(out, j);
  }
  for (const watch::StatusChange& c : events.changes) append_line(out, status_line(book, c, source));
  for (const watch::AdlRanking& r : events.adl) append_line(out, adl_line(book, r, source));
  append_line(out, system_line(book, events.system, source));
  return out;
}

std::string watch_rejection_text(const EventSource& source, const Error& error) {
  Json j = Json::object();
  j["type"] = "rejected";
  j["input"] = source.input == EventSource::Input::accounts ? "accounts" : "stream";
  j["line"] = source.line;
  j["source"] = std::string(source_kind(source.kind));
  j["error"] = encode_error(error)["error"];
  return canonical_dump(j) + "\n";
}

}  // namespace vmargin::codec
