#pragma once
// Sessions: the interactive shells the agent knows, what each one shows, and
// how a change is attributed ("changed from X" when it did not come from the
// shell's own variables). Pure: no I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/snapshot.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The shell a session runs; decides how the prompt segment is escaped.
enum class Shell { bash, zsh, fish, other };

/// "bash", "zsh" and "fish" map to themselves, anything else to Shell::other.
Shell shell_from_name(std::string_view name);

/// "bash", "zsh", "fish" or "other".
std::string_view shell_name(Shell shell);

/// What a shell's prompt variables show, drawn from the display model
/// (core/display/model.hpp). Every string is sanitized (core/sanitize.hpp)
/// except `colored`, which holds sanitized names and sentinel's own ANSI
/// SGR sequences.
struct View {
    std::string tier;            ///< overall tier ("none" without targets)
    std::string label;           ///< the tier's label ("" for "none")
    std::string text;            ///< format_prompt without colour, "" without targets
    std::string colored;         ///< format_prompt with colour
    std::string kube_context;    ///< context of the kube target, "" when none
    std::string kube_namespace;  ///< its namespace
    std::string pg;              ///< the pg targets' short names (short_name), space separated
    std::string env;             ///< the env targets' short names (NAME=value), space separated
    /// What the prompt shows when its answer is stale or missing
    /// (stale_display, core/display/stale.hpp): the tier, its label, the
    /// coloured segment with the target names, and the coloured label alone
    /// (for a change of the shell's own variables, whose targets are not
    /// known yet).
    std::string stale_tier, stale_label, stale_colored, stale_label_colored;
    Display display;             ///< the display model it was drawn from (status line, tmux, SESSION frames)

    bool operator==(const View&) const = default;
};

/// Widest field of a View, columns: a 100 KB context name is shown elided
/// in its middle (classification uses the full name), and a STATE frame
/// stays far below kMaxFrame.
inline constexpr std::size_t kMaxViewColumns = 200;

/// The view of `snapshot`, whose display is `display` (make_display), each
/// field elided to kMaxViewColumns.
View make_view(const Snapshot& snapshot, const Display& display);

/// One interactive shell known to the agent (DESIGN.md "Words": session).
struct Session {
    std::uint64_t id = 0;        ///< agent-assigned, unique for the agent's lifetime
    long pid = 0;                ///< the shell's process id
    Shell shell = Shell::other;
    std::string tty;             ///< the shell's terminal ("/dev/pts/3"), "" if unknown
    std::string tmux;            ///< the shell's $TMUX ("socket,pid,session"), "" outside tmux
    std::string tmux_pane;       ///< the shell's $TMUX_PANE ("%3")
    std::string cwd;
    Vars vars;                   ///< reported variables (secrets already dropped)
    std::vector<std::string> names;  ///< variables to report under its config (reported_names)
    bool reported = false;       ///< a REPORT arrived
    bool idle = false;           ///< at its prompt: between PROMPT and BUSY
    bool tells_drawn = false;    ///< a zsh that sends DRAWN when zle has drawn each prompt
    bool drawing = false;        ///< between PROMPT and DRAWN for such a shell: its editor draws
    View current;                ///< the latest evaluation
    View shown;                  ///< what the shell received at its previous prompt
    bool has_shown = false;
    bool self_change = false;    ///< its own variables changed since the previous prompt
    std::string changed_from;    ///< text of the previous target when changed elsewhere, else ""
    std::uint64_t gen = 0;       ///< bumped whenever current or changed_from changes
};

/// Variables a shell reports in REPORT: HOME, KUBECONFIG, XDG_CONFIG_HOME,
/// XDG_CACHE_HOME (the kubeconfig cache, io/kube_cache.hpp),
/// SENTINEL_SYSTEM_CONFIG, TERM and NO_COLOR (the status line,
/// reported_terminal in io/session_display.hpp), DATABASE_URL, PGSERVICE, PGSERVICEFILE,
/// PGSYSCONFDIR, the pg connection variables (core/pg/resolve.hpp), the
/// terraform, AWS and gcloud variables (cloud_variables), the env
/// variables `config` names, then `extra` (the variables a dotenv file
/// expands, Snapshot::referenced). Only valid shell identifiers
/// (is_variable_name) and never a secret (is_secret_variable).
std::vector<std::string> reported_names(const Config& config, const std::vector<std::string>& extra = {});

/// The variables that choose a terraform workspace or data directory, an
/// AWS profile, its files and region, and a gcloud configuration and its
/// properties (core/terraform, core/aws, core/gcloud).
const std::vector<std::string>& cloud_variables();

/// Parses REPORT fields `NAME=VALUE` into `vars`, dropping malformed
/// entries, names that are not variable names and secret variables. A
/// field without '=' is the relay's mark of a REPORT cut to fit a frame at
/// that variable: its name is added to vars[kUnreportedVariables]
/// (core/vars.hpp), which makes the session unknown.
Vars parse_report(const std::vector<std::string>& fields);

/// `vars` with the relative paths in KUBECONFIG (each entry of the colon
/// list), PGSERVICEFILE and PGSYSCONFDIR made absolute against `cwd`, the
/// directory the shell reported: kubectl and libpq open them relative to
/// the working directory of the command, which is the shell's, not the
/// agent's. Empty entries stay empty (kubectl skips them); nothing changes
/// when `cwd` is not absolute.
Vars absolute_paths(Vars vars, const std::string& cwd);

/// Applies a REPORT: sets vars and cwd; marks a self change when the
/// variables or the working directory differ from the previous report (a
/// `cd` is the shell's own doing: dotenv files and terraform directories
/// depend on it). Returns true when either changed (the session must be
/// re-evaluated).
bool apply_report(Session& session, Vars vars, std::string cwd);

/// Applies a new evaluation; bumps gen when the view changed. Returns true
/// when it changed. With NO_COLOR set and not empty among the session's
/// reported variables (no-color.org), the view's `colored` text is its
/// plain text: the prompt segment is not coloured.
bool apply_view(Session& session, View view);

/// The shell drew a prompt: decides the "changed from" mark (set when the
/// view differs from what the previous prompt showed and the session's own
/// variables did not change since), records what is now shown and marks
/// the session idle (and drawing, when it tells when its editor has drawn).
/// Bumps gen when the mark changes.
void on_prompt(Session& session);

/// The shell's line editor has drawn (DRAWN: zsh's zle drew its prompt,
/// redrew after a widget, or after a resize; bash after a resize): it is
/// no longer drawing, and a zsh session is known to tell when it has drawn
/// each prompt from now on (an integration that never says DRAWN is
/// painted as soon as the prompt is answered).
void on_drawn(Session& session);

/// True when the agent may paint the session's terminal now: the shell
/// sits at its prompt and its line editor is not drawing one.
bool may_paint(const Session& session);

/// The opaque generation token shells echo back:
/// "<instance>.<session id>.<gen>", so that neither a restarted agent nor a
/// new session of the same agent (a relay that reconnected after a frame it
/// could not read) ever matches a token the shell holds from before.
std::string gen_token(std::string_view instance, const Session& session);

}  // namespace sentinel
