// Model objects kept in vectors sorted by id (the codec delivers JSON
// members sorted; a C++ caller building the model by hand keeps the same
// order): lookup and the "sorted, unique, non-empty" rule, written once.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/error.hpp"
#include "vmargin/model/input_path.hpp"

namespace vmargin {

/// The item whose key(item) is `id`, or nullptr (binary search).
template <class T, class Key>
[[nodiscard]] const T* find_sorted(const std::vector<T>& items, std::string_view id, Key key) noexcept {
  const auto it = std::lower_bound(items.begin(), items.end(), id,
                                   [&](const T& item, std::string_view k) { return key(item) < k; });
  return it != items.end() && key(*it) == id ? &*it : nullptr;
}

/// Ids non-empty, sorted and unique; errors at <root><member>/<id>.
template <class T, class Key>
[[nodiscard]] Status check_sorted_unique(const std::vector<T>& items, Key key, std::string_view what,
                                         std::string_view root, std::string_view member) {
  const auto path = [&] { return std::string(root) + std::string(member); };
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (key(items[i]).empty()) {
      return Error(ErrorCode::invalid_value, std::string(what) + " ids must not be empty", path());
    }
    if (i > 0 && !(key(items[i - 1]) < key(items[i]))) {
      const bool dup = key(items[i - 1]) == key(items[i]);
      return Error(dup ? ErrorCode::duplicate_key : ErrorCode::invalid_value,
                   dup ? std::string(what) + " \"" + key(items[i]) + "\" appears twice"
                       : std::string(what) + " must be sorted by id: \"" + key(items[i]) + "\" follows \"" +
                             key(items[i - 1]) + "\"",
                   input_path::child(path(), key(items[i])));
    }
  }
  return Ok{};
}

/// An invalid_value error at `path`.
[[nodiscard]] inline Error invalid(std::string path, std::string message) {
  return Error(ErrorCode::invalid_value, std::move(message), std::move(path));
}

}  // namespace vmargin
