#pragma once
// Pushing a session's target to its tmux pane: per-pane user options set on
// the tmux server named by the session's $TMUX (tmux(1) ENVIRONMENT: TMUX is
// "socket-path,server-pid,session-index"), for its $TMUX_PANE, by running
// tmux with an argv (no shell, so no quoting can go wrong).

#include <spawn.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/result.hpp"
#include "sentinel/core/display/tmux.hpp"

namespace sentinel {

/// Where a pane lives.
struct TmuxPane {
    std::string socket;   ///< the server's socket path
    std::string pane;     ///< "%3"
    std::string session;  ///< "$0", the session id from $TMUX's last field ("" when not a number)
    bool operator==(const TmuxPane&) const = default;
};

/// The pane of a session from its `$TMUX` and `$TMUX_PANE`. The socket path
/// is everything before the last two comma fields (a path may hold commas);
/// nullopt when either is empty or malformed (the pane must be `%` digits,
/// the socket an absolute path). `session` is "$" and the last field.
std::optional<TmuxPane> tmux_pane_of(const std::string& tmux, const std::string& tmux_pane);

/// The argv that sets `options` on `pane` in one tmux run:
/// `tmux -S SOCKET set-option -p -t PANE NAME VALUE ; set-option -p -u -t
/// PANE NAME ; ...` (tmux(1) COMMANDS: `;` as its own argument separates
/// commands; values go through tmux_argv_value). `-q` keeps a tmux without
/// the option quiet.
std::vector<std::string> tmux_set_argv(const std::string& tmux_binary, const TmuxPane& pane,
                                       const std::vector<TmuxOption>& options);

/// Starts `argv` (posix_spawnp: argv[0] looked up on PATH) with `actions`
/// for its descriptors, default signal handling and an empty signal mask
/// (the agent blocks the signals it reads through signalfd, and a mask is
/// inherited across exec), in a process group of its own when `own_group`
/// (a Ctrl-C typed in the terminal does not reach it). Returns its pid.
/// Errors: "argv[0]: <strerror>" when it cannot start.
Result<pid_t> spawn_clean(const std::vector<std::string>& argv, const posix_spawn_file_actions_t& actions,
                          bool own_group);

/// Runs `argv` (posix_spawnp; stdin, stdout and stderr on /dev/null) and
/// waits up to `timeout_ms` for it; kills it after that. Returns its exit
/// status (0 success). Errors: it could not start, was killed or timed out.
Result<int> run_argv(const std::vector<std::string>& argv, int timeout_ms = 1000);

/// Sets `options` on `pane` with the `tmux` found on PATH (or
/// `$SENTINEL_TMUX` when the caller passes it as `tmux_binary`). Errors
/// say which pane and why.
Result<bool> push_tmux_options(const TmuxPane& pane, const std::vector<TmuxOption>& options,
                               const std::string& tmux_binary = "tmux");

}  // namespace sentinel
