#pragma once
// The status line reserved inside the terminal, through the terminfo layer
// of ncurses (terminfo(5), curs_terminfo(3X)): a scroll region that leaves
// one line out, painted with the terminal's own sequences. No escape
// sequence is written by hand: every byte comes from a capability of the
// entry for $TERM, expanded with tiparm(). Padding (`$<5>`) is dropped: the
// line is painted on pseudo-terminals, where no delay is needed.
//
// The byte builders are pure given the capabilities, so tests compare them
// to the byte (tests/io_terminfo_test.cpp).

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/result.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/statusline.hpp"

namespace sentinel {

/// The capabilities the status line uses, copied out of a terminfo entry
/// (names are terminfo(5) capnames). Absent ones are "".
struct TermCaps {
    std::string term;   ///< the $TERM they belong to
    std::string csr;    ///< change_scroll_region(top, bottom), 0-based rows
    std::string sc;     ///< save_cursor
    std::string rc;     ///< restore_cursor
    std::string cup;    ///< cursor_address(row, column)
    std::string el;     ///< clr_eol
    std::string sgr0;   ///< exit_attribute_mode
    std::string setaf;  ///< set_a_foreground(colour)
    std::string setab;  ///< set_a_background(colour)
    std::string rev;    ///< enter_reverse_mode
    std::string bold;   ///< enter_bold_mode
    std::string ind;    ///< scroll_forward (usually LF)
    std::string ri;     ///< scroll_reverse
    std::string cuu1;   ///< cursor_up
    std::string cud;    ///< parm_down_cursor(n): moves down, stops at the bottom margin
    std::string cuu;    ///< parm_up_cursor(n): moves up, stops at the top margin (cuu1 may be ri)
    int colors = 0;     ///< max_colors, 0 when absent
};

/// Reads the terminfo entry of `term` (setupterm(3X) with that name; the
/// process's own terminal state is not changed). Errors, as one-line
/// notices for the person: an empty TERM, "dumb", an entry that is missing
/// or that lacks csr, sc, rc, cup or el ("no scroll region").
Result<TermCaps> load_term_caps(const std::string& term);

/// The entry of `term` as read, whatever it lacks. Errors: an empty TERM,
/// "dumb", a name that is not a terminal name, no entry, no database.
Result<TermCaps> read_term_entry(const std::string& term);

/// The capnames the status line needs that `caps` lacks, in the order
/// csr, sc, rc, cup, el, ind, cuu1; empty when it can be drawn.
std::vector<std::string> missing_capabilities(const TermCaps& caps);

/// A terminal's size in character cells.
struct ScreenSize {
    int rows = 0;
    int cols = 0;
    bool operator==(const ScreenSize&) const = default;
};

/// True when a line can be reserved: at least 3 rows (two remain for the
/// shell) and 10 columns. A 1×5 terminal gets no line.
bool can_reserve(ScreenSize size);

/// The row the line takes: rows-1 at the bottom, 0 at the top.
int line_row(Placement placement, ScreenSize size);

/// Paints `line` on its reserved row without moving the cursor for the
/// shell: sc, cup(row, 0), per segment sgr0 + bold/rev/setaf/setab + text,
/// sgr0, el, rc. Colours beyond `colors` are brought down to the 8 ANSI
/// colours; with fewer than 8 colours or no setaf, the label is shown in
/// reverse video only. `line` must fit in cols-1 columns (the last column is
/// never written, so no terminal wraps or scrolls).
std::string paint_bytes(const TermCaps& caps, const StatusLine& line, Placement placement, ScreenSize size);

/// Makes room for the line and leaves the cursor exactly where the shell's
/// text is, wherever the cursor stands (a prompt being typed at, a line of
/// output): with the full region set, for the bottom `sc ind rc cud(1)
/// cuu1`: ind scrolls the text up only when the cursor is on the last row,
/// rc puts the cursor back on its column (the tty turns ind's LF into CR LF
/// under ONLCR, which lost the column), and cud(1) cuu1 moves it up one row
/// only when it was on the last row (cud stops at the bottom margin). For
/// the top, `sc ri rc cuu(1) cud(1)` likewise (cuu, as cuu1 is ri on screen
/// and tmux and would scroll at the top). Without cud, the bottom falls back
/// to `ind cuu1`, right only at column 0 (before a prompt is drawn); without
/// ri, cuu or cud the top makes no room.
std::string make_room_bytes(const TermCaps& caps, Placement placement);

/// Reserves the line and paints it. Safe to send again at every prompt, and
/// while a shell reads its input (it restores a region lost to `clear`,
/// `reset`, a full-screen program or a resize): sc, csr(full), rc; then
/// make_room_bytes; sc, csr without the line, rc; then paint_bytes. The
/// cursor ends where it was, on the same text.
std::string reserve_bytes(const TermCaps& caps, const StatusLine& line, Placement placement, ScreenSize size);

/// Gives the full screen back: clears the line (sc, cup, sgr0, el, rc) and
/// sets the full scroll region (sc, csr(0, rows-1), rc).
std::string release_bytes(const TermCaps& caps, Placement placement, ScreenSize size);

/// One terminal's reserved line over time: what to write at a prompt, on a
/// change while the shell is idle, and at the end. Holds the capabilities,
/// what was painted last (so an unchanged line writes nothing) and the
/// one-time notice when no line can be reserved.
class ReservedLine {
public:
    /// `term`: the session's $TERM; `placement`: `[display] statusline`.
    ReservedLine(const std::string& term, Placement placement);

    /// False when no line is ever painted (placement off, no usable
    /// terminfo entry); notice() says why.
    bool usable() const { return caps_.has_value(); }

    /// True between a reserve (at_prompt) and release(): the scroll region
    /// leaves the line's row out.
    bool reserved() const { return reserved_; }

    /// The one-time notice ("sentinel: no status line: TERM=dumb ..."), then
    /// "" on every later call; "" when usable or off.
    std::string take_notice();

    /// At a prompt: reserve (again) and paint.
    std::string at_prompt(const Display& content, ScreenSize size, bool no_color);

    /// The shell's line editor has drawn (zsh's zle clears to the end of the
    /// screen when it draws a prompt, after clear-screen and after a resize,
    /// which erases the line): reserve again for `size` and paint, whether or
    /// not the line changed; "" when nothing was reserved yet.
    std::string at_redraw(const Display& content, ScreenSize size, bool no_color);

    /// While the shell is idle: repaint when the line changed, reserve again
    /// (as at_prompt) when the size changed; "" when nothing changed or
    /// nothing was reserved yet.
    std::string on_change(const Display& content, ScreenSize size, bool no_color);

    /// The shell exits or the line is turned off: release_bytes once, then "".
    std::string release();

private:
    std::optional<TermCaps> caps_;
    Placement placement_;
    std::string notice_;
    bool reserved_ = false;
    ScreenSize size_;
    StatusLine painted_;
};

}  // namespace sentinel
