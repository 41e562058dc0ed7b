#pragma once
// The resident agent, as the `sentinel agent` command runs it (implemented
// by io/agent_server.hpp): one thread, poll(2) on the listening socket, the
// clients, inotify, a signalfd and (only while no client is connected) the
// idle-exit timer. Nothing wakes it while idle.

#include <cstdio>
#include <string>

namespace sentinel {

/// How the agent runs.
struct AgentOptions {
    std::string socket_path;  ///< where it listens (io/runtime_dir.hpp)
    int idle_exit_seconds = 0;  ///< exit after this long with no client connected; 0: never
    std::FILE* log = nullptr;   ///< where to log (no secret is ever logged); nullptr: nowhere
};

/// Serves clients on `listen_fd` (already bound at options.socket_path,
/// while the caller holds the agent lock) until SIGTERM, SIGINT or SIGHUP,
/// or the idle exit. Unlinks the socket before returning. Returns the exit
/// code (0 on a clean exit).
/// Limits: at most (RLIMIT_NOFILE - 64) / 2 clients (8 to 1,024). When full,
/// a new connection makes room by dropping the client idle longest (2 s or
/// more) that holds no session and no subscription; otherwise it is refused
/// with `ERROR limit <why>`. One descriptor is kept in reserve so that, out
/// of descriptors, a pending connection is still taken off the queue and
/// refused instead of making poll spin.
int run_agent(const AgentOptions& options, int listen_fd);

}  // namespace sentinel
