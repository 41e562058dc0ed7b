#pragma once
// The status line's layout, off-screen: how the reserved terminal line
// (io/terminfo.hpp), `sentinel bar` (io/curses.hpp) and the tmux options
// (core/display/tmux.hpp) lay the display model (core/display/model.hpp)
// out in a width. Pure: no terminal is touched here.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/color.hpp"
#include "sentinel/core/display/model.hpp"

namespace sentinel {

/// The look of one run of text. Colours are palette indexes (-1: default).
struct Style {
    PaletteIndex fg = -1;
    PaletteIndex bg = -1;
    bool bold = false;
    bool reverse = false;

    bool operator==(const Style&) const = default;
};

/// A run of text in one style. `text` is sanitized; `width` its columns.
struct Segment {
    std::string text;
    Style style;
    std::size_t width = 0;

    bool operator==(const Segment&) const = default;
};

/// A laid-out line: segments left to right, at most `width` columns in all.
struct StatusLine {
    std::vector<Segment> segments;
    std::size_t width = 0;  ///< columns the segments take

    bool operator==(const StatusLine&) const = default;
    /// The text without styles (tests, tmux, logs).
    std::string text() const;
};

/// The text after the label: line_items() and the note, " · "-joined.
std::string line_text(const Display& display);

/// Lays `display` out in at most `width` columns:
/// `" LABEL "` in the tier colour as background (bold), then
/// `" item · item · note"` (line_text) in the tier colour as foreground.
/// Without a colour (or with `no_color`, the https://no-color.org
/// convention) the label is in reverse video and the rest plain. The text
/// is elided in the middle (elide_middle) to fit; the label is elided only
/// when the width cannot hold it. With no label, target or note:
/// "sentinel: no target" plain. Width 0 gives an empty line.
StatusLine layout_status_line(const Display& display, std::size_t width, bool no_color);

}  // namespace sentinel
