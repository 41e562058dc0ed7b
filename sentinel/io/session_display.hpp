#pragma once
// Every display sink of one shell session, driven by the agent (or by
// `sentinel bar`): the reserved status line on the session's terminal, the
// OSC 11 tint outside tmux, and the tmux pane options. The agent calls four
// functions at four moments (see each), and never blocks on a terminal or
// on tmux for more than a write.

#include <map>
#include <memory>
#include <string>

#include "sentinel/io/terminfo.hpp"
#include "sentinel/io/tmux.hpp"
#include "sentinel/io/tmux_control.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/osc.hpp"
#include "sentinel/core/display/statusline.hpp"
#include "sentinel/core/display/tmux.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One control client per tmux server, shared by every session on it.
class TmuxControlPool {
public:
    explicit TmuxControlPool(std::string tmux_binary = "tmux") : tmux_binary_(std::move(tmux_binary)) {}
    /// Sets `options` on `pane` through the server's control client (started
    /// on first use, restarted once if it has gone), else one tmux run.
    Result<bool> set(const TmuxPane& pane, const std::vector<TmuxOption>& options);

private:
    std::string tmux_binary_;
    std::map<std::string, std::unique_ptr<TmuxControl>> clients_;  ///< by socket path
};

/// What the agent knows of a session that matters for display.
struct SessionTerminal {
    std::string tty;        ///< "/dev/pts/3" (REGISTER); "" for none
    std::string term;       ///< the shell's $TERM (must be reported)
    std::string tmux;       ///< the shell's $TMUX
    std::string tmux_pane;  ///< the shell's $TMUX_PANE
    bool no_color = false;  ///< the shell's NO_COLOR is set and non-empty
};

/// The terminal facts of a registered shell: `tty`, `tmux` and `tmux_pane`
/// as REGISTER gave them; TERM and NO_COLOR from /proc/PID/environ (the
/// shell's environment at exec; only for a process of this user).
SessionTerminal session_terminal(long pid, const std::string& tty, const std::string& tmux, const std::string& tmux_pane);

/// `terminal` with TERM and NO_COLOR as the shell last reported them
/// (REPORT carries its exported variables, reported_names in core/agent/session.hpp):
/// an `export NO_COLOR=1` in ~/.bashrc counts, which /proc/PID/environ, the
/// environment at exec, does not show. NO_COLOR counts when set and not
/// empty (no-color.org). `reported` false (no REPORT yet): unchanged.
SessionTerminal reported_terminal(SessionTerminal terminal, const Vars& vars, bool reported);

/// The sinks of one session.
class SessionDisplay {
public:
    SessionDisplay(SessionTerminal terminal, const DisplaySettings& settings, TmuxControlPool& tmux);

    /// The terminal it paints for, as constructed.
    const SessionTerminal& terminal() const { return terminal_; }

    /// PROMPT arrived, before the agent replies (the shell draws its prompt
    /// after the reply, with the cursor at column 0): reserves and paints the
    /// line again (this restores it after clear, reset, vim or a resize),
    /// applies the tint, and pushes the tmux options if they changed.
    void at_prompt(const Display& content);

    /// What at_prompt would write for `content` on a terminal of `size`
    /// (nullopt: no terminal size known), without changing anything: the
    /// bytes a relay writes before a prompt it answers from state pushed
    /// ahead (AHEAD, core/display/prompt.hpp).
    std::string peek_prompt(const Display& content, std::optional<ScreenSize> size) const;

    /// A relay wrote peek_prompt(content, size) before a prompt: records
    /// the line and tint as at_prompt would have left them, and pushes the
    /// tmux options if they changed.
    void shown_at_prompt(const Display& content, std::optional<ScreenSize> size);

    /// True once at_prompt has reserved the line, until it is given back.
    bool reserved() const { return line_.reserved(); }

    /// The session's content changed (a file changed, another terminal):
    /// repaints the line only while the shell is `idle` (between PROMPT and
    /// BUSY; a running full-screen program must not be painted over), applies
    /// the tint likewise, and pushes the tmux options in any case.
    void on_change(const Display& content, bool idle);

    /// The shell's line editor has drawn (DRAWN): reserves and paints the
    /// line again when `idle` (zsh's zle clears to the end of the screen
    /// whenever it draws a prompt, the reserved row with it) and the
    /// terminal's size allows; nothing else.
    void at_redraw(const Display& content, bool idle);

    /// Writes `text` (one line of its own, "\n"-terminated) to the
    /// terminal: the one-time notice, before a prompt.
    void notify(const std::string& text);

    /// The shell exited or the session is dropped: gives the full screen
    /// back and restores the background. The tmux options stay (the pane
    /// is closing or its next shell sets them).
    void on_exit();

    /// The one-time notice ("sentinel: no status line: TERM=dumb ...\n"), then "".
    std::string take_notice() { return line_.take_notice(); }

private:
    static std::string prompt_bytes(ReservedLine& line, OscTint& tint, const SessionTerminal& terminal,
                                    const Display& content, std::optional<ScreenSize> size);
    void paint(const std::string& bytes);
    void push(const Display& content);

    SessionTerminal terminal_;
    ReservedLine line_;
    OscTint tint_;
    std::optional<TmuxPane> pane_;
    TmuxSettings tmux_settings_;
    TmuxControlPool& tmux_;
    std::vector<TmuxOption> pushed_;
};

}  // namespace sentinel
