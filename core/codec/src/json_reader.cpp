#include "vmargin/codec/json_reader.hpp"

#include <algorithm>
#include <cstdint>

#include "vmargin/model/input_path.hpp"

namespace vmargin::codec {

std::string describe_json_type(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return "an unsupported value";
}

std::string describe_json_value(const Json& value) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    return "\"" + (s.size() <= 40 ? s : s.substr(0, 40) + "...") + "\"";
  }
  if (value.is_number_integer() || value.is_boolean() || value.is_null()) {
    return (value.is_number_integer() ? "the number " : "") + value.dump();
  }
  return describe_json_type(value);
}

Status expect_object(const Json& value, const std::string& path, std::string_view what) {
  if (value.is_object()) return Ok{};
  return Error(ErrorCode::wrong_type,
               std::string(what) + " must be a JSON object, found " + describe_json_value(value), path);
}

Result<ObjectReader> ObjectReader::open(const Json& value, std::string path, std::string_view what) {
  VMARGIN_CHECK(expect_object(value, path, what));
  return ObjectReader(value, std::move(path));
}

std::string ObjectReader::path_of(std::string_view key) const { return input_path::child(path_, key); }

const Json* ObjectReader::find(std::string_view key) {
  read_.emplace_back(key);
  const auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

Result<const Json*> ObjectReader::require(std::string_view key) {
  const Json* v = find(key);
  if (v == nullptr) {
    return Error(ErrorCode::missing_field, "the required field \"" + std::string(key) + "\" is missing",
                 path_of(key));
  }
  return v;
}

Result<std::string> ObjectReader::string(std::string_view key) {
  VMARGIN_TRY(const Json* v, require(key));
  return string_value(*v, path_of(key), key);
}

Result<std::uint64_t> ObjectReader::unsigned_integer(std::string_view key) {
  VMARGIN_TRY(const Json* v, require(key));
  if (v->is_number_unsigned()) return v->get<std::uint64_t>();
  return Error(
      ErrorCode::wrong_type,
      "\"" + std::string(key) + "\" must be a non-negative integer, found " + describe_json_value(*v),
      path_of(key));
}

Result<bool> ObjectReader::boolean(std::string_view key) {
  VMARGIN_TRY(const Json* v, require(key));
  if (v->is_boolean()) return v->get<bool>();
  return Error(ErrorCode::wrong_type,
               "\"" + std::string(key) + "\" must be true or false, found " + describe_json_value(*v),
               path_of(key));
}

Result<std::int64_t> ObjectReader::timestamp(std::string_view key) {
  VMARGIN_TRY(const Json* v, require(key));
  if (v->is_number_unsigned() && v->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get<std::uint64_t>());
  return Error(ErrorCode::wrong_type,
               "\"" + std::string(key) +
                   "\" must be a time in milliseconds since 1970 (a non-negative integer), found " +
                   describe_json_value(*v),
               path_of(key));
}

Result<std::optional<std::string>> ObjectReader::nullable_string(std::string_view key) {
  VMARGIN_TRY(const Json* v, require(key));
  if (v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) {
    return Error(ErrorCode::wrong_type,
                 "\"" + std::string(key) + "\" must be a string or null, found " + describe_json_value(*v),
                 path_of(key));
  }
  return std::optional<std::string>{v->get<std::string>()};
}

Status ObjectReader::forbid(std::string_view key, std::string_view why) {
  if (find(key) == nullptr) return Ok{};
  return Error(ErrorCode::unknown_field, "the field \"" + std::string(key) + "\" " + std::string(why),
               path_of(key));
}

Status ObjectReader::finish() const {
  for (const auto& [key, value] : object_->items()) {
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      return Error(ErrorCode::unknown_field, "the field \"" + key + "\" is not part of this format",
                   path_of(key));
    }
  }
  return Ok{};
}

Error ObjectReader::not_a_decimal(const Json& v, const std::string& path) {
  std::string message = "expected a decimal string, found " + describe_json_value(v);
  if (v.is_number_integer()) message += " (write it as \"" + v.dump() + "\")";
  return Error(ErrorCode::wrong_type, std::move(message), path);
}

Result<std::string> string_value(const Json& value, const std::string& path, std::string_view what) {
  if (!value.is_string()) {
    return Error(ErrorCode::wrong_type,
                 "\"" + std::string(what) + "\" must be a string, found " + describe_json_value(value), path);
  }
  return value.get_ref<const std::string&>();
}

}  // namespace vmargin::codec
