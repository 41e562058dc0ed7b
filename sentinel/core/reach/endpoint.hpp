#pragma once
// Where a target connects when its name is a loopback address or a Unix
// socket: the addresses a client tries, or the socket file. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/target.hpp"

namespace sentinel {

/// A local place a client connects to.
struct Endpoint {
    enum class Type { tcp, unix_socket };
    Type type = Type::tcp;
    std::vector<std::string> addresses;  ///< tcp: numeric addresses a client tries, in order ("::1", "127.0.0.1")
    int port = 0;                        ///< tcp: the port
    std::string path;                    ///< unix_socket: the socket file ("/var/run/postgresql/.s.PGSQL.5432")
    std::string name;                    ///< as the target names it: "localhost:15432", "[::1]:5432", or the path

    bool operator==(const Endpoint&) const = default;
};

/// The numeric loopback addresses `host` stands for, or an empty list when
/// it is not a loopback name: "localhost" and names ending in ".localhost"
/// (RFC 6761 6.3) give "::1" and "127.0.0.1"; an IPv4 literal in
/// 127.0.0.0/8 gives itself; "::1" (also in brackets) and IPv4-mapped
/// "::ffff:127.x.y.z" give the address in canonical form; "0.0.0.0" and "::"
/// give "127.0.0.1" and "::1", the addresses Linux connects them to.
/// Case-insensitive; a trailing dot is allowed ("localhost.").
std::vector<std::string> loopback_addresses(std::string_view host);

/// The TCP endpoint of `host` and `port` (decimal, 1-65535) when `host` is
/// a loopback name (loopback_addresses); nullopt otherwise or for a bad port.
std::optional<Endpoint> tcp_endpoint(std::string_view host, std::string_view port);

/// Where a pg target connects, when that is on this machine: its
/// `hostaddr` when set (libpq connects there, whatever `host` says), else
/// its `host`: a loopback name gives a TCP endpoint, an absolute directory
/// the Unix socket `DIR/.s.PGSQL.PORT` (libpq's socket file name). nullopt
/// for anything else or a target with problems.
std::optional<Endpoint> pg_endpoint(const Target& target);

/// Where a kube target's API server is, when on loopback: its `server`
/// URL's host and port (443 for https, 80 for http when absent; IPv6 in
/// brackets). nullopt for another host, a malformed URL or a target with
/// problems.
std::optional<Endpoint> kube_endpoint(const Target& target);

/// `address` and `port` as a person writes them: "127.0.0.1:5432",
/// "[::1]:5432".
std::string host_port(std::string_view address, int port);

/// Parses a decimal port 1-65535; nullopt otherwise.
std::optional<int> parse_port(std::string_view text);

}  // namespace sentinel
