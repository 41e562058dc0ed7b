#include "sentinel/io/agent_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/socket.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kMaxClients = 1024;
constexpr std::size_t kMaxWaitingHello = 64;   // clients that connected and said nothing yet
// Descriptors kept free for everything but clients: inotify, signalfd,
// timerfd, tmux control clients, files being read, a parser's pipe.
constexpr std::size_t kSpareFds = 64;
// A client without a session or subscription, quiet this long, may be
// dropped to make room for a new one.
constexpr std::int64_t kIdleMs = 2000;
constexpr std::size_t kMaxOutput = 1u << 20;    // a subscriber that does not read is dropped

// Clients the agent serves at most: each may hold a descriptor for its
// socket and one for its terminal (the status line), within RLIMIT_NOFILE.
std::size_t max_clients() {
    rlimit nofile{};
    std::size_t fds = ::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY
                          ? static_cast<std::size_t>(nofile.rlim_cur)
                          : 65536;
    return std::clamp<std::size_t>(fds > kSpareFds ? (fds - kSpareFds) / 2 : 0, 8, kMaxClients);
}

}  // namespace

AgentServer::AgentServer(const AgentOptions& options, int listen_fd)
    : opt_(options), listen_fd_(listen_fd), max_clients_(max_clients()) {
    std::random_device rd;
    instance_ = std::to_string(::getpid()) + "-" + std::to_string(rd() % 100000);
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void AgentServer::log(const std::string& text) {
    if (!opt_.log) return;
    char stamp[32];
    time_t now = ::time(nullptr);
    struct tm tm;
    ::localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    std::fprintf(opt_.log, "%s sentinel agent[%d]: %s\n", stamp, ::getpid(), sanitize(text).c_str());
    std::fflush(opt_.log);
}

void AgentServer::send(AgentClient& c, const Frame& frame) {
    if (c.closing) return;
    // Long names are shortened to fit; the full values stay here.
    Frame f = frame;
    if (!fit_frame(f)) {
        log("dropping a client: an answer does not fit in a frame");
        c.closing = true;
        return;
    }
    c.out += encode_frame(f);
    if (c.out.size() > kMaxOutput) {
        log("dropping a client that does not read its messages");
        c.out.clear();
        c.closing = true;
    }
}

void AgentServer::fail(AgentClient& c, const std::string& code, const std::string& text) {
    send(c, {"ERROR", code, text});
    c.closing = true;
}

void AgentServer::broadcast(const Frame& f) {
    for (auto& [fd, c] : clients_)
        if (c.subscriber) send(c, f);
}

// Tells a connection why it is not served, and closes it. Logged for the
// first refusal and every 1,000th, so that a flood cannot fill the log.
void AgentServer::refuse(int fd, const std::string& why) {
    std::string frame = encode_frame({"ERROR", "limit", why});
    (void)!::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    if (++refused_ == 1 || refused_ % 1000 == 0)
        log("refused a connection: " + why + " (" + std::to_string(refused_) + " so far)");
}

// At max_clients_: drops the client idle the longest among those holding
// no session and no subscription (silent since they connected, or quiet
// since their last frame) for kIdleMs. False when there is none.
bool AgentServer::make_room(std::int64_t now) {
    int victim = -1;
    std::int64_t oldest = now - kIdleMs;
    for (auto& [fd, c] : clients_) {
        if (c.session || c.subscriber || c.closing) continue;
        std::int64_t seen = c.hello ? c.last_seen : c.since;
        if (seen <= oldest) {
            oldest = seen;
            victim = fd;
        }
    }
    if (victim < 0) return false;
    drop(victim);
    return true;
}

void AgentServer::accept_clients() {
    for (;;) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if ((errno == EMFILE || errno == ENFILE) && reserve_fd_ >= 0) {
                // Out of descriptors: the one kept for this takes the
                // connection off the queue, or poll would report it again
                // and again (100 % CPU, nobody served).
                ::close(reserve_fd_);
                int victim = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (victim >= 0) refuse(victim, "out of file descriptors");
                reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (victim >= 0) continue;
            }
            return;
        }
        auto uid = peer_uid(fd);
        if (!uid || *uid != ::getuid()) {
            std::string refusal = encode_frame({"ERROR", "peer", "connection refused: another user"});
            (void)!::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            log("refused a connection from uid " + (uid ? std::to_string(*uid) : std::string("unknown")));
            continue;
        }
        // A client that connects and says nothing costs a descriptor only;
        // past kMaxWaitingHello of them, those silent for 2 s are dropped
        // (measured when a connection arrives: no timer).
        std::int64_t now = monotonic_ms();
        std::size_t waiting = 0;
        for (auto& [cfd, c] : clients_) waiting += !c.hello;
        if (waiting >= kMaxWaitingHello) {
            std::vector<int> stale;
            for (auto& [cfd, c] : clients_)
                if (!c.hello && now - c.since > kIdleMs) stale.push_back(cfd);
            for (int cfd : stale) drop(cfd);
        }
        if (clients_.size() >= max_clients_ && !make_room(now)) {
            refuse(fd, "too many connections (" + std::to_string(max_clients_) + ")");
            continue;
        }
        AgentClient& c = clients_[fd];
        c.fd = fd;
        c.serial = next_serial_++;
        c.since = now;
        c.last_seen = now;
        arm_idle_timer(false);
    }
}

