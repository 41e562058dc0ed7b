#pragma once
// What `sentinel doctor` looks at, gathered from the process tree, the
// agent's socket, tmux, PATH and the file system into the facts that the
// pure checks of core/doctor/checks.hpp judge.

#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/doctor/checks.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The nearest ancestor of this process (its parent first, at most 16
/// steps up) whose program is a shell (bash, zsh, fish, sh, dash, ksh,
/// mksh, tcsh), read from /proc/PID/exe, else /proc/PID/comm: {pid, name}.
/// {0, ""} when none is found.
std::pair<long, std::string> nearest_shell();

/// The agent as found through its socket: HELLO, then LIST (sessions'
/// pids), each answer awaited at most `timeout_ms`. `pids` receives the
/// shells the agent has sessions for when it answered.
AgentFacts probe_agent(const Vars& vars, int timeout_ms, std::vector<long>& pids);

/// tmux as seen from this pane ($TMUX, $TMUX_PANE): the status-left and
/// status-right of its server, this pane's @sentinel_tier. `tmux_binary`
/// is run with -S (the socket in $TMUX).
TmuxFacts probe_tmux(const Vars& vars, const std::string& tmux_binary, const std::string& plugin_path);

/// What PATH finds for `tool` and whether that is sentinel's wrapper (a
/// script naming `guard --tool`), in which case the program after it.
ToolFacts probe_tool(const std::string& tool, const Vars& vars, bool function, const std::string& wrappers_dir);

/// Whether the audit log (io/audit.hpp audit_path) could be appended to,
/// without writing: an existing log is opened for appending; else the
/// nearest existing directory above it must be writable and searchable.
/// A read-only file system or one without free blocks fails as well.
AuditFacts probe_audit(const Vars& vars, bool required);

/// `$TERM`, whether a standard descriptor is a terminal, and the entry's
/// missing capabilities.
TerminalFacts probe_terminal(const Vars& vars, Placement placement);

/// `<prefix>/share/sentinel`, where `<prefix>` is two levels above this
/// binary (/usr for /usr/bin/sentinel).
std::string installed_share_dir();

}  // namespace sentinel
