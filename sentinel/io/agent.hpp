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
int run_agent(const AgentOptions& options, int listen_fd);

}  // namespace sentinel
