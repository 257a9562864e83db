// Runs every conformance vector in tests/vectors/ through the codec and the
// core, checks the output against the vector's expected JSON byte for byte,
// and writes all outputs (one line per vector, sorted by path) to --out, so
// that the outputs of every target can be compared with each other.
//
// Vector format (tests/vectors/README.md):
//   {"description": "...", "derivation": [...],
//    "input": {"risk_parameters": ..., "prices": ..., "account": ...}
//      or "input_text": "<raw text of the combined document>",
//    "expected": <report> or {"error": {"code", "path", "message"}},
//    "operation": "largest_order" (optional; default: evaluate)}
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"

using namespace vmargin;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> vector_files(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(fs::relative(entry.path(), root).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string output_of(const Result<std::string>& r) {
  return r.ok() ? r.value() : codec::canonical_dump(codec::encode_error(r.error()));
}

}  // namespace

TEST_CASE("conformance vectors") {
  const auto root = test::option("vmargin-vectors");
  REQUIRE_MESSAGE(root.has_value(), "pass --vmargin-vectors=DIR");
  const std::vector<std::string> files = vector_files(*root);
  REQUIRE_MESSAGE(!files.empty(), "no vectors under " << *root);

  std::string outputs;
  std::size_t passed = 0;
  for (const std::string& name : files) {
    CAPTURE(name);
    const auto text = test::read_text_file(*root + "/" + name);
    REQUIRE(text.has_value());
    const Result<codec::Json> vector = codec::parse_strict_json(*text);
    REQUIRE_MESSAGE(vector.ok(), vector.error().to_string());
    const codec::Json& v = vector.value();
    REQUIRE(v.contains("expected"));
    REQUIRE((v.contains("input") != v.contains("input_text")));
    REQUIRE(v.contains("derivation"));
    const std::string input =
        v.contains("input") ? codec::canonical_dump(v["input"]) : v["input_text"].get<std::string>();
    const bool largest_order = v.contains("operation") && v["operation"] == "largest_order";
    const std::string output =
        output_of(largest_order ? codec::largest_order_json(input) : codec::evaluate_json(input));
    const std::string expected = codec::canonical_dump(v["expected"]);
    CHECK(output == expected);
    if (output == expected) ++passed;
    outputs += name + "\t" + output + "\n";
  }
  MESSAGE(passed << " of " << files.size() << " vectors match");
  if (const auto out = test::option("vmargin-outputs")) {
    std::ofstream f(*out, std::ios::binary);
    f << outputs;
    REQUIRE(f.good());
  }
}
