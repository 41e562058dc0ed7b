#pragma once
// What listens at an endpoint, as the edge reads it from the kernel's socket
// tables and /proc (io/listeners.hpp), and the seam through which the core
// asks. Tests hand the core a fake source.

#include <cstdint>
#include <string>
#include <vector>

#include "sentinel/core/reach/endpoint.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One process's command line, as /proc/PID/cmdline gives it.
struct ProcessCommand {
    long pid = 0;
    std::vector<std::string> argv;
};

/// A listening socket that a connection to the endpoint reaches, and the
/// process behind it as far as it can be seen.
struct Listener {
    enum class Seen {
        process,  ///< a process holding the socket was found; argv (and env, cwd when readable) filled
        hidden,   ///< some processes' descriptors are closed to this user (another uid, hidepid): the holder may be one of them
        orphan,   ///< every process could be read and none holds it (another PID namespace, the kernel)
    };
    Seen seen = Seen::hidden;
    std::string listen;                 ///< the socket as the kernel reports it: "127.0.0.1:15432", "[::]:5432", a path
    int port = 0;                       ///< its TCP port (0 for a Unix socket)
    std::uint64_t inode = 0;            ///< the socket's inode
    long uid = -1;                      ///< the socket's owner; -1 unknown
    long pid = 0;                       ///< Seen::process: the holder
    std::uint64_t start_time = 0;       ///< its start time (/proc/PID/stat field 22, clock ticks since boot)
    std::vector<std::string> argv;      ///< its command line
    Vars env;                           ///< the variables tracing needs (listener_env_names), when its environment is readable
    bool env_known = false;             ///< /proc/PID/environ was readable
    std::string cwd;                    ///< its working directory, "" when unreadable
    std::vector<ProcessCommand> owner_commands;  ///< Seen::hidden: the command lines of every visible process of `uid` (at most 64)
    bool owner_commands_complete = false;        ///< every process of `uid` was listed

    /// "inode:pid:start time", or "inode" when no process was seen: the
    /// listener's identity, which changes when it restarts.
    std::string identity() const;
};

/// What a lookup found: nothing listening (empty, no error), the listeners,
/// or why the tables could not be read.
struct Lookup {
    std::vector<Listener> listeners;
    std::string error;  ///< "" when the tables were read
};

/// The edge that answers the core's questions about listeners.
class ListenerSource {
public:
    virtual ~ListenerSource() = default;

    /// The listening sockets a connection to `endpoint` reaches
    /// (reached_sockets) and their processes.
    virtual Lookup lookup(const Endpoint& endpoint) const = 0;

    /// The output of `ssh -G ARGS` (the effective client configuration; it
    /// connects nowhere), run in directory `cwd` ("" for any), for the
    /// forwarder whose listener identity is `listener` (so that an
    /// unchanged forwarder is asked once). An error when ssh is missing,
    /// fails or takes longer than a second.
    virtual Result<std::string> ssh_config(const std::vector<std::string>& args, const std::string& cwd,
                                           const std::string& listener) const = 0;
};

/// The names of the variables a Listener's `env` keeps: KUBECONFIG and HOME
/// (the forwarder's kubeconfig), PGDATA (a server's data directory). Nothing else of a process environment is
/// ever copied, so its secrets cannot travel further.
const std::vector<std::string>& listener_env_names();

}  // namespace sentinel
