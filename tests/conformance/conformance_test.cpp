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
//    "operation": "largest_order" or "verify_evaluate" (optional; default: evaluate)}
// A "verify_evaluate" vector's input is the signed path's files (docs/formats.md):
//   {"trust": <object>, "state": <object> (optional), "params", "snapshot",
//    "statement": <the exact envelope text>}
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"

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

Result<std::string> run_vector(const codec::Json& v) {
  const std::string operation = v.contains("operation") ? v["operation"].get<std::string>() : "evaluate";
  if (operation == "verify_evaluate") {
    const codec::Json& in = v["input"];
    return signing::verify_and_evaluate_json(
        codec::canonical_dump(in["trust"]), in.contains("state") ? codec::canonical_dump(in["state"]) : "",
        in["params"].get<std::string>(), in["snapshot"].get<std::string>(),
        in["statement"].get<std::string>());
  }
  const std::string input =
      v.contains("input") ? codec::canonical_dump(v["input"]) : v["input_text"].get<std::string>();
  return operation == "largest_order" ? codec::largest_order_json(input) : codec::evaluate_json(input);
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
    const std::string output = output_of(run_vector(v));
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
