#pragma once
// The ListenerSource of the binary (core/reach/listener.hpp): the kernel's
// listening sockets (io/sock_diag.hpp), the process holding each one found
// in /proc (io/proc_scan.hpp), and `ssh -G` for ssh forwarders. What was
// found is kept per socket and checked with one readlink(2), so that an
// unchanged listener costs a netlink dump and little else.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/reach/listener.hpp"
#include "sentinel/io/proc_scan.hpp"
#include "sentinel/io/sock_diag.hpp"

namespace sentinel {

/// Where one-shot commands keep the sockets they met searching /proc:
/// `sockets` in the kubeconfig cache directory (kube_cache_dir); "" when
/// there is none.
std::string socket_cache_path(const Vars& vars);

/// A string that changes when what listens at an endpoint changes: the
/// identities of the listeners (inode, pid, start time), "none" when
/// nothing listens, or the error.
std::string lookup_fingerprint(const Lookup& lookup);

/// The real kernel and /proc. Not thread-safe; one per process (the agent
/// keeps one for its lifetime).
class SystemListeners : public ListenerSource {
public:
    /// `socket_cache`: a file where the sockets met while searching /proc
    /// are kept between runs ("inode pid fd" lines), so that a one-shot
    /// command (`status`, the guard) searches /proc for an old forwarder
    /// once, not every time; every entry is checked with readlink(2) before
    /// use, so a stale or forged line costs nothing but a miss. "" keeps
    /// them in memory only.
    explicit SystemListeners(std::string socket_cache = "") : socket_cache_(std::move(socket_cache)) {}

    Lookup lookup(const Endpoint& endpoint) const override;
    Result<std::string> ssh_config(const std::vector<std::string>& args, const std::string& cwd,
                                   const std::string& listener) const override;

    /// True when `endpoint` still has the listeners `fingerprint`
    /// (lookup_fingerprint of an earlier lookup) names. For listeners whose
    /// process was seen this costs one readlink(2) each, no netlink dump:
    /// while the same process holds the same listening socket, Linux lets no
    /// other socket bind that address and port (EADDRINUSE), except a
    /// member of its SO_REUSEPORT group, which must belong to the same user.
    /// "none", errors and listeners that could not be seen are looked up
    /// again.
    bool still_same(const Endpoint& endpoint, const std::string& fingerprint) const;

    /// Number of /proc searches for a socket's holder so far (benchmarks, tests).
    std::size_t searches() const { return searches_; }

private:
    Listener describe(const SocketEntry& entry) const;
    void load_socket_cache() const;
    void save_socket_cache() const;

    struct Known {
        SocketHolder holder;  // pid 0: a hidden or orphan listener
        Listener listener;
    };
    mutable SockDiag diag_;
    mutable std::map<std::uint64_t, Known> known_;                       // by socket inode
    mutable std::set<long> searched_;                                    // pids whose descriptors were read
    mutable SocketIndex index_;                                          // every socket seen while searching
    std::string socket_cache_;
    mutable bool cache_loaded_ = false;
    mutable std::map<std::string, std::pair<bool, std::string>> ssh_;    // by listener identity: ok, output or error
    mutable std::size_t searches_ = 0;
};

/// A ListenerSource that asks another and records each endpoint looked up
/// with lookup_fingerprint() of the answer: what an evaluation depends on,
/// to be checked again later (io/agent_cache.hpp).
class RecordingListeners : public ListenerSource {
public:
    RecordingListeners(const ListenerSource& real, std::vector<std::pair<Endpoint, std::string>>& seen)
        : real_(real), seen_(seen) {}
    Lookup lookup(const Endpoint& endpoint) const override {
        Lookup l = real_.lookup(endpoint);
        seen_.emplace_back(endpoint, lookup_fingerprint(l));
        return l;
    }
    Result<std::string> ssh_config(const std::vector<std::string>& args, const std::string& cwd,
                                   const std::string& listener) const override {
        return real_.ssh_config(args, cwd, listener);
    }

private:
    const ListenerSource& real_;
    std::vector<std::pair<Endpoint, std::string>>& seen_;
};

}  // namespace sentinel
