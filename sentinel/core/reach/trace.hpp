#pragma once
// Following a loopback target to what really answers there (DESIGN.md
// "Reach"): the listening process, what its command line forwards to, and
// the tier of that. Pure: the kernel's tables, /proc and `ssh -G` come
// through a ListenerSource, files through a FileReader.

#include <string>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/kube/kubeconfig.hpp"
#include "sentinel/core/reach/forwarder.hpp"
#include "sentinel/core/reach/listener.hpp"
#include "sentinel/core/target.hpp"

namespace sentinel {

/// What tracing reads.
struct TraceInputs {
    const Config& config;
    const ListenerSource& listeners;
    const FileReader& files;              ///< pgbouncer ini files, the forwarders' kubeconfigs
    const KubeconfigLoader& kubeconfigs;  ///< parsed kubeconfigs (through `files` or a cache)
};

/// How many forwarders deep a chain is followed (socat to a pgbouncer to a
/// port-forward ...); a deeper or looping chain ends in an unknown hop.
inline constexpr int kMaxHops = 4;

/// Traces a classified `target` whose place is on this machine: a pg
/// target on a loopback host or hostaddr or a Unix socket, a kube target
/// whose API server is on loopback (pg_endpoint, kube_endpoint). Sets
/// `target.via` to the chain of hops and raises `target.tier` to the most
/// dangerous of its own tier and what the chain reaches (more_dangerous),
/// with `target.rule` saying through what. Per listener (Listener::seen):
/// - a PostgreSQL server (also another user's, recognised from the
///   command lines of that user's processes when its descriptors are
///   closed) or docker-proxy: local, the target keeps its tier;
/// - a recognised forwarder (recognise()): what it reaches is classified
///   with the same rules as any target (a kube target resolved from the
///   forwarder's own flags, KUBECONFIG and cwd; a pg or kube target from
///   the remote host and port, with fields via, ssh_host, instance, ...
///   that rules may test), and followed again when that is on loopback
///   here too;
/// - anything else, a process that cannot be seen or read, a table that
///   cannot be read: unknown.
/// Several listeners answering (IPv4 and IPv6 "localhost"): each is traced
/// and the most dangerous counts, with a warning. Nothing listening: no
/// hop, the tier stays and a warning says so. Other targets are untouched.
void trace_target(Target& target, const TraceInputs& inputs, std::vector<std::string>& warnings);

/// The Forward of a listener whose process cannot be seen (Seen::hidden),
/// from the command lines of the socket owner's other processes: a
/// docker-proxy whose `-host-port` is the listener's port; a PostgreSQL
/// server when every process of that user is one (owner_commands_complete);
/// otherwise unknown ("cannot be seen").
Forward attribute_hidden(const Listener& listener);

/// The target a hop reaches, ready for classify(): a kube target
/// (`kind` kube) with server `scheme://remote_host:remote_port`, or a pg
/// target with host, port, dbname (remote_dbname, else `local`'s) and user
/// of `local`; remote_socket gives its directory as host and its port from
/// the ".s.PGSQL.N" name. A remote host on loopback reached through ssh
/// means the ssh server itself: its ssh_hostname becomes the host. Every
/// reached field is copied, and `via` is set to `forward.program`.
Target reached_target(const Forward& forward, const Target& local);

}  // namespace sentinel
