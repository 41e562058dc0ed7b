#pragma once
// A persistent tmux control-mode client (tmux(1) CONTROL MODE) that sets
// pane options by writing command lines, so that a change costs a write
// (about 0.1 ms) instead of starting a tmux process (12-25 ms on this
// machine, most of it exec).

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "sentinel/io/tmux.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/display/tmux.hpp"

namespace sentinel {

/// One control client attached to the session of a pane with
/// `attach-session -f ignore-size,no-output` (tmux 3.2+): it never changes
/// window sizes, receives no pane output and selects no window or pane. It
/// shows in `list-clients` as a control-mode client.
class TmuxControl {
public:
    /// Starts `TMUX_BINARY -S SOCKET -C attach-session -f
    /// ignore-size,no-output -t SESSION` on a socketpair. Errors: no session
    /// id in `pane`, or the process cannot start.
    static Result<std::unique_ptr<TmuxControl>> start(const std::string& tmux_binary, const TmuxPane& pane);
    ~TmuxControl();
    TmuxControl(const TmuxControl&) = delete;
    TmuxControl& operator=(const TmuxControl&) = delete;

    /// Sends the commands that set `options` on `pane` (tmux_set_commands)
    /// and discards the replies already received; never blocks. Errors: the
    /// client has gone (server exited, session closed) or stopped reading;
    /// start a new one or fall back to push_tmux_options.
    Result<bool> set(const TmuxPane& pane, const std::vector<TmuxOption>& options);

private:
    TmuxControl(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
    pid_t pid_;
    int fd_;
};

}  // namespace sentinel
