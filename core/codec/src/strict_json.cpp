#include "vmargin/codec/strict_json.hpp"

#include <optional>
#include <string>
#include <vector>

#include "vmargin/model/input_path.hpp"

namespace vmargin::codec {
namespace {

// Builds the document like nlohmann's own DOM parser, with the checks above.
class StrictBuilder final : public nlohmann::json_sax<Json> {
 public:
  StrictBuilder(std::string_view base_path, const JsonLimits& limits)
      : base_path_(base_path), limits_(limits) {}

  bool null() override { return put(Json(nullptr)); }
  bool boolean(bool v) override { return put(Json(v)); }
  bool number_integer(number_integer_t v) override { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
  bool number_float(number_float_t /*unused*/, const string_t& text) override {
    const bool integral = text.find_first_of(".eE") == std::string::npos;
    return fail(ErrorCode::wrong_type,
                integral ? "the integer " + shorten(text) + " does not fit 64 bits"
                         : "found the JSON number " + shorten(text) +
                               "; vmargin formats carry amounts as decimal strings (\"" + shorten(text) +
                               "\") and counts as integers",
                current_path());
  }
  bool string(string_t& v) override { return put(Json(std::move(v))); }
  bool binary(binary_t& /*unused*/) override {
    return fail(ErrorCode::malformed_json, "binary values are not JSON", current_path());
  }

  bool start_object(std::size_t /*unused*/) override { return open(Json::object(), true); }
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (f.value->contains(k)) {
      return fail(ErrorCode::duplicate_key, "the key \"" + shorten(k) + "\" appears twice in one object",
                  path_upto(frames_.size()) + "/" + input_path::escape(k));
    }
    f.key = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*unused*/) override { return open(Json::array(), false); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at
    // line 1, column 5: syntax error ...": keep what follows the bracket.
    std::string what = ex.what();
    if (const auto p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
    (void)position;
    return fail(ErrorCode::malformed_json, "not valid JSON: " + what, std::string(base_path_));
  }

  Result<Json> take() {
    if (error_) return std::move(*error_);
    return std::move(root_);
  }

 private:
  struct Frame {
    Json* value;
    bool is_object;
    std::string key;  // the member being filled, objects only
  };

  static std::string shorten(const std::string& s) { return s.size() <= 40 ? s : s.substr(0, 40) + "..."; }

  // The pointer of the value about to be added at the innermost level.
  std::string current_path() const { return path_upto(frames_.size(), true); }

  // Pointer to the container at depth `depth` (and, with `with_slot`, to the
  // slot being filled in the innermost container).
  std::string path_upto(std::size_t depth, bool with_slot = false) const {
    std::string out(base_path_);
    for (std::size_t i = 0; i < depth; ++i) {
      const Frame& f = frames_[i];
      const bool is_last = i + 1 == depth;
      if (is_last && !with_slot) break;
      out += '/';
      if (f.is_object) {
        out += input_path::escape(f.key);
      } else {
        // Outer arrays are filling their last element; the innermost one is
        // about to append.
        const std::size_t n = f.value->size();
        out += std::to_string(is_last ? n : n - 1);
      }
    }
    return out;
  }

  Json* slot() {
    if (frames_.empty()) return &root_;
    Frame& f = frames_.back();
    if (f.is_object) return &(*f.value)[f.key];
    f.value->push_back(nullptr);
    return &f.value->back();
  }

  bool put(Json v) {
    *slot() = std::move(v);
    return true;
  }

  bool open(Json container, bool is_object) {
    if (frames_.size() >= limits_.max_depth) {
      return fail(ErrorCode::input_too_large,
                  "nesting is deeper than the limit of " + std::to_string(limits_.max_depth), current_path());
    }
    Json* target = slot();
    *target = std::move(container);
    frames_.push_back(Frame{target, is_object, {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  bool fail(ErrorCode code, std::string message, std::string path) {
    if (!error_) error_.emplace(code, std::move(message), std::move(path));
    return false;
  }

  std::string_view base_path_;
  JsonLimits limits_;
  Json root_;
  std::vector<Frame> frames_;
  std::optional<Error> error_;
};

// nlohmann's lexer reads a NUL byte as the end of the input (for C strings),
// so "{...}\0garbage" would parse as "{...}". A NUL is never part of a JSON
// text (inside a string it must be escaped as \u0000): it is rejected
// wherever it is, with its position (line and column count bytes from 1,
// like the parser's own messages).
Status reject_nul(std::string_view text, std::string_view base_path) {
  const std::size_t at = text.find('\0');
  if (at == std::string_view::npos) return Ok{};
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return Error(ErrorCode::malformed_json,
               "not valid JSON: a NUL byte at line " + std::to_string(line) + ", column " +
                   std::to_string(at - line_start + 1) + " (byte " + std::to_string(at + 1) +
                   "); NUL is not allowed anywhere in a document",
               std::string(base_path));
}

}  // namespace

Result<Json> parse_strict_json(std::string_view text, std::string_view base_path, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error(ErrorCode::input_too_large,
                 "the document has " + std::to_string(text.size()) + " bytes; the limit is " +
                     std::to_string(limits.max_bytes),
                 std::string(base_path));
  }
  VMARGIN_CHECK(reject_nul(text, base_path));
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    return Error(ErrorCode::malformed_json,
                 "the document starts with a UTF-8 byte-order mark, which is not allowed",
                 std::string(base_path));
  }
  StrictBuilder builder(base_path, limits);
  // strict = true: nothing but whitespace may follow the value.
  Json::sax_parse(text.begin(), text.end(), &builder, Json::input_format_t::json, true);
  return builder.take();
}

}  // namespace vmargin::codec
