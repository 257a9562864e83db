// The acceptance state as an opaque checked token (docs/formats.md §8), for
// faces whose callers hold the state as a value they could alter by mistake
// (the npm package, the Python module): "vmargin-state/1:" + the BLAKE2b-256
// of the state's canonical JSON (64 hex digits) + ":" + that JSON. The
// digest is a check against a state modified or cut short by mistake (or
// rebuilt from a parsed object that rounded its integers), not a signature:
// anyone can compute it.
#pragma once

#include <string>
#include <string_view>

#include "vmargin/error.hpp"

namespace vmargin::signing {

/// A state document (canonical JSON, optionally followed by one newline as
/// the CLI's --save-state writes it) as a token; errors at /state: empty
/// (malformed_json), not a state, not in canonical form (non_canonical).
[[nodiscard]] Result<std::string> seal_state(std::string_view json);

/// The canonical state JSON inside a token (as --save-state writes it,
/// without the newline); errors at /state: not a token or a digest that does
/// not match (bad_encoding), a state that is not canonical.
[[nodiscard]] Result<std::string> unseal_state(std::string_view token);

}  // namespace vmargin::signing
