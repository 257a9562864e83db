// The market handle (codec/loaded_market.hpp) against the stateless path:
// every evaluation vector in tests/vectors gives the same bytes (report or
// error) through a handle as through evaluate_json with the separate
// documents, and a rejected price update changes nothing.
#include "vmargin/codec/loaded_market.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/scenario_codec.hpp"

using namespace vmargin;
using namespace vmargin::codec;
using vmargin::test::error_of;
using vmargin::test::ok_value;
namespace fs = std::filesystem;

namespace {

std::string output_of(const Result<std::string>& r) {
  return r.ok() ? r.value() : canonical_dump(encode_error(r.error()));
}

std::string output_of(const Result<LargestOrder>& r) {
  return r.ok() ? largest_order_text(r.value()) : canonical_dump(encode_error(r.error()));
}

std::string file(const std::string& option, const std::string& name) {
  const auto dir = test::option(option);
  REQUIRE_MESSAGE(dir.has_value(), "pass --" << option << "=DIR");
  const auto text = test::read_text_file(*dir + "/" + name);
  REQUIRE_MESSAGE(text.has_value(), name);
  return *text;
}

struct Documents {
  std::string params, prices, account, scenario;  // scenario "" when none
};

Documents documents_of(const Json& input) {
  Documents d;
  d.params = canonical_dump(input["risk_parameters"]);
  d.prices = canonical_dump(input["prices"]);
  d.account = canonical_dump(input["account"]);
  if (input.contains("scenario")) d.scenario = canonical_dump(input["scenario"]);
  return d;
}

// What the stateless separate-documents path gives, the scenario decoded
// as the combined document decodes it (after the other three).
Result<Scenario> scenario_of(const Documents& d) {
  if (d.scenario.empty()) return Scenario{};
  VMARGIN_TRY(const Json doc, parse_strict_json(d.scenario, "/scenario"));
  return decode_scenario(doc);
}

Result<std::string> stateless(const Documents& d) {
  VMARGIN_CHECK(decode_evaluation_documents(d.params, d.prices, d.account));  // errors in their order
  VMARGIN_TRY(const Scenario scenario, scenario_of(d));
  return evaluate_json(d.params, d.prices, d.account, scenario);
}

Result<std::string> stateless_order(const Documents& d, const std::string& query) {
  VMARGIN_CHECK(decode_evaluation_documents(d.params, d.prices, d.account));
  VMARGIN_TRY(const Scenario scenario, scenario_of(d));
  VMARGIN_TRY(const Json doc, parse_strict_json(query, "/query"));
  VMARGIN_TRY(const OrderQuery decoded, decode_order_query(doc));
  return largest_order_json(d.params, d.prices, d.account, scenario, decoded);
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A handle that failed to open: the stateless path fails too, with the same
// error whenever its error is about the parameters or the prices (it
// decodes the account before it validates, so a bad account may come first).
void check_refused(const Error& opened, const std::string& expected) {
  const Json e = Json::parse(expected)["error"];
  REQUIRE_MESSAGE(!e.is_null(),
                  "the handle refused inputs the stateless path accepts: " << opened.to_string());
  const std::string path = e["path"].get<std::string>();
  CHECK((starts_with(path, "/risk_parameters") || starts_with(path, "/prices") ||
         starts_with(path, "/account") || starts_with(path, "/scenario")));
  if (starts_with(path, "/risk_parameters") || starts_with(path, "/prices"))
    CHECK(canonical_dump(encode_error(opened)) == expected);
}

std::vector<fs::path> vectors(const std::string& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("a handle evaluates every evaluation vector byte for byte as the stateless path") {
  const auto root = test::option("vmargin-vectors");
  REQUIRE_MESSAGE(root.has_value(), "pass --vmargin-vectors=DIR");
  std::size_t evaluated = 0, refused = 0, orders = 0;
  for (const fs::path& path : vectors(*root)) {
    CAPTURE(path.string());
    const Json v = ok_value(parse_strict_json(*test::read_text_file(path.string())));
    const std::string operation = v.contains("operation") ? v["operation"].get<std::string>() : "evaluate";
    if (!v.contains("input") || operation == "verify_evaluate") continue;  // bytes, or signed files
    const Json& input = v["input"];
    if (!input.is_object() || !input.contains("risk_parameters") || !input.contains("prices") ||
        !input.contains("account"))
      continue;  // about the combined document's shape, not the documents
    const Documents d = documents_of(input);
    const Result<LoadedMarket> market = LoadedMarket::open(d.params, d.prices);
    if (operation == "largest_order") {
      if (!market.ok()) continue;
      // const operator[] on a missing key is undefined (an assertion in the
      // sanitizer build): some vectors are about a missing query.
      const Json query_json = input.contains("query") ? input.at("query") : Json(nullptr);
      const std::string query = canonical_dump(query_json);
      const std::string expected = output_of(stateless_order(d, query));
      CHECK(output_of(market.value().largest_order_json(d.account, d.scenario, query)) == expected);
      const Result<Scenario> scenario = scenario_of(d);
      const Result<OrderQuery> decoded = decode_order_query(query_json);
      if (scenario.ok() && decoded.ok() && decode_account_text(d.account).ok())
        CHECK(output_of(market.value().largest_order(d.account, scenario.value(), decoded.value())) ==
              expected);
      ++orders;
      continue;
    }
    const std::string expected = output_of(stateless(d));
    if (!market.ok()) {
      check_refused(market.error(), expected);
      ++refused;
      continue;
    }
    CHECK(output_of(market.value().evaluate(d.account, d.scenario)) == expected);
    if (d.scenario.empty()) {  // the vector's own expectation, for reports
      const std::string vector_expected =
          canonical_dump(v.contains("expected") ? v.at("expected") : Json(nullptr));
      if (!starts_with(vector_expected, "{\"error\""))
        CHECK(output_of(market.value().evaluate(d.account)) == vector_expected);
    }
    ++evaluated;
  }
  MESSAGE(evaluated << " evaluated, " << refused << " refused at open, " << orders << " largest orders");
  CHECK(evaluated > 100);
  CHECK(refused > 20);
  CHECK(orders > 5);
}

TEST_CASE("one handle, many accounts; errors carry the stateless paths") {
  const std::string params = file("vmargin-example", "risk_parameters.json");
  const std::string prices = file("vmargin-example", "prices.json");
  const std::string account = file("vmargin-example", "account.json");
  const LoadedMarket market = ok_value(LoadedMarket::open(params, prices));
  const std::string report = ok_value(market.evaluate(account));
  CHECK(report == ok_value(evaluate_json(params, prices, account)));
  CHECK(ok_value(market.evaluate(account)) == report);  // the handle is not changed by an evaluation

  const Error bad_account =
      error_of(market.evaluate(R"({"id": "x", "collateral": {"USDC": "1.x"}, "positions": {}})"));
  CHECK(bad_account.path() == "/account/collateral/USDC");
  CHECK(error_of(market.evaluate("{")).path().rfind("/account", 0) == 0);
  CHECK(error_of(market.evaluate(account, std::string_view(R"({"shocks": {"BTC-USD": "-1"}})"))).path() ==
        "/scenario/shocks/BTC-USD");
  CHECK(error_of(LoadedMarket::open("[]", prices)).path() == "/risk_parameters");
  CHECK(error_of(LoadedMarket::open(params, R"({"as_of": 1, "feeds": {"X": {"mark": "1", "extra": 1}}})"))
            .path() == "/prices/feeds/X/extra");
  const Error stateless_error = error_of(evaluate_json(params, "{\"as_of\": -1, \"feeds\": {}}", account));
  const Error opened = error_of(LoadedMarket::open(params, "{\"as_of\": -1, \"feeds\": {}}"));
  CHECK(opened.path() == stateless_error.path());
  CHECK(opened.to_string() == stateless_error.to_string());
}

TEST_CASE("a price update replaces the prices; a rejected one changes nothing") {
  const std::string params = file("vmargin-example", "risk_parameters.json");
  const std::string prices = file("vmargin-example", "prices.json");
  const std::string account = file("vmargin-example", "account.json");
  LoadedMarket market = ok_value(LoadedMarket::open(params, prices));
  const std::string before = ok_value(market.evaluate(account));
  const std::int64_t as_of = market.prices().as_of_ms;

  // Malformed text, a decoding error and a validation error (a mark of zero).
  const std::vector<std::string> bad = {"{", R"({"as_of": 1, "feeds": []})",
                                        R"({"as_of": 1, "feeds": {"BTC-USD": {"mark": "0"}}})"};
  for (const std::string& text : bad) {
    CAPTURE(text);
    const Status status = market.update_prices(text);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().path().rfind("/prices", 0) == 0);
    const Error stateless_error = error_of(evaluate_json(params, text, account));
    CHECK(status.error().to_string() == stateless_error.to_string());
    CHECK(market.prices().as_of_ms == as_of);
    CHECK(ok_value(market.evaluate(account)) == before);
  }

  // Every mark 10% lower, one hour later: the stateless report of those prices.
  Json moved = Json::parse(prices);
  moved["as_of"] = moved["as_of"].get<std::int64_t>() + 3600000;
  for (auto& [feed, price] : moved["feeds"].items()) {
    const Price mark = test::dec<Price>(price["mark"].get<std::string>().c_str());
    price["mark"] = to_string(Price::from_raw(mark.raw() / 10 * 9));
  }
  const std::string moved_text = canonical_dump(moved);
  REQUIRE(market.update_prices(moved_text).ok());
  CHECK(market.prices().as_of_ms == as_of + 3600000);
  const std::string after = ok_value(market.evaluate(account));
  CHECK(after != before);
  CHECK(after == ok_value(evaluate_json(params, moved_text, account)));
}
