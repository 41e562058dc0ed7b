#include "sentinel/io/tmux_control.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace sentinel {
namespace {

// Reads and drops whatever the client has sent; false at end of file.
bool drain(int fd) {
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) continue;
        if (n == 0) return false;
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
}

}  // namespace

Result<std::unique_ptr<TmuxControl>> TmuxControl::start(const std::string& tmux_binary, const TmuxPane& pane) {
    if (pane.session.empty()) return Error{"", 0, 0, "tmux pane " + pane.pane + ": no session id in $TMUX"};
    int sv[2];
    // A socketpair, not pipes: send(MSG_NOSIGNAL) cannot raise SIGPIPE in the caller.
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return Error{"", 0, 0, std::strerror(errno)};
    std::vector<std::string> argv = {tmux_binary, "-S", pane.socket, "-C", "attach-session",
                                     "-f", "ignore-size,no-output", "-t", pane.session};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    // Its own process group: a Ctrl-C in the terminal does not reach it.
    auto spawned = spawn_clean(argv, actions, true);
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    if (!spawned) {
        ::close(sv[0]);
        return spawned.error();
    }
    pid_t pid = *spawned;
    // Never block the caller (the agent's loop): a client that stops reading
    // makes send() fail with EAGAIN, and the caller starts another one.
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    return std::unique_ptr<TmuxControl>(new TmuxControl(pid, sv[0]));
}

TmuxControl::~TmuxControl() {
    ::shutdown(fd_, SHUT_WR);  // end of input: the control client detaches and exits
    ::close(fd_);
    for (int i = 0; i < 100; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) != 0) return;
        usleep(1000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
}

Result<bool> TmuxControl::set(const TmuxPane& pane, const std::vector<TmuxOption>& options) {
    if (!drain(fd_)) return Error{"", 0, 0, "tmux pane " + pane.pane + ": the control client has gone"};
    std::string commands = tmux_set_commands(pane.pane, options);
    std::size_t done = 0;
    while (done < commands.size()) {
        ssize_t n = ::send(fd_, commands.data() + done, commands.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Error{"", 0, 0, "tmux pane " + pane.pane + ": the control client has gone"};
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace sentinel
