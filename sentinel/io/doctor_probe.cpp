#include "sentinel/io/doctor_probe.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/io/terminfo.hpp"
#include "sentinel/io/tmux.hpp"

namespace sentinel {
namespace {

std::string read_link(const std::string& path) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

std::string base_name(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

long parent_of(long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::size_t close = line.rfind(')');  // the name may hold spaces and parentheses
    if (close == std::string::npos || close + 4 > line.size()) return 0;
    return std::strtol(line.c_str() + close + 4, nullptr, 10);
}

// Waits for one frame from `fd` until `deadline`; nullopt on timeout or EOF.
std::optional<Frame> next_frame(int fd, FrameBuffer& in, long deadline, bool& closed) {
    std::string line;
    for (;;) {
        if (in.next(line)) {
            auto f = decode_frame(line);
            if (f) return *f;
            continue;
        }
        long left = deadline - monotonic_ms();
        if (left <= 0 || in.overflowed()) return std::nullopt;
        pollfd p = {fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char buf[16384];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) {
            closed = true;
            return std::nullopt;
        }
        in.feed({buf, static_cast<std::size_t>(n)});
    }
}

std::string lock_pid(const std::string& dir) {
    std::ifstream f(dir + "/agent.lock");
    std::string pid;
    std::getline(f, pid);
    return pid.find_first_not_of("0123456789") == std::string::npos ? pid : "";
}

// Runs argv with stdout captured (at most 64 KiB), stdin and stderr on
// /dev/null, for at most `timeout_ms`. Errors: not started, killed, timed out.
Result<std::string> capture_argv(const std::vector<std::string>& argv, int timeout_ms) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Error{"", 0, 0, std::strerror(errno)};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    auto pid = spawn_clean(argv, actions, true);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (!pid) {
        ::close(pipe_fds[0]);
        return pid.error();
    }
    std::string out;
    long deadline = monotonic_ms() + timeout_ms;
    bool timed_out = false;
    for (;;) {
        long left = deadline - monotonic_ms();
        pollfd p = {pipe_fds[0], POLLIN, 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
            timed_out = true;
            break;
        }
        char buf[4096];
        ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (out.size() < 65536) out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    if (timed_out) ::kill(*pid, SIGKILL);
    int status = 0;
    while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) return Error{"", 0, 0, argv[0] + ": no answer within " + std::to_string(timeout_ms) + " ms"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error{"", 0, 0, argv[0] + " failed"};
    return out;
}

bool is_executable_file(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string canonical(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

// sentinel's wrapper script (contrib/wrappers/psql): a short shell script
// that runs `sentinel guard --tool NAME`.
bool is_sentinel_wrapper(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::string head(4096, '\0');
    f.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(f.gcount()));
    return head.rfind("#!", 0) == 0 && head.find("guard --tool") != std::string::npos &&
           head.find("sentinel") != std::string::npos;
}

}  // namespace

std::pair<long, std::string> nearest_shell() {
    static const std::set<std::string> shells = {"bash", "zsh", "fish", "sh", "dash", "ksh", "mksh", "tcsh"};
    long pid = ::getppid();
    for (int step = 0; step < 16 && pid > 1; ++step) {
        std::string dir = "/proc/" + std::to_string(pid);
        std::string name = base_name(read_link(dir + "/exe"));
        if (name.empty()) {
            std::ifstream comm(dir + "/comm");
            std::getline(comm, name);
        }
        if (!name.empty() && name[0] == '-') name.erase(0, 1);  // a login shell
        if (shells.count(name)) return {pid, name};
        pid = parent_of(pid);
    }
    return {0, ""};
}

AgentFacts probe_agent(const Vars& vars, int timeout_ms, std::vector<long>& pids) {
    AgentFacts f;
    auto autostart = get(vars, "SENTINEL_AUTOSTART");
    f.autostart = !(autostart && *autostart == "0");
    auto dir = runtime_dir(vars);
    if (!dir) {
        f.reach = AgentReach::no_runtime;
        return f;
    }
    f.socket = *dir + "/agent.sock";
    f.pid = lock_pid(*dir);
    int err = 0;
    auto fd = connect_unix(f.socket, &err);
    if (!fd) {
        f.reach = err == ENOENT ? AgentReach::no_socket : err == ECONNREFUSED ? AgentReach::stale : AgentReach::unreachable;
        f.detail = fd.error().message;
        if (f.reach != AgentReach::unreachable) f.pid.clear();  // nobody holds the lock's pid
        return f;
    }
    auto peer = peer_uid(*fd);
    if (!peer || *peer != ::geteuid()) {
        ::close(*fd);
        f.reach = AgentReach::refused;
        f.detail = "the socket belongs to another user";
        return f;
    }
    std::string out = encode_frame({"HELLO", std::to_string(kProtocolVersion), "sentinel-doctor"}) + encode_frame({"LIST"});
    flush_some(*fd, out);
    FrameBuffer in;
    bool closed = false;
    long deadline = monotonic_ms() + timeout_ms;
    auto hello = next_frame(*fd, in, deadline, closed);
    if (!hello) {
        f.reach = closed ? AgentReach::unreachable : AgentReach::silent;
        f.detail = closed ? "connection closed" : "";
    } else if ((*hello)[0] == "ERROR") {
        f.reach = AgentReach::refused;
        f.detail = hello->size() > 2 ? (*hello)[2] : "error";
    } else {
        f.reach = AgentReach::answered;
        std::string name = hello->size() > 2 ? (*hello)[2] : "";
        const std::string prefix = "sentinel-agent ";
        f.agent_version = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : "";
        for (;;) {
            auto frame = next_frame(*fd, in, deadline, closed);
            if (!frame || (*frame)[0] == "END") break;
            if ((*frame)[0] == "SESSION" && frame->size() > 2) pids.push_back(std::strtol((*frame)[2].c_str(), nullptr, 10));
        }
    }
    ::close(*fd);
    return f;
}

TmuxFacts probe_tmux(const Vars& vars, const std::string& tmux_binary, const std::string& plugin_path) {
    TmuxFacts f;
    f.plugin_path = plugin_path;
    auto tmux = get(vars, "TMUX");
    auto pane = get(vars, "TMUX_PANE");
    if (!tmux || tmux->empty() || !pane || pane->empty()) return f;
    f.inside = true;
    f.pane = *pane;
    auto where = tmux_pane_of(*tmux, *pane);
    if (!where) {
        f.error = "$TMUX or $TMUX_PANE is malformed";
        return f;
    }
    auto status = capture_argv({tmux_binary, "-S", where->socket, "show-options", "-gqv", "status-left", ";",
                                "show-options", "-gqv", "status-right"},
                               1000);
    if (!status) {
        f.error = status.error().message;
        return f;
    }
    f.plugin = status->find("@sentinel_") != std::string::npos;
    auto tier = capture_argv({tmux_binary, "-S", where->socket, "show-options", "-pqv", "-t", where->pane, "@sentinel_tier"}, 1000);
    if (tier) {
        f.tier = *tier;
        while (!f.tier.empty() && f.tier.back() == '\n') f.tier.pop_back();
    }
    return f;
}

ToolFacts probe_tool(const std::string& tool, const Vars& vars, bool function, const std::string& wrappers_dir) {
    ToolFacts f;
    f.tool = tool;
    f.function = function;
    f.wrappers_dir = wrappers_dir;
    auto path = get(vars, "PATH");
    std::string list = path ? *path : "/usr/bin:/bin";
    std::string wrapper;
    std::size_t at = 0;
    while (at <= list.size()) {
        std::size_t end = list.find(':', at);
        if (end == std::string::npos) end = list.size();
        std::string dir = list.substr(at, end - at);
        at = end + 1;
        if (dir.empty()) dir = ".";
        std::string candidate = dir + "/" + tool;
        if (!is_executable_file(candidate)) continue;
        if (f.path.empty()) {
            f.path = candidate;
            f.path_is_wrapper = is_sentinel_wrapper(candidate);
            if (!f.path_is_wrapper) break;
            wrapper = canonical(candidate);
            continue;
        }
        if (canonical(candidate) == wrapper || is_sentinel_wrapper(candidate)) continue;
        f.real = candidate;
        break;
    }
    return f;
}

AuditFacts probe_audit(const Vars& vars, bool required) {
    AuditFacts f;
    f.required = required;
    f.path = audit_path(vars);
    if (f.path.empty()) return f;
    std::string existing = f.path;
    int fd = ::open(f.path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != ENOENT) {
        f.error = std::strerror(errno);
        return f;
    } else {
        // Not there yet: the guard creates it (and its directories) in the
        // nearest existing directory above.
        struct stat st;
        do {
            std::size_t slash = existing.rfind('/');
            existing = slash == 0 ? "/" : existing.substr(0, slash);
        } while (existing != "/" && ::stat(existing.c_str(), &st) != 0);
        if (::stat(existing.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
            f.error = existing + " is not a directory";
            return f;
        }
        if (::access(existing.c_str(), W_OK | X_OK) != 0) {
            f.error = existing + ": " + std::strerror(errno);
            return f;
        }
    }
    struct statvfs vfs;
    if (::statvfs(existing.c_str(), &vfs) == 0) {
        if (vfs.f_flag & ST_RDONLY) f.error = "read-only file system";
        else if (vfs.f_bavail == 0) f.error = "no space left on the file system";
    }
    return f;
}

TerminalFacts probe_terminal(const Vars& vars, Placement placement) {
    TerminalFacts f;
    f.placement = placement;
    auto term = get(vars, "TERM");
    f.term = term ? *term : "";
    f.is_tty = ::isatty(0) || ::isatty(1) || ::isatty(2);
    auto entry = read_term_entry(f.term);
    if (!entry) f.entry_error = entry.error().message;
    else f.missing = missing_capabilities(*entry);
    return f;
}

std::string installed_share_dir() {
    std::string exe = canonical(read_link("/proc/self/exe"));
    std::size_t bin = exe.rfind('/');
    std::string prefix = bin == std::string::npos ? "" : exe.substr(0, bin);
    std::size_t up = prefix.rfind('/');
    prefix = up == std::string::npos ? "" : prefix.substr(0, up);
    return prefix + "/share/sentinel";
}

}  // namespace sentinel
