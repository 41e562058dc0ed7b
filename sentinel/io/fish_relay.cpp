#include "sentinel/io/fish_relay.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/agent/report.hpp"
#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/agent/shell_reply.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/runtime_dir.hpp"

namespace sentinel {
namespace {

void print_reply(const FishAsk& a, const std::string& status, const std::vector<std::string>& fields = {}) {
    std::string line = shell_reply(false, a.seq, status, fields) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
}

int open_writer(const std::string& path) { return ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC); }

// Starts this shell's relay, detached: its own session (a Ctrl-C at the
// prompt does not reach it), no descriptor of ours (fish waits for the end
// of our output, which the relay must not hold).
void spawn_relay(const FishAsk& a) {
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    pid_t pid = ::fork();
    if (pid != 0) return;
    ::setsid();
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
    ::close_range(3, ~0u, 0);
    std::string pid_arg = "--pid=" + std::to_string(a.shell_pid);
    std::string protocol_arg = "--protocol=" + std::to_string(a.protocol);
    char* argv[] = {const_cast<char*>("sentinel"), const_cast<char*>("relay"), const_cast<char*>("--shell=fish"),
                    pid_arg.data(), protocol_arg.data(),
                    const_cast<char*>(a.autostart ? nullptr : "--no-autostart"), nullptr};
    ::execv(exe, argv);
    _exit(127);
}

// Writes all of `data` to the FIFO before `deadline`.
bool write_all(int fd, std::string data, long deadline) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n > 0) {
            data.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
        long left = deadline - monotonic_ms();
        pollfd p = {fd, POLLOUT, 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    }
    return true;
}

// The first line from `fd` that answers `seq`, before `deadline`. Lines for
// earlier prompts (replies that came after their asker gave up) are skipped.
std::optional<std::string> read_reply(int fd, const std::string& seq, long deadline) {
    std::string buf;
    const std::string want = seq + '\x1f';
    for (;;) {
        std::size_t nl;
        while ((nl = buf.find('\n')) != std::string::npos) {
            std::string line = buf.substr(0, nl);
            buf.erase(0, nl + 1);
            if (line.rfind(want, 0) == 0) return line;
        }
        long left = deadline - monotonic_ms();
        pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
        char chunk[4096];
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0) buf.append(chunk, static_cast<std::size_t>(n));
        else if (n < 0 && errno != EAGAIN && errno != EINTR) return std::nullopt;
        if (buf.size() > 65536) buf.clear();
    }
}

}  // namespace

FishChannel fish_channel(const std::string& runtime_dir, long pid) {
    std::string base = runtime_dir + "/fish." + std::to_string(pid);
    return {base + ".in", base + ".out", base + ".lock"};
}

Result<std::optional<FishRelayFds>> open_fish_relay(const FishChannel& ch) {
    auto fail = [](const std::string& path) { return Error{"", 0, 0, "cannot create " + path + ": " + std::strerror(errno)}; };
    FishRelayFds fds;
    fds.lock = ::open(ch.lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fds.lock < 0) return fail(ch.lock);
    if (::flock(fds.lock, LOCK_EX | LOCK_NB) != 0) {
        ::close(fds.lock);
        return std::optional<FishRelayFds>();
    }
    // The reply FIFO first: once an asker can open `in`, `out` exists.
    for (const std::string* path : {&ch.out, &ch.in}) {
        ::unlink(path->c_str());
        if (::mkfifo(path->c_str(), 0600) != 0) {
            Error e = fail(*path);
            close_fish_relay(ch, fds);
            return e;
        }
        int fd = ::open(path->c_str(), O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            Error e = fail(*path);
            close_fish_relay(ch, fds);
            return e;
        }
        (path == &ch.out ? fds.out : fds.in) = fd;
    }
    return std::optional<FishRelayFds>(fds);
}

void close_fish_relay(const FishChannel& ch, const FishRelayFds& fds) {
    ::unlink(ch.in.c_str());
    ::unlink(ch.out.c_str());
    ::unlink(ch.lock.c_str());
    for (int fd : {fds.in, fds.out, fds.lock})
        if (fd >= 0) ::close(fd);
}

int run_fish_ask(const FishAsk& a) {
    if (a.shell_pid <= 0) {
        std::fprintf(stderr, "sentinel: error: relay --prompt and --busy need --pid\n");
        return 64;
    }
    if (a.protocol != kShellProtocolVersion) {
        // This binary cannot speak the shell's version: say which it speaks.
        if (!a.busy) std::printf("HELLO%c%d\n", '\x1f', kShellProtocolVersion);
        return 0;
    }
    Vars vars = environment_vars();
    auto dir = runtime_dir(vars);
    if (!dir) {
        if (!a.busy) print_reply(a, "down", {dir.error().to_string()});
        return 0;
    }
    FishChannel ch = fish_channel(*dir, a.shell_pid);
    long deadline = monotonic_ms() + a.timeout_ms + 50;
    int in = open_writer(ch.in);
    if (in < 0 && a.busy) return 0;
    if (in < 0) {
        // No relay (ENOENT) or a dead one (ENXIO: nobody reads): start one.
        spawn_relay(a);
        while (in < 0 && monotonic_ms() < deadline) {
            ::usleep(2000);
            in = open_writer(ch.in);
        }
        if (in < 0) {
            print_reply(a, "down", {"starting the relay"});
            return 0;
        }
    }
    if (a.busy) {
        write_all(in, encode_frame({"BUSY"}), monotonic_ms() + 100);
        return 0;
    }
    int out = ::open(ch.out.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    char cwd[PATH_MAX];
    std::string request;
    if (::getcwd(cwd, sizeof cwd)) {
        Config config = load_config(vars, PosixFileReader());
        request = encode_frame(report_frame(cwd, vars, reported_names(config)));
        if (request.size() > kMaxFrame) request.clear();
    }
    request += encode_frame({"PROMPT", a.seq, a.gen, std::to_string(a.timeout_ms)});
    std::optional<std::string> reply;
    if (out >= 0 && write_all(in, request, deadline)) reply = read_reply(out, a.seq, deadline);
    if (reply) {
        *reply += "\n";
        std::fwrite(reply->data(), 1, reply->size(), stdout);
    } else {
        print_reply(a, "stale");
    }
    return 0;
}

}  // namespace sentinel