void AgentServer::read_client(AgentClient& c) {
    char buf[16384];
    for (;;) {
        ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) {
            c.closing = true;
            c.out.clear();
            return;
        }
        c.in.feed({buf, static_cast<std::size_t>(n)});
        std::string line;
        while (!c.closing && c.in.next(line)) {
            c.last_seen = monotonic_ms();
            auto frame = decode_frame(line);
            if (!frame) {
                fail(c, "frame", frame.error().message);
                break;
            }
            // The core reports errors as values; anything thrown (a library
            // exception, an allocation failure) costs this client, not the agent.
            try {
                handle(c, *frame);
            } catch (const std::exception& e) {
                log(std::string("error while handling a frame: ") + e.what());
                fail(c, "internal", "internal error");
            }
        }
        if (c.in.overflowed()) {
            fail(c, "frame", "frame longer than " + std::to_string(kMaxFrame) + " bytes");
            log("dropped a client that sent an oversized frame");
        }
        if (c.closing) return;
        if (static_cast<std::size_t>(n) < sizeof buf) return;  // drained; poll reports what comes later
    }
}

void AgentServer::update_watches() {
    std::set<EvalKey> in_use;
    for (auto& [id, s] : sessions_)
        if (s.reported) in_use.insert(EvalKey{s.vars, s.cwd});
    cache_.retain(in_use);
    watcher_.watch(cache_.files());
}

void AgentServer::on_files_changed(const std::set<std::string>& paths) {
    if (!cache_.invalidate(paths)) return;
    std::size_t changed = 0, waiting = 0;
    for (auto& [id, s] : sessions_) {
        SessionLive& live = live_[id];
        if (!s.reported || !live.eval || !std::any_of(live.eval->files.begin(), live.eval->files.end(),
                                                       [&](const auto& f) { return paths.count(f.first) > 0; }))
            continue;
        // Evaluated again on the worker; until then its relay asks here
        // (AHEAD with `ask`) and a prompt waits for the result or shows stale.
        if (request_evaluation(s)) {
            ++changed;
            show(s, Moment::change);
            publish(s);
        } else {
            ++waiting;
        }
        push_ahead(s);
    }
    update_watches();
    log(std::to_string(paths.size()) + " file(s) changed; " + std::to_string(changed) + " session(s) changed, " +
        std::to_string(waiting) + " being evaluated");
}

