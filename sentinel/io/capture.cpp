#include "sentinel/io/capture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sentinel/io/clock.hpp"
#include "sentinel/io/tmux.hpp"

namespace sentinel {
namespace {

bool is_directory(const std::string& path) {
    struct stat st;
    return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Result<Captured> run_capture(const std::vector<std::string>& argv, const std::string& cwd, int timeout_ms,
                             std::size_t max_bytes) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return Error{"", 0, 0, std::string("pipe: ") + std::strerror(errno)};
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]), ::close(out[1]);
        return Error{"", 0, 0, std::string("pipe: ") + std::strerror(errno)};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    if (is_directory(cwd)) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    auto spawned = spawn_clean(argv, actions, true);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (!spawned) {
        ::close(out[0]), ::close(err[0]);
        return spawned.error();
    }
    pid_t pid = *spawned;
    Captured c;
    bool too_much = false, timed_out = false;
    long long deadline = monotonic_ms() + timeout_ms;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open = 2;
    while (open > 0) {
        long long left = deadline - monotonic_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        int n = ::poll(fds, 2, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            char buf[8192];
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
                continue;
            }
            std::string& into = i == 0 ? c.out : c.err;
            std::size_t limit = i == 0 ? max_bytes + 1 : 4096;
            std::size_t room = limit - std::min(limit, into.size());
            into.append(buf, std::min(static_cast<std::size_t>(got), room));
            if (i == 0 && c.out.size() > max_bytes) too_much = true;
        }
        if (too_much) break;
    }
    for (pollfd& p : fds)
        if (p.fd >= 0) ::close(p.fd);
    if (timed_out || too_much) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) return Error{"", 0, 0, argv[0] + ": no answer within " + std::to_string(timeout_ms) + " ms"};
    if (too_much) return Error{"", 0, 0, argv[0] + ": printed more than " + std::to_string(max_bytes) + " bytes"};
    if (!WIFEXITED(status)) return Error{"", 0, 0, argv[0] + ": killed by a signal"};
    c.exit_code = WEXITSTATUS(status);
    return c;
}

Result<pid_t> spawn_background(const std::vector<std::string>& argv, const Vars& env) {
    if (argv.empty()) return Error{"", 0, 0, "nothing to run"};
    std::vector<std::string> strings;
    for (const auto& [k, v] : env) strings.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (std::string& s : strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int fd = 0; fd <= 2; ++fd)
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return Error{"", 0, 0, argv[0] + ": " + std::strerror(rc)};
    return pid;
}

}  // namespace sentinel
