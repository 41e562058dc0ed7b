// `sentinel agent`: the per-user resident process. Takes the lock, listens
// on the socket, detaches (unless --foreground) and serves (io/agent.hpp).

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/agent.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

int run_agent_command(const Invocation& inv);

constexpr OptionSpec kAgentOptions[] = {
    {.name = "foreground", .value = "", .help = "stay in the foreground (for systemd); log to stderr unless --log-file"},
    {.name = "log-file", .value = "PATH", .help = "append the log to PATH (no secret is ever logged)"},
    {.name = "idle-exit", .value = "SECONDS",
     .help = "exit after SECONDS with no client connected (default 60; 0: never). Shells start it again"},
    {.name = "help", .value = "", .help = "print this help"},
};

int error(const std::string& text) {
    std::fprintf(stderr, "sentinel: error: %s\n", sanitize(text).c_str());
    return kExitConfig;
}

// Reads the pid the running agent wrote into the lock file.
std::string lock_owner(int fd) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

void write_pid(int fd) {
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
}

int run_agent_command(const Invocation& inv) {
    int idle_exit = 60;
    if (auto it = inv.options.find("idle-exit"); it != inv.options.end()) {
        char* end = nullptr;
        long v = std::strtol(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end || v < 0 || v > 86400 * 365) {
            std::fprintf(stderr, "sentinel: error: --idle-exit takes a number of seconds\n");
            return kExitUsage;
        }
        idle_exit = static_cast<int>(v);
    }
    bool foreground = inv.has("foreground");
    // Descriptors inherited from whoever started us (a shell's pipes) must
    // not be kept open for the agent's lifetime.
    ::close_range(3, ~0u, 0);

    Vars vars = environment_vars();
    auto dir = runtime_dir(vars);
    if (!dir) return error(dir.error().to_string());
    std::string socket_path = *dir + "/agent.sock";

    std::string lock_path = *dir + "/agent.lock";
    int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock < 0) return error(lock_path + ": " + std::strerror(errno));
    if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) return error(lock_path + ": " + std::strerror(errno));
        std::fprintf(stderr, "sentinel: agent already running (pid %s)\n", lock_owner(lock).c_str());
        return kExitOk;
    }

    std::FILE* log = nullptr;
    if (auto it = inv.options.find("log-file"); it != inv.options.end()) {
        int fd = ::open(it->second.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) return error(it->second + ": " + std::strerror(errno));
        log = ::fdopen(fd, "a");
    } else if (foreground) {
        log = stderr;
    }

    // Holding the lock: whatever socket is there is stale and is replaced.
    auto listen_fd = listen_unix(socket_path);
    if (!listen_fd) return error(listen_fd.error().to_string());

    if (!foreground) {
        pid_t child = ::fork();
        if (child < 0) return error(std::string("fork: ") + std::strerror(errno));
        if (child > 0) _exit(kExitOk);  // the socket already listens; the lock passes to the child
        ::setsid();
        int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, STDIN_FILENO);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            if (null > STDERR_FILENO) ::close(null);
        }
    }
    if (::chdir("/") != 0) {
        // Not fatal: only keeps a directory busy.
    }
    write_pid(lock);
    AgentOptions options{.socket_path = socket_path, .idle_exit_seconds = idle_exit, .log = log};
    int rc = run_agent(options, *listen_fd);
    ::ftruncate(lock, 0);
    ::close(lock);
    return rc;
}

}  // namespace

const CommandSpec kAgentCommand = {
    .name = "agent",
    .synopsis = "agent [--foreground] [--log-file=PATH] [--idle-exit=SECONDS]",
    .summary = "run the per-user agent",
    .help = "Run the per-user agent: it keeps, for every interactive shell, the snapshot of\n"
            "what the shell would act on, watches the files it depends on (inotify) and\n"
            "answers prompts without a process per prompt. One per user: when one runs,\n"
            "this prints its pid and exits 0. Socket: $XDG_RUNTIME_DIR/sentinel/agent.sock\n"
            "(or ${TMPDIR:-/tmp}/sentinel-UID/agent.sock), a directory of mode 0700.\n"
            "Detaches unless --foreground; exits on SIGTERM, or after --idle-exit seconds\n"
            "without any client. Shells started with `sentinel init` start it when needed.",
    .options = kAgentOptions,
    .run = run_agent_command,
};

}  // namespace sentinel
