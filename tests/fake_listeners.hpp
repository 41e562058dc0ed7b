#pragma once
// An in-memory ListenerSource for tests: what listens on each port or
// socket path, and what `ssh -G` prints.

#include <map>
#include <string>
#include <vector>

#include "sentinel/core/reach/listener.hpp"

namespace sentinel::test {

/// `on(port, listener)` makes a TCP port answer with that listener (several
/// calls: several listeners); `on_path(path, listener)` a Unix socket;
/// `fail(reason)` makes every lookup fail; `ssh(output)` is what `ssh -G`
/// prints. Every other endpoint has nothing listening.
class FakeListeners : public ListenerSource {
public:
    FakeListeners& on(int port, Listener l) {
        if (!l.port) l.port = port;
        if (l.listen.empty()) l.listen = "127.0.0.1:" + std::to_string(port);
        tcp_[port].push_back(std::move(l));
        return *this;
    }
    FakeListeners& on_path(const std::string& path, Listener l) {
        if (l.listen.empty()) l.listen = path;
        unix_[path].push_back(std::move(l));
        return *this;
    }
    FakeListeners& fail(std::string reason) {
        error_ = std::move(reason);
        return *this;
    }
    FakeListeners& ssh(std::string output, bool ok = true) {
        ssh_output_ = std::move(output);
        ssh_ok_ = ok;
        return *this;
    }
    Lookup lookup(const Endpoint& e) const override {
        ++lookups;
        Lookup out;
        out.error = error_;
        if (!error_.empty()) return out;
        if (e.type == Endpoint::Type::unix_socket) {
            if (auto it = unix_.find(e.path); it != unix_.end()) out.listeners = it->second;
        } else if (auto it = tcp_.find(e.port); it != tcp_.end()) {
            out.listeners = it->second;
        }
        return out;
    }
    Result<std::string> ssh_config(const std::vector<std::string>& args, const std::string& cwd,
                                   const std::string&) const override {
        ssh_args = args;
        ssh_cwd = cwd;
        if (!ssh_ok_) return Error{"", 0, 0, "ssh: not found"};
        return ssh_output_;
    }

    mutable int lookups = 0;
    mutable std::vector<std::string> ssh_args;
    mutable std::string ssh_cwd;

private:
    std::map<int, std::vector<Listener>> tcp_;
    std::map<std::string, std::vector<Listener>> unix_;
    std::string error_;
    std::string ssh_output_;
    bool ssh_ok_ = true;
};

/// A listener whose process was seen with `argv` (pid, inode, uid given).
inline Listener process(std::vector<std::string> argv, long pid = 4242, std::uint64_t inode = 777, long uid = 1000) {
    Listener l;
    l.seen = Listener::Seen::process;
    l.argv = std::move(argv);
    l.pid = pid;
    l.inode = inode;
    l.uid = uid;
    l.start_time = 99;
    l.env_known = true;
    l.cwd = "/home/u";
    return l;
}

}  // namespace sentinel::test
