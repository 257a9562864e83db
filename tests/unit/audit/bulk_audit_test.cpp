// vmargin::audit: the line reader and its byte ranges, split_lines (ranges
// that hold the same lines of both files, whatever the number of parts and
// the files' shapes), the tally, and the bulk auditor's output independent
// of the number of threads.
#include "vmargin/audit/bulk_audit.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"

using namespace vmargin;
using namespace vmargin::audit;

namespace {

std::string temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("vmargin_bulk_audit_test_" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::vector<std::string> lines_of(const std::string& path, std::uint64_t begin, std::uint64_t end) {
  std::string why;
  std::optional<LineReader> r = LineReader::open_range(path, begin, end, why);
  REQUIRE_MESSAGE(r.has_value(), why);
  std::vector<std::string> out;
  std::string line;
  std::uint64_t length = 0;
  bool too_long = false;
  while (r->next(line, length, too_long)) out.push_back(line);
  CHECK_FALSE(r->failed());
  return out;
}

std::string text_of(const std::string& path) {
  const auto text = test::read_text_file(path);
  REQUIRE_MESSAGE(text.has_value(), path);
  return *text;
}

}  // namespace

TEST_CASE("a line reader reads its byte range, lines without their \\n or \\r\\n") {
  const std::string path = temp_file("reader", "a\nbb\r\n\nccc");
  CHECK(lines_of(path, 0, to_end) == std::vector<std::string>{"a", "bb", "", "ccc"});
  CHECK(lines_of(path, 2, 6) == std::vector<std::string>{"bb"});
  CHECK(lines_of(path, 6, 7) == std::vector<std::string>{""});
  CHECK(lines_of(path, 7, to_end) == std::vector<std::string>{"ccc"});
  CHECK(lines_of(path, 10, to_end).empty());
  std::string why;
  CHECK_FALSE(LineReader::open_range(std::filesystem::temp_directory_path().string(), 0, to_end, why));
  CHECK(why.find("directory") != std::string::npos);
  CHECK_FALSE(LineReader::open_range(path + ".missing", 0, to_end, why));
  CHECK(why.find("cannot open") != std::string::npos);
}

TEST_CASE("split_lines: the ranges hold the same lines of both files, in order, for any number of parts") {
  std::string accounts, published;
  for (std::size_t i = 1; i <= 23; ++i)
    accounts += "account " + std::to_string(i) + std::string(i % 7, 'x') + "\n";
  for (std::size_t i = 1; i <= 19; ++i) published += "published " + std::to_string(i) + "\r\n";
  published += "published 20";  // no final newline, one line short of... nothing: the accounts have 23
  for (const auto& [a_text, p_text] :
       {std::pair{accounts, published}, std::pair{published, accounts}, std::pair{std::string(), accounts},
        std::pair{accounts, std::string()}}) {
    const std::string a = temp_file("split_a", a_text), p = temp_file("split_p", p_text);
    const auto all_a = lines_of(a, 0, to_end), all_p = lines_of(p, 0, to_end);
    for (std::uint64_t parts = 1; parts <= 30; ++parts) {
      std::string why;
      const auto ranges = split_lines(a, p, parts, why);
      REQUIRE_MESSAGE(ranges.has_value(), why);
      REQUIRE(!ranges->empty());
      CHECK(ranges->size() <= std::max<std::size_t>(parts, 1));
      std::vector<std::string> got_a, got_p;
      for (std::size_t i = 0; i < ranges->size(); ++i) {
        const LineRange& r = (*ranges)[i];
        CHECK(r.first_line == got_a.size() + 1);
        const auto la = lines_of(a, r.accounts_begin, r.accounts_end);
        const auto lp = lines_of(p, r.published_begin, r.published_end);
        if (i + 1 < ranges->size())
          CHECK(lp.size() <= la.size());  // never a published line of the next range
        got_a.insert(got_a.end(), la.begin(), la.end());
        got_p.insert(got_p.end(), lp.begin(), lp.end());
      }
      CHECK(ranges->back().accounts_end == to_end);
      CHECK(ranges->back().published_end == to_end);
      CHECK(got_a == all_a);
      CHECK(got_p == all_p);
    }
  }
}

TEST_CASE("tallies add up; fields of markets and assets are summarised") {
  Tally a, b;
  a.accounts = 3;
  a.mismatches = 1;
  a.by_field["/cross/equity"] = 1;
  b.accounts = 2;
  b.matches = 2;
  b.by_field["/cross/equity"] = 4;
  b.by_field["/positions/*/tier"] = 1;
  a.add(b);
  CHECK(a.accounts == 5);
  CHECK(a.matches == 2);
  CHECK(a.mismatches == 1);
  CHECK(a.by_field == std::map<std::string, std::uint64_t>{{"/cross/equity", 5}, {"/positions/*/tier", 1}});
  CHECK(field_of("/positions/BTC-PERP/liquidation_price") == "/positions/*/liquidation_price");
  CHECK(field_of("/isolated/BTC-USD-INV") == "/isolated/*");
  CHECK(field_of("/cross/equity") == "/cross/equity");
}

TEST_CASE("the bulk auditor writes the same lines whatever the number of threads") {
  const auto dir = test::option("vmargin-examples");
  REQUIRE_MESSAGE(dir.has_value(), "pass --vmargin-examples=DIR");
  const auto auditor =
      test::ok_value(plain_auditor(text_of(*dir + "/risk_parameters.json"), text_of(*dir + "/prices.json")));
  std::string account = text_of(*dir + "/account.json");
  std::erase(account, '\n');
  std::string accounts, published;
  for (int i = 0; i < 40; ++i) {
    accounts += (i % 9 == 4 ? std::string("{not json") : account) + "\n";
    published += std::string(i % 5 == 0 ? "{}" : "[]") + "\n";
  }
  const std::string a = temp_file("bulk_a", accounts), p = temp_file("bulk_p", published);
  std::string first;
  for (unsigned threads : {1U, 2U, 5U}) {
    std::string why, text;
    auto ra = LineReader::open_range(a, 0, to_end, why);
    auto rp = LineReader::open_range(p, 0, to_end, why);
    Tally tally;
    BulkAuditor bulk(auditor, threads);
    CHECK(bulk.run(*ra, *rp, 1, tally, [&](const std::string& lines) {
      text += lines;
      return true;
    }) == BulkAuditor::Outcome::done);
    CHECK(tally.accounts == 40);
    CHECK(tally.bad_accounts == 4);  // lines 5, 14, 23, 32
    CHECK(tally.matches == 0);
    if (threads == 1) first = text;
    CHECK(text == first);
  }
  CHECK(first.find("\"line\":5,") != std::string::npos);
  CHECK(summary_json(Tally{}, auditor.inputs()).find("\"accounts\":0") != std::string::npos);
}
