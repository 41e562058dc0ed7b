#pragma once
// `sentinel bar`'s screen: the status line drawn with curses (ncurses(3X))
// in a pane or small window. The only file that includes <curses.h> is
// io/curses.cpp; this header exposes none of it.

#include <string>

#include "sentinel/io/bar_feed.hpp"

namespace sentinel {

/// How the bar draws.
struct BarScreenOptions {
    bool no_color = false;  ///< NO_COLOR: reverse video instead of colours
};

/// Runs the bar on the terminal of stdin/stdout until `q`, end of input,
/// SIGINT, SIGTERM or SIGHUP, or the feed ends. Draws the line (layout_status_line,
/// one column short of the width) on the first row, and redraws when the
/// feed's descriptor is readable and gives new content, or on a resize
/// (KEY_RESIZE after SIGWINCH). Waits in poll(2) without a timeout: no
/// polling. Restores the terminal (endwin) before returning. Returns the
/// exit code: 0, or 1 when the terminal cannot be used (message on stderr).
int run_bar_screen(BarFeed& feed, const BarScreenOptions& options);

/// The version of the linked ncurses, as curses_version(3X) gives it
/// ("6.4.20221231"), without the "ncurses " prefix.
std::string curses_library_version();

}  // namespace sentinel
