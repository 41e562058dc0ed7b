#pragma once
// The status line's content and layout, off-screen: what the reserved
// terminal line (io_terminfo), `sentinel bar` (io_curses) and the tmux
// options (sink_tmux) show. Pure: no terminal is touched here.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/color.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// What one status line says, every string already sanitized (core/sanitize.hpp).
struct LineContent {
    std::string tier;                ///< overall tier name ("none" without targets)
    std::string label;               ///< the tier's label ("PROD"); "" for "none"
    Color color;                     ///< the tier's colour (the default colour when none)
    std::vector<std::string> items;  ///< "kube prod-eu/payments", "pg orders@db1", "APP_ENV=production"
    std::string note;                ///< extra text shown last, e.g. "changed from staging"; "" for none
    bool production = false;         ///< the tier ranks as production (production_ranked): tints apply

    bool operator==(const LineContent&) const = default;
};

/// The content of `snapshot`: its overall tier, label and colour, then the
/// kube context/namespace, pg targets and env values in target order
/// (duplicates dropped). Names pass through sanitize(); secrets never reach a
/// Snapshot's fields, so none can reach the line.
LineContent line_content(const Snapshot& snapshot);

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

/// Lays `content` out in at most `width` columns:
/// `" LABEL "` in the tier colour as background (bold), then
/// `" item · item · note"` in the tier colour as foreground. Without a
/// colour (or with `no_color`, the https://no-color.org convention) the
/// label is in reverse video and the rest plain. The items are elided in the
/// middle (elide_middle) to fit; the label is elided only when the width
/// cannot hold it. Without targets: "sentinel: no target" plain. Width 0
/// gives an empty line.
StatusLine layout_status_line(const LineContent& content, std::size_t width, bool no_color);

}  // namespace sentinel
