#pragma once
// The kernel's listening sockets, as `ss -l` reads them: NETLINK_SOCK_DIAG
// (sock_diag(7)), or /proc/net/tcp, tcp6 and unix when netlink is refused.

#include <string>
#include <vector>

#include "sentinel/core/reach/sockets.hpp"
#include "sentinel/core/result.hpp"

namespace sentinel {

/// A NETLINK_SOCK_DIAG socket, opened on first use and kept (the agent asks
/// at every prompt of a traced target).
class SockDiag {
public:
    SockDiag() = default;
    ~SockDiag();
    SockDiag(const SockDiag&) = delete;
    SockDiag& operator=(const SockDiag&) = delete;

    /// Every listening TCP socket, IPv4 and IPv6, with address, port,
    /// IPV6_V6ONLY, inode and owner uid. Falls back to /proc/net/tcp and
    /// tcp6 (no v6only) when netlink fails. An error when neither can be read.
    Result<std::vector<SocketEntry>> tcp();

    /// Every listening Unix socket with its path, the identity of its socket
    /// file (UNIX_DIAG_VFS) and owner uid (UNIX_DIAG_UID, Linux 5.3), or from
    /// /proc/net/unix (path and inode only).
    Result<std::vector<SocketEntry>> unix_sockets();

private:
    bool dump(const void* request, std::size_t size, std::vector<std::string>& messages);
    int fd_ = -1;
    unsigned seq_ = 0;
};

}  // namespace sentinel
