// terminal_safe: nothing a terminal acts on gets through (issue 18, defect 9).
#include "terminal_text.hpp"

#include <string>

#include "support/test_support.hpp"

using vmargin::cli::terminal_safe;
using namespace std::string_literals;

TEST_CASE("printable text, UTF-8 included, is unchanged") {
  CHECK(terminal_safe("acct-7 BTC-PERP /positions/BTC-PERP/liquidation_price") ==
        "acct-7 BTC-PERP /positions/BTC-PERP/liquidation_price");
  CHECK(terminal_safe("Zürich ₿ 日本 🙂") == "Zürich ₿ 日本 🙂");
  CHECK(terminal_safe("") == "");
}

TEST_CASE("C0 controls, DEL, C1 controls and invalid bytes are escaped; a backslash is doubled") {
  CHECK(terminal_safe("\x1b[2J\x1b[Hhealthy") == "\\x1b[2J\\x1b[Hhealthy");
  CHECK(terminal_safe("a\nstatus: healthy") == "a\\nstatus: healthy");
  CHECK(terminal_safe("a\tb\rc\x07") == "a\\tb\\x0dc\\x07");
  CHECK(terminal_safe("x\0y"s) == "x\\x00y");
  CHECK(terminal_safe("\x7f") == "\\x7f");
  CHECK(terminal_safe("\xc2\x9b"
                      "2J") == "\\u009b2J");  // C1 CSI, as UTF-8
  CHECK(terminal_safe("\xc2\x80\xc2\x9f\xc2\xa0") == "\\u0080\\u009f\xc2\xa0");
  CHECK(terminal_safe("\x9b"
                      "2J") == "\\x9b2J");  // a raw C1 byte: not UTF-8
  CHECK(terminal_safe("\xff\xfe") == "\\xff\\xfe");
  CHECK(terminal_safe("\xc3") == "\\xc3");                    // cut short
  CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");           // overlong
  CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(terminal_safe("a\\x1b") == "a\\\\x1b");               // cannot pass for an escape
}

TEST_CASE("line separators and bidirectional overrides are escaped") {
  CHECK(terminal_safe("a\xe2\x80\xa8"
                      "b") == "a\\u2028b");
  CHECK(terminal_safe("\xe2\x80\xae"
                      "lacitirc") == "\\u202elacitirc");
  CHECK(terminal_safe("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
}

TEST_CASE("nothing a terminal acts on survives, for every byte and every pair of bytes") {
  // No C0 control, no DEL, no C1 control encoded as UTF-8 (C2 80..C2 9F).
  const auto inert = [](const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c == 0x7f) return false;
      if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9f) return false;
    }
    return true;
  };
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string s{static_cast<char>(a), static_cast<char>(b)};
      if (!inert(terminal_safe(s))) FAIL_CHECK("bytes " << a << " " << b);
    }
  }
}