void AgentServer::drop(int fd) {
    auto it = clients_.find(fd);
    if (it == clients_.end()) return;
    if (it->second.session) {
        std::uint64_t id = it->second.session;
        if (auto d = displays_.find(id); d != displays_.end()) {
            d->second->on_exit();
            displays_.erase(d);
        }
        sessions_.erase(id);
        live_.erase(id);
        log("session " + std::to_string(id) + " gone");
        clients_.erase(it);
        ::close(fd);
        broadcast({"GONE", std::to_string(id)});
        update_watches();
    } else {
        clients_.erase(it);
        ::close(fd);
    }
    if (clients_.empty()) arm_idle_timer(true);
}

void AgentServer::arm_idle_timer(bool on) {
    if (timer_fd_ < 0 || opt_.idle_exit_seconds <= 0 || on == timer_armed_) return;
    itimerspec spec{};
    if (on) spec.it_value.tv_sec = opt_.idle_exit_seconds;
    ::timerfd_settime(timer_fd_, 0, &spec, nullptr);
    timer_armed_ = on;
}

int AgentServer::run() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    signal_fd_ = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    arm_idle_timer(true);
    log("listening on " + opt_.socket_path);
    std::vector<pollfd> fds;
    while (!stop_) {
        fds.clear();
        fds.push_back({listen_fd_, POLLIN, 0});
        fds.push_back({signal_fd_, POLLIN, 0});
        fds.push_back({watcher_.fd(), POLLIN, 0});
        fds.push_back({timer_fd_, POLLIN, 0});
        fds.push_back({worker_.fd(), POLLIN, 0});
        for (auto& [fd, c] : clients_)
            fds.push_back({fd, static_cast<short>((c.closing ? 0 : POLLIN) | (c.out.empty() ? 0 : POLLOUT)), 0});
        int n = ::poll(fds.data(), fds.size(), -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            log(std::string("poll: ") + std::strerror(errno));
            break;
        }
        if (fds[1].revents) {
            signalfd_siginfo si;
            while (::read(signal_fd_, &si, sizeof si) == sizeof si) {
                log("signal " + std::to_string(si.ssi_signo) + ": exiting");
                stop_ = true;
            }
        }
        if (fds[3].revents) {
            std::uint64_t ticks;
            (void)!::read(timer_fd_, &ticks, sizeof ticks);
            timer_armed_ = false;
            if (clients_.empty()) {
                log("no client for " + std::to_string(opt_.idle_exit_seconds) + " s: exiting");
                stop_ = true;
            }
        }
        if (fds[2].revents) {
            auto changed = watcher_.read_changes();
            try {
                if (!changed.empty()) on_files_changed(changed);
            } catch (const std::exception& e) {
                log(std::string("error while re-evaluating: ") + e.what());
            }
        }
        if (fds[4].revents) {
            try {
                take_results();
            } catch (const std::exception& e) {
                log(std::string("error while applying an evaluation: ") + e.what());
            }
        }
        for (std::size_t i = 5; i < fds.size(); ++i) {
            auto it = clients_.find(fds[i].fd);
            if (it == clients_.end() || !fds[i].revents) continue;
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) read_client(it->second);
        }
        if (fds[0].revents) accept_clients();
        std::vector<int> done;
        for (auto& [fd, c] : clients_) {
            if (!c.out.empty() && !flush_some(fd, c.out)) c.out.clear(), c.closing = true;
            if (c.closing && c.out.empty()) done.push_back(fd);
        }
        for (int fd : done) drop(fd);
        prober_.reap();
    }
    if (reserve_fd_ >= 0) ::close(reserve_fd_);
    // Remove the socket only while it is still ours (we hold the lock, so it is).
    ::unlink(opt_.socket_path.c_str());
    ::close(listen_fd_);
    for (auto& [fd, c] : clients_) ::close(fd);
    clients_.clear();
    log("stopped");
    return 0;
}

int run_agent(const AgentOptions& options, int listen_fd) {
    AgentServer agent(options, listen_fd);
    return agent.run();
}

}  // namespace sentinel
