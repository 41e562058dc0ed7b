#include "sentinel/io/agent_probe.hpp"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>

#include "sentinel/io/clock.hpp"
#include "sentinel/io/capture.hpp"

namespace sentinel {
namespace {

constexpr std::int64_t kIntervalMs = 600'000;  // per route, at most every ten minutes
constexpr std::size_t kMaxRunning = 4;
constexpr std::size_t kMaxRoutes = 1024;       // routes remembered

const std::string& self_exe() {
    static const std::string self = [] {
        char buf[4096];
        ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }();
    return self;
}

}  // namespace

void BackgroundProber::reap() {
    for (auto it = running_.begin(); it != running_.end();) {
        int status;
        if (::waitpid(*it, &status, WNOHANG) != 0) it = running_.erase(it);
        else ++it;
    }
}

void BackgroundProber::want(const Vars& vars, const Evaluation& e) {
    if (e.probe_wishes.empty()) return;
    reap();
    std::int64_t now = monotonic_ms();
    if (started_.size() > kMaxRoutes) started_.clear();
    for (const auto& [key, argv] : e.probe_wishes) {
        if (self_exe().empty() || running_.size() >= kMaxRunning) return;
        auto it = started_.find(key);
        if (it != started_.end() && now - it->second < kIntervalMs) continue;
        started_[key] = now;
        std::vector<std::string> command = {self_exe(), "probe", "--quiet", "--"};
        command.insert(command.end(), argv.begin(), argv.end());
        Vars env;
        for (const char* name : {"HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "SENTINEL_SYSTEM_CONFIG"})
            if (auto v = get(vars, name)) env[name] = *v;
        if (const char* path = ::getenv("PATH")) env["PATH"] = path;
        auto pid = spawn_background(command, env);
        if (pid) running_.insert(*pid);
        log_(pid ? "background probe of a pg target started (pid " + std::to_string(*pid) + ")"
                 : "background probe: " + pid.error().message);
    }
}

}  // namespace sentinel
