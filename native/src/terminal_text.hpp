// Text from inputs (ids, keys, paths, messages that quote them) made safe to
// print to a terminal: an account id must not be able to clear the screen,
// move the cursor or start a new line that looks like the CLI's own output.
#pragma once

#include <string>
#include <string_view>

namespace vmargin::cli {

/// `text` with every character a terminal could act on written as a visible
/// escape: C0 controls, newline and tab included (\x1b, \n, \t...), DEL
/// (\x7f), C1 controls (\u009b), the Unicode line and paragraph separators
/// and bidirectional overrides (\u2028, \u202e...), and bytes that are not
/// UTF-8 (\xff); a backslash is doubled, so every escape reads one way.
/// Everything else, other UTF-8 included, is unchanged.
std::string terminal_safe(std::string_view text);

}  // namespace vmargin::cli
