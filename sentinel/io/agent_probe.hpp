#pragma once
// The agent's background probes (`probe_background = true`): a detached
// `sentinel probe --quiet` per route the guard would probe and whose answer
// is not remembered. Nothing waits for one: its answer lands in the probe
// cache, which evaluations read and inotify watches, and the sessions are
// repainted from there.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "sentinel/io/agent_cache.hpp"

namespace sentinel {

/// Starts and reaps background probes, at most once per route every ten
/// minutes and four at a time.
class BackgroundProber {
public:
    /// `log` receives one line per probe started or failed to start.
    explicit BackgroundProber(std::function<void(const std::string&)> log) : log_(std::move(log)) {}

    /// Starts a probe for each of `e.probe_wishes` not asked recently, with
    /// the session's HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME and
    /// SENTINEL_SYSTEM_CONFIG (`vars`) and the agent's PATH.
    void want(const Vars& vars, const Evaluation& e);

    /// Reaps the probes that ended (waitpid WNOHANG).
    void reap();

private:
    std::function<void(const std::string&)> log_;
    std::map<std::string, std::int64_t> started_;  // by route (probe_key): monotonic ms
    std::set<pid_t> running_;
};

}  // namespace sentinel
