#include "sentinel/io/tmux.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "sentinel/core/vars.hpp"

extern char** environ;

namespace sentinel {

std::optional<TmuxPane> tmux_pane_of(const std::string& tmux, const std::string& tmux_pane) {
    if (tmux.empty() || tmux_pane.size() < 2 || tmux_pane[0] != '%' ||
        tmux_pane.find_first_not_of("0123456789", 1) != std::string::npos)
        return std::nullopt;
    std::size_t last = tmux.rfind(',');
    if (last == std::string::npos || last == 0) return std::nullopt;
    std::size_t second = tmux.rfind(',', last - 1);
    if (second == std::string::npos || second == 0) return std::nullopt;
    std::string socket = tmux.substr(0, second);
    if (socket[0] != '/') return std::nullopt;
    std::string index = tmux.substr(last + 1);
    bool number = !index.empty() && index.find_first_not_of("0123456789") == std::string::npos;
    return TmuxPane{socket, tmux_pane, number ? "$" + index : ""};
}

std::vector<std::string> tmux_set_argv(const std::string& tmux_binary, const TmuxPane& pane,
                                       const std::vector<TmuxOption>& options) {
    std::vector<std::string> argv = {tmux_binary, "-S", pane.socket};
    bool first = true;
    for (const TmuxOption& o : options) {
        if (!first) argv.push_back(";");
        first = false;
        if (o.unset) {
            argv.insert(argv.end(), {"set-option", "-p", "-q", "-u", "-t", pane.pane, o.name});
        } else {
            argv.insert(argv.end(), {"set-option", "-p", "-q", "-t", pane.pane, o.name, tmux_argv_value(o.value)});
        }
    }
    return argv;
}

Result<pid_t> spawn_clean(const std::vector<std::string>& argv, const posix_spawn_file_actions_t& actions,
                          bool own_group) {
    if (argv.empty()) return Error{"", 0, 0, "nothing to run"};
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (own_group) {
        posix_spawnattr_setpgroup(&attr, 0);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attr, flags);
    pid_t pid = 0;
    int rc;
    {
        // The PATH search and the child's environment read `environ`.
        std::lock_guard<std::mutex> lock(environ_mutex());
        rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
    }
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return Error{"", 0, 0, argv[0] + ": " + std::strerror(rc)};
    return pid;
}

Result<int> run_argv(const std::vector<std::string>& argv, int timeout_ms) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int fd = 0; fd <= 2; ++fd)
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    auto spawned = spawn_clean(argv, actions, false);
    posix_spawn_file_actions_destroy(&actions);
    if (!spawned) return spawned.error();
    pid_t pid = *spawned;

    struct timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status = 0;
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            return Error{"", 0, 0, argv[0] + ": killed by a signal"};
        }
        if (done < 0 && errno != EINTR) return Error{"", 0, 0, argv[0] + ": " + std::strerror(errno)};
        struct timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return Error{"", 0, 0, argv[0] + ": no answer within " + std::to_string(timeout_ms) + " ms"};
        }
        // A short sleep between checks while the child runs (a few ms): the
        // caller has no child-exit descriptor to poll.
        struct timespec nap{0, 200000};
        nanosleep(&nap, nullptr);
    }
}

Result<bool> push_tmux_options(const TmuxPane& pane, const std::vector<TmuxOption>& options,
                               const std::string& tmux_binary) {
    auto rc = run_argv(tmux_set_argv(tmux_binary, pane, options));
    if (!rc) return Error{"", 0, 0, "tmux pane " + pane.pane + ": " + rc.error().message};
    if (*rc != 0) return Error{"", 0, 0, "tmux pane " + pane.pane + ": tmux exited with " + std::to_string(*rc)};
    return true;
}

}  // namespace sentinel
