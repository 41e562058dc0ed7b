#pragma once
// What the agent sets on a tmux pane so that the status line can show that
// pane's target: per-pane user options (tmux(1) OPTIONS, "user options"
// starting with @) read by the format in contrib/tmux/sentinel.tmux. Pure.

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/display/statusline.hpp"

namespace sentinel {

/// Makes sanitized `text` literal inside a tmux format (tmux(1) FORMATS and
/// STYLES): every `#` is doubled, so `#(cmd)`, `#{name}`, `#[style]` and `##`
/// in a name print as themselves and nothing runs or restyles. Values are
/// never put in `#()` or `run-shell`; this is for the draw stage that turns
/// `##` into `#`. Input must already be sanitized (no control bytes).
std::string tmux_escape(std::string_view text);

/// A tmux colour name for a palette index: "colour196", or "default" for -1
/// (tmux(1) STYLES: `colour0` to `colour255`). Never contains `#` or `,`.
std::string tmux_colour(PaletteIndex index);

/// The tmux style of `style` (tmux(1) STYLES): "fg=colour1,bg=default,bold,reverse"
/// or "default". Built only from numbers and fixed words.
std::string tmux_style(const Style& style);

/// One pane option to set (value non-empty) or unset (`unset` true).
struct TmuxOption {
    std::string name;   ///< "@sentinel_tier", "window-style", ...
    std::string value;  ///< escaped for formats where it is text
    bool unset = false;

    bool operator==(const TmuxOption&) const = default;
};

/// How the tmux sink behaves (config `[display]`, Config::display).
struct TmuxSettings {
    bool tint = true;           ///< tint production panes' background (pane `window-style`)
    bool no_color = false;      ///< NO_COLOR: reverse video instead of colours
    std::size_t max_width = 60; ///< columns of @sentinel_text before eliding in the middle (the plugin never truncates: a cut could split a doubled #)
};

/// The pane options for `display`, in this order:
/// - `@sentinel_tier`: the tier name, escaped;
/// - `@sentinel_label`: the label, escaped ("" when there is no target);
/// - `@sentinel_text`: line_text() (the status line's items and note), elided to max_width, escaped;
/// - `@sentinel_fg`: the tier colour as "colourN" or "default";
/// - `@sentinel_style`: the label block's style (tmux_style of the status
///   line's label segment), e.g. "fg=colour1,bold,reverse";
/// - `window-style` (a pane option since tmux 3.0): "bg=colour52" (a dark
///   shade of the tier colour) when `tint` is on and the tier is
///   production-ranked (Display::dangerous) and colours are allowed (not NO_COLOR),
///   else unset so the window's own style
///   shows through.
std::vector<TmuxOption> tmux_pane_options(const Display& display, const TmuxSettings& settings);

/// A dark shade of a palette colour for a background tint: the
/// 256-colour cube entry with each channel at its lowest non-zero level
/// (red → colour52); -1 for the default colour.
PaletteIndex tint_of(PaletteIndex index);

/// `value` made safe as one argument of a tmux command line given as argv
/// (tmux(1) COMMAND PARSING AND EXECUTION): tmux ends a command at an
/// argument ending in `;` unless it ends in `\;`, so a trailing `;` is sent
/// as `\;`. Nothing else in an argv argument is interpreted.
std::string tmux_argv_value(std::string_view value);

/// `value` as one single-quoted word of the tmux command language (tmux(1)
/// PARSING SYNTAX): inside single quotes nothing is special, so `#`, `;`,
/// `$`, `~`, `{`, `}` and `\` stay literal; a `'` is written `'\''`. Input
/// must be sanitized (no newline, which would end the command).
std::string tmux_quote(std::string_view value);

/// The command lines that set `options` on `pane` ("%3"), one
/// `set-option -p -q [-u] -t PANE NAME 'VALUE'` per option, each ended by a
/// newline: what a control-mode client (tmux(1) CONTROL MODE) sends.
std::string tmux_set_commands(const std::string& pane, const std::vector<TmuxOption>& options);

}  // namespace sentinel
