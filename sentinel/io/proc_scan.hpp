#pragma once
// Processes as /proc shows them: which one holds a socket (as `ss -p` and
// fuser find it: /proc/PID/fd/N -> "socket:[INODE]"), and its command line,
// the few variables tracing needs, working directory and start time.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/reach/listener.hpp"

namespace sentinel {

/// The process ids in /proc, newest first: pids are handed out counting up
/// from the last one given (/proc/loadavg's last field) and wrap at
/// pid_max, so the newest are those up to the last pid, descending, then
/// the rest, descending.
std::vector<long> list_pids();

/// Where a socket was found: the process and the descriptor's name.
struct SocketHolder {
    long pid = 0;
    std::string fd;  ///< the entry of /proc/PID/fd, "7"
};

/// What a search for a socket's holder saw.
struct HolderSearch {
    std::optional<SocketHolder> holder;
    bool some_hidden = false;   ///< a /proc/PID/fd could not be read (EACCES, EPERM): the holder may be there
    std::vector<long> scanned;  ///< the processes whose descriptors were read
};

/// Every socket seen during searches: its inode and where it was.
using SocketIndex = std::map<std::uint64_t, SocketHolder>;

/// Searches /proc/PID/fd of `pids`, in that order, for `socket:[inode]`,
/// stopping at the first holder. With `index`, every other socket met on
/// the way is recorded there too, so that a later search for it needs no
/// scan (check it with still_holds).
HolderSearch find_socket_holder(std::uint64_t inode, const std::vector<long>& pids, SocketIndex* index = nullptr);

/// True while /proc/PID/fd/FD still names `socket:[inode]`: one
/// readlink(2), to check a cached holder.
bool still_holds(const SocketHolder& holder, std::uint64_t inode);

/// /proc/PID/stat's start time (field 22, clock ticks since boot); 0 when
/// unreadable.
std::uint64_t process_start_time(long pid);

/// Fills `listener` (Seen::process) from /proc/PID: argv from cmdline,
/// the variables of listener_env_names() from environ when readable (the
/// rest of the environment is never kept), cwd, start time.
void read_process(long pid, Listener& listener);

/// The command lines of the processes whose /proc/PID belongs to `uid`
/// (at most `limit`); `complete` is false when there were more or one could
/// not be read.
std::vector<ProcessCommand> processes_of_uid(long uid, std::size_t limit, bool& complete);

}  // namespace sentinel
