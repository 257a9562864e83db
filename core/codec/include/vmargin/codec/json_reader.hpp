// Typed, path-aware reading of a strict JSON document: every accessor knows
// the JSON pointer of what it reads, and finish() rejects fields the format
// does not define.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmargin/codec/strict_json.hpp"
#include "vmargin/error.hpp"
#include "vmargin/numeric/decimal.hpp"

namespace vmargin::codec {

/// The JSON type name used in messages ("a string", "an object", ...).
[[nodiscard]] std::string describe_json_type(const Json& value);

/// A short rendering of a JSON value for messages: strings quoted and cut at
/// 40 characters, containers as "an object"/"an array".
[[nodiscard]] std::string describe_json_value(const Json& value);

class ObjectReader {
 public:
  /// Fails with wrong_type unless `value` is an object.
  [[nodiscard]] static Result<ObjectReader> open(const Json& value, std::string path, std::string_view what);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::string path_of(std::string_view key) const;

  /// The member, or nullptr when absent (marked as read either way).
  [[nodiscard]] const Json* find(std::string_view key);
  /// The member; missing_field when absent.
  [[nodiscard]] Result<const Json*> require(std::string_view key);

  [[nodiscard]] Result<std::string> string(std::string_view key);
  [[nodiscard]] Result<std::uint64_t> unsigned_integer(std::string_view key);
  [[nodiscard]] Result<bool> boolean(std::string_view key);
  /// A non-negative integer that fits 63 bits (times in milliseconds).
  [[nodiscard]] Result<std::int64_t> timestamp(std::string_view key);
  /// A string, or null (-> nullopt); the field itself is required.
  [[nodiscard]] Result<std::optional<std::string>> nullable_string(std::string_view key);

  /// An optional decimal: absent -> nullopt (null is a wrong_type error).
  template <class T>
  [[nodiscard]] Result<std::optional<T>> optional_decimal(std::string_view key) {
    const Json* v = find(key);
    if (v == nullptr) return std::optional<T>{};
    VMARGIN_TRY(const T value, decimal_value<T>(*v, path_of(key)));
    return std::optional<T>{value};
  }
  /// A decimal or null (-> nullopt); the field itself is required.
  template <class T>
  [[nodiscard]] Result<std::optional<T>> nullable_decimal(std::string_view key) {
    VMARGIN_TRY(const Json* v, require(key));
    if (v->is_null()) return std::optional<T>{};
    VMARGIN_TRY(const T value, decimal_value<T>(*v, path_of(key)));
    return std::optional<T>{value};
  }
  /// Rejects a field that this kind of object must not have.
  [[nodiscard]] Status forbid(std::string_view key, std::string_view why);

  template <class T>
  [[nodiscard]] Result<T> decimal(std::string_view key) {
    VMARGIN_TRY(const Json* v, require(key));
    return decimal_value<T>(*v, path_of(key));
  }

  /// Every member must have been read: the first one that was not is an
  /// unknown_field error (members are visited in sorted key order).
  [[nodiscard]] Status finish() const;

  template <class T>
  [[nodiscard]] static Result<T> decimal_value(const Json& v, const std::string& path) {
    if (!v.is_string()) return not_a_decimal(v, path);
    return parse_decimal<T>(v.get_ref<const std::string&>()).on_error([&](Error& e) { e.at(path); });
  }

 private:
  ObjectReader(const Json& object, std::string path) : object_(&object), path_(std::move(path)) {}
  static Error not_a_decimal(const Json& v, const std::string& path);

  const Json* object_;
  std::string path_;
  std::vector<std::string> read_;
};

/// Fails with wrong_type unless `value` is an object.
[[nodiscard]] Status expect_object(const Json& value, const std::string& path, std::string_view what);

/// Fails with wrong_type unless `value` is a string.
[[nodiscard]] Result<std::string> string_value(const Json& value, const std::string& path,
                                               std::string_view what);

}  // namespace vmargin::codec
