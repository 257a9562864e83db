// A structure-aware mutator for the targets whose input is one JSON document
// (included by exactly one target file each): most byte-level mutations of a
// document break its syntax, so three times in four one leaf of the parsed
// document is mutated instead (a string's bytes by libFuzzer's mutator, an
// integer moved to an edge) and the document written back; otherwise, and
// for inputs that do not parse, libFuzzer's own byte mutation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace vmargin::fuzz {

inline void collect_leaves(nlohmann::json& value, std::vector<nlohmann::json*>& leaves) {
  if (value.is_object() || value.is_array()) {
    for (auto& child : value) collect_leaves(child, leaves);
  } else {
    leaves.push_back(&value);
  }
}

inline void mutate_leaf(nlohmann::json& leaf, std::mt19937& rng) {
  if (leaf.is_string()) {
    std::string text = leaf.get<std::string>();
    const std::size_t max = text.size() + 16;
    text.resize(max);
    const std::size_t n = LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(text.data()), max - 16, max);
    text.resize(n);
    leaf = text;
  } else if (leaf.is_number_integer()) {
    static constexpr std::int64_t edges[] = {0, 1, -1, std::numeric_limits<std::int64_t>::max(),
                                             std::numeric_limits<std::int64_t>::min()};
    const std::uint32_t pick = rng() % 7;
    const std::int64_t v = leaf.get<std::int64_t>();
    if (pick < 5) {
      leaf = edges[pick];
    } else if (pick == 5 && v < std::numeric_limits<std::int64_t>::max()) {
      leaf = v + 1;
    } else if (pick == 6 && v > std::numeric_limits<std::int64_t>::min()) {
      leaf = v - 1;
    } else {
      leaf = 0;
    }
  } else {
    leaf = "0";
  }
}

}  // namespace vmargin::fuzz

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  std::mt19937 rng(seed);
  if (rng() % 4 != 0) {
    nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
    std::vector<nlohmann::json*> leaves;
    if (!doc.is_discarded()) vmargin::fuzz::collect_leaves(doc, leaves);
    if (!leaves.empty()) {
      vmargin::fuzz::mutate_leaf(*leaves[rng() % leaves.size()], rng);
      const std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (text.size() <= max_size) {
        std::memcpy(data, text.data(), text.size());
        return text.size();
      }
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
