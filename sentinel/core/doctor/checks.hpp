#pragma once
// `sentinel doctor`: each check is a pure function from facts gathered by
// io/doctor_probe.hpp to one verdict with the fix, so every message and
// every fix is tested without a terminal, an agent or tmux.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/config/config.hpp"

namespace sentinel {

/// How a check came out. `warn` is worth knowing but does not make
/// `sentinel doctor` exit 1 (a wrapper that is not installed, a note).
enum class CheckStatus { ok, warn, fail };

/// "ok", "warn" or "fail".
std::string_view check_status_name(CheckStatus status);

/// One line of the report.
struct Check {
    std::string name;     ///< "shell", "agent", "runtime-dir", "config", "terminal", "tmux", "wrapper psql", "audit"
    CheckStatus status = CheckStatus::ok;
    std::string message;  ///< what was found
    std::string fix;      ///< what to do; "" when nothing
};

/// What the shell integration exports as SENTINEL_INIT:
/// "<shell> <version> <pid> [<wrapped tool>...]".
struct InitMarker {
    std::string shell;                 ///< "bash", "zsh", "fish"
    std::string version;               ///< the version of the sentinel that printed the integration
    long pid = 0;                      ///< the shell that loaded it
    std::vector<std::string> wrapped;  ///< tools with wrapper functions (SENTINEL_WRAP)
};

/// Parses SENTINEL_INIT; nullopt when malformed (fewer than three words,
/// a pid that is not a positive number).
std::optional<InitMarker> parse_init_marker(std::string_view text);

/// The shell doctor runs under and what it knows of the integration.
struct ShellFacts {
    std::string shell;                  ///< nearest ancestor shell's name ("bash"), "" when none was found
    long shell_pid = 0;                 ///< its pid
    std::optional<std::string> marker;  ///< SENTINEL_INIT as found in the environment
    std::string version;                ///< this binary's version
    /// Whether the agent has a session for the marker's pid: nullopt when
    /// the agent could not be asked.
    std::optional<bool> session_known;
};

/// The integration is loaded in this very shell, by this version, and its
/// relay is registered with the agent.
Check check_shell(const ShellFacts& facts);

/// How the agent answered.
enum class AgentReach {
    answered,       ///< HELLO came back
    no_runtime,     ///< the runtime directory is unusable (reported by check_runtime_dir)
    no_socket,      ///< no socket file: none runs
    stale,          ///< a socket nobody listens on (ECONNREFUSED)
    silent,         ///< connected, no answer in time (stopped with SIGSTOP, hung)
    refused,        ///< ERROR: another protocol version, another user
    unreachable,    ///< any other connection error
};

/// The agent as doctor found it.
struct AgentFacts {
    AgentReach reach = AgentReach::no_socket;
    std::string socket;         ///< its path
    std::string agent_version;  ///< from HELLO ("0.1.0"), "" when unknown
    std::string version;        ///< this binary's version
    std::string pid;            ///< from agent.lock, "" when unknown
    std::string detail;         ///< the error text, if any
    bool autostart = true;      ///< SENTINEL_AUTOSTART is not 0
};

/// The agent runs, answers and is this version.
Check check_agent(const AgentFacts& facts);

/// The runtime directory (io/runtime_dir.hpp): `path` when safe, else the
/// error, which already names the fix.
Check check_runtime_dir(const std::string& path, const std::optional<std::string>& error);

/// The config files parse: `config.errors` (the [display] values included) fail
/// with each file:line:col message; `config.notes` warn.
Check check_config(const Config& config);

/// The terminal the status line would be drawn on.
struct TerminalFacts {
    std::string term;                  ///< $TERM
    bool is_tty = true;                ///< stdin, stdout or stderr is a terminal
    Placement placement = Placement::bottom;
    std::optional<std::string> entry_error;  ///< read_term_entry's error (io/terminfo.hpp)
    std::vector<std::string> missing;  ///< missing_capabilities of the entry
};

/// `$TERM` has what the status line needs, and which capabilities it lacks.
Check check_terminal(const TerminalFacts& facts);

/// tmux, when doctor runs inside it.
struct TmuxFacts {
    bool inside = false;             ///< $TMUX and $TMUX_PANE are set
    std::string pane;                ///< $TMUX_PANE
    std::optional<std::string> error;  ///< tmux could not be asked (not installed, server gone)
    bool plugin = false;             ///< status-left or status-right reads @sentinel_ options
    std::string tier;                ///< this pane's @sentinel_tier, "" when unset
    std::string plugin_path;         ///< the installed sentinel.tmux, for the fix
};

/// The plugin is loaded and this pane's options are set.
Check check_tmux(const TmuxFacts& facts);

/// One of psql, kubectl, helm.
struct ToolFacts {
    std::string tool;
    std::string path;      ///< what PATH finds first, "" when none
    bool path_is_wrapper = false;  ///< that file is sentinel's wrapper script
    std::string real;      ///< the program the wrapper runs ("" when none or not a wrapper)
    bool function = false; ///< the integration wrapped it with a shell function (SENTINEL_WRAP)
    std::string wrappers_dir;  ///< the installed wrappers directory, for the fix
};

/// Which program a command would run and whether the guard sits in front:
/// guarded (function or wrapper) is ok, a tool that is not installed is ok,
/// an installed tool without either warns.
Check check_tool(const ToolFacts& facts);

/// The audit log's place.
struct AuditFacts {
    std::string path;                  ///< "" when neither XDG_STATE_HOME nor HOME is set
    std::optional<std::string> error;  ///< why it cannot be appended to, nullopt when it can
    bool required = false;             ///< config says audit = "required"
};

/// The guard can append to its audit log.
Check check_audit(const AuditFacts& facts);

/// True when no check failed.
bool all_well(const std::vector<Check>& checks);

/// The report, one line per check: `ok   name: message`, or `FAIL name:
/// message; fix: ...` (`warn` likewise), then a closing line. Every string
/// sanitized.
std::string format_doctor_text(const std::vector<Check>& checks);

/// The report as one JSON object: {"version": 1, "ok": bool, "checks":
/// [{"name", "status", "message", "fix"}]}, ASCII, strings sanitized.
std::string format_doctor_json(const std::vector<Check>& checks);

}  // namespace sentinel
