#pragma once

namespace vmargin {

/// The library version; the report format version is in docs/spec.md.
inline constexpr const char* version_string = "0.1.0";

}  // namespace vmargin
