#pragma once
// The kernel's listening sockets as the core sees them, which of them a
// connection to an endpoint reaches, and the text of /proc/net/tcp, tcp6
// and unix (the fallback when NETLINK_SOCK_DIAG is not available). Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/reach/endpoint.hpp"

namespace sentinel {

/// One listening socket.
struct SocketEntry {
    enum class Family { v4, v6, unix_socket };
    Family family = Family::v4;
    std::string address;        ///< tcp: numeric, canonical ("127.0.0.1", "::", "::ffff:127.0.0.1")
    int port = 0;               ///< tcp
    bool v6only = false;        ///< tcp6: IPV6_V6ONLY (a dual-stack "::" also takes IPv4)
    std::string path;           ///< unix: the bound path ("" for unnamed, "@name" for abstract)
    std::uint64_t vfs_dev = 0;  ///< unix: device of the socket file (userspace dev_t encoding); 0 unknown
    std::uint64_t vfs_ino = 0;  ///< unix: inode of the socket file; 0 unknown
    std::uint64_t inode = 0;    ///< the socket's own inode: `socket:[N]` in /proc/PID/fd
    long uid = -1;              ///< the socket's owner; -1 unknown

    /// "127.0.0.1:5432", "[::]:5432", or the path.
    std::string text() const;
    bool operator==(const SocketEntry&) const = default;
};

/// The identity of a socket file (stat(2) st_dev, st_ino), when known.
struct FileId {
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    bool operator==(const FileId&) const = default;
};

/// The listening sockets of `table` that a connection to `endpoint`
/// reaches, without duplicates, in the order of the endpoint's addresses.
/// TCP, per address as the kernel picks (inet_lhash2_lookup scoring): a
/// socket bound to that exact address; else, for IPv4, one bound to
/// 0.0.0.0, else a dual-stack "::" (not v6only); for IPv6, "::". Several
/// sockets with the same best score (SO_REUSEPORT) are all returned.
/// Unix: the socket whose file identity is `file` when both are known,
/// else the one bound to the same path.
std::vector<SocketEntry> reached_sockets(const std::vector<SocketEntry>& table, const Endpoint& endpoint,
                                         const FileId& file);

/// Listening TCP sockets of /proc/net/tcp (`v6` false) or /proc/net/tcp6
/// text: state 0A rows, addresses decoded from the kernel's hex (each
/// 32-bit word in host byte order), uid and inode columns. Malformed lines
/// are skipped. v6only is not in these files: false.
std::vector<SocketEntry> parse_proc_net_tcp(std::string_view text, bool v6);

/// Listening Unix sockets of /proc/net/unix text: rows whose flags have
/// __SO_ACCEPTCON (0x10000), with inode and path (the rest of the line).
std::vector<SocketEntry> parse_proc_net_unix(std::string_view text);

}  // namespace sentinel
