#pragma once
// The two headless ways `sentinel bar` can run besides its curses pane:
// painting the reserved line of its own terminal, and pushing its tmux
// pane's options. Both wait in poll(2) on the feed (no timer) and end on
// SIGTERM, SIGINT or SIGHUP, or when the shell that started them exits
// (PR_SET_PDEATHSIG).

#include <string>

#include "sentinel/io/bar_feed.hpp"
#include "sentinel/io/tmux.hpp"
#include "sentinel/core/config/config.hpp"

namespace sentinel {

/// `sentinel bar --inline`: reserves the status line of the controlling
/// terminal (/dev/tty, $TERM, `placement`) at start, repaints it on every
/// change and resize (SIGWINCH), and gives the full screen back on exit.
/// Prints the one-time notice on stderr and returns 0 at once when no line
/// can be reserved (dumb or unknown TERM, no scroll region, smaller than
/// 3×10 at start, no controlling terminal). With `osc_tint` (and colours
/// allowed) the terminal's background is tinted while the target is
/// production (core/display/osc.hpp) and restored on leaving it and on exit; the
/// caller passes false inside tmux, where OSC 11 would tint the outer terminal.
int run_inline_line(BarFeed& feed, const std::string& term, Placement placement, bool no_color, bool osc_tint);

/// `sentinel bar --push-tmux`: sets the options of `pane` (core/display/tmux.hpp)
/// at start and on every change, through a persistent control-mode client
/// (io/tmux_control.hpp), falling back to one tmux run per change when no
/// control client can be kept. Errors go to stderr; the loop goes on.
int run_tmux_push(BarFeed& feed, const TmuxPane& pane, const TmuxSettings& settings, const std::string& tmux_binary);

}  // namespace sentinel
