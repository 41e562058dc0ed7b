#pragma once
// Unix stream sockets for the agent and its clients. Every descriptor is
// close-on-exec and non-blocking.

#include <sys/types.h>

#include <optional>
#include <string>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// Binds a listening socket at `path` atomically: binds and listens on a
/// temporary name in the same directory, then renames it over `path`, so a
/// client never finds a socket that is not yet listening. The caller holds
/// the agent lock (a stale socket at `path` is replaced). Mode 0600.
/// Returns the descriptor.
Result<int> listen_unix(const std::string& path);

/// Connects to `path` without blocking (a full backlog gives EAGAIN at
/// once). Returns the descriptor, or an Error whose message is the errno
/// text; `errno_out` receives errno (ENOENT, ECONNREFUSED, EAGAIN, ...).
Result<int> connect_unix(const std::string& path, int* errno_out = nullptr);

/// The uid of the process at the other end (SO_PEERCRED), or nullopt.
std::optional<uid_t> peer_uid(int fd);

/// Sets O_NONBLOCK and FD_CLOEXEC on `fd`. Returns false on failure.
bool make_nonblocking(int fd);

/// Writes as much of `data` as the socket takes without blocking (send(2)
/// with MSG_NOSIGNAL); removes what was written from `data`. Returns false
/// on a hard error (EPIPE, ECONNRESET, ...), true otherwise (EAGAIN leaves
/// the rest).
bool flush_some(int fd, std::string& data);

/// flush_some for a non-blocking pipe or FIFO, with write(2); the caller
/// ignores SIGPIPE. Same contract.
bool write_some(int fd, std::string& data);

}  // namespace sentinel
