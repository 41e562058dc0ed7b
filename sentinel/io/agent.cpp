#include "sentinel/io/agent.hpp"

#include <poll.h>
#include <signal.h>
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

#include "sentinel/core/guard/describe.hpp"
#include "sentinel/io/agent_cache.hpp"
#include "sentinel/io/bar_session.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"
#include "sentinel/io/inotify.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/display/prompt.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kMaxClients = 1024;
constexpr std::size_t kMaxWaitingHello = 64;   // clients that connected and said nothing yet
constexpr std::size_t kMaxOutput = 1u << 20;    // a subscriber that does not read is dropped

std::int64_t monotonic_ms() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

struct Client {
    int fd = -1;
    FrameBuffer in;
    std::string out;
    bool hello = false;
    bool closing = false;  // flush `out`, then close
    bool subscriber = false;
    std::uint64_t session = 0;
    std::int64_t since = 0;  // when it connected (monotonic ms), to drop silent clients
};

class Agent {
public:
    Agent(const AgentOptions& options, int listen_fd) : opt_(options), listen_fd_(listen_fd) {
        std::random_device rd;
        instance_ = std::to_string(::getpid()) + "-" + std::to_string(rd() % 100000);
    }

    int run();

private:
    void log(const std::string& text) {
        if (!opt_.log) return;
        char stamp[32];
        time_t now = ::time(nullptr);
        struct tm tm;
        ::localtime_r(&now, &tm);
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        std::fprintf(opt_.log, "%s sentinel agent[%d]: %s\n", stamp, ::getpid(), sanitize(text).c_str());
        std::fflush(opt_.log);
    }

    void accept_clients();
    void read_client(Client& c);
    void handle(Client& c, const Frame& f);
    void send(Client& c, const Frame& f) {
        if (c.closing) return;
        c.out += encode_frame(f);
        if (c.out.size() > kMaxOutput) {
            log("dropping a client that does not read its messages");
            c.out.clear();
            c.closing = true;
        }
    }
    void fail(Client& c, const std::string& code, const std::string& text) {
        send(c, {"ERROR", code, text});
        c.closing = true;
    }
    void drop(int fd);
    void evaluate_session(Session& s);
    std::pair<std::string, Tier> verdict(const std::string& cwd, const std::vector<std::string>& command,
                                                const Vars& vars, const std::string& asker);
    // The display sinks (issue 4): the reserved status line on the session's
    // terminal, the OSC tint and its tmux pane options. `prompt`: the shell
    // is about to draw its prompt (reserve and paint); else a change.
    void show(Session& s, bool prompt);
    void on_files_changed(const std::set<std::string>& paths);
    void broadcast(const Frame& f) {
        for (auto& [fd, c] : clients_)
            if (c.subscriber) send(c, f);
    }
    void publish(const Session& s) { broadcast(session_frame(instance_, s)); }
    void update_watches();
    void arm_idle_timer(bool on);

    AgentOptions opt_;
    int listen_fd_;
    int signal_fd_ = -1;
    int timer_fd_ = -1;
    bool timer_armed_ = false;
    std::string instance_;
    std::map<int, Client> clients_;
    std::map<std::uint64_t, Session> sessions_;
    std::uint64_t next_session_ = 1;
    EvalCache cache_;
    FileWatcher watcher_;
    TmuxControlPool tmux_;  // one control client per tmux server, before the displays that use it
    std::map<std::uint64_t, std::unique_ptr<SessionDisplay>> displays_;
    bool stop_ = false;
};

void Agent::accept_clients() {
    for (;;) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
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
        if (clients_.size() >= kMaxClients) {
            ::close(fd);
            log("refused a connection: too many clients");
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
                if (!c.hello && now - c.since > 2000) stale.push_back(cfd);
            for (int cfd : stale) drop(cfd);
        }
        Client& c = clients_[fd];
        c.fd = fd;
        c.since = now;
        arm_idle_timer(false);
    }
}

void Agent::read_client(Client& c) {
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

void Agent::evaluate_session(Session& s) {
    const Evaluation& e = cache_.get(s.vars, s.cwd);
    s.names = e.names;
    apply_view(s, e.view);
}

// EVAL and GUARD: whether the guard would run `command` without a question,
// evaluated here where libpq is loaded and kubeconfigs are cached. Relative
// paths in the variables and the command are the caller's: the agent works
// in `cwd` for the call. Returns {"run" or "ask", tier}.
std::pair<std::string, Tier> Agent::verdict(const std::string& cwd, const std::vector<std::string>& command,
                                                   const Vars& vars, const std::string& asker) {
    if (command.empty() || cwd.empty() || cwd[0] != '/' || ::chdir(cwd.c_str()) != 0) return {"ask", Tier::unknown()};
    PosixFileReader files;
    CachingKubeconfigLoader kubeconfigs(files, kube_cache_dir(vars));
    Snapshot s = evaluate(vars, files, command, &kubeconfigs, cwd);
    if (::chdir("/") != 0) log("chdir /: " + std::string(std::strerror(errno)));
    // A dotenv value expanding a variable this agent was not told about may
    // mean something else in the caller's environment: it decides itself.
    bool complete = std::all_of(s.referenced.begin(), s.referenced.end(),
                                [&](const std::string& name) { return vars.count(name) > 0; });
    std::string answer = complete && runs_unasked(s, command) ? "run" : "ask";
    log(asker + " asked: " + answer + " (tier " + sanitize(s.tier.name()) + ")");
    return {answer, s.tier};
}

// The command of an EVAL or GUARD frame: `argc` fields from `first`; false
// when they are not there.
bool command_of(const Frame& f, std::size_t first, std::vector<std::string>& command, std::size_t& end) {
    if (f.size() <= first) return false;
    char* stop = nullptr;
    unsigned long argc = std::strtoul(f[first].c_str(), &stop, 10);
    if (!stop || *stop || argc > f.size() - first - 1) return false;
    command.assign(f.begin() + static_cast<long>(first) + 1, f.begin() + static_cast<long>(first + 1 + argc));
    end = first + 1 + argc;
    return true;
}

void Agent::show(Session& s, bool prompt) {
    const Evaluation& e = cache_.get(s.vars, s.cwd);
    std::unique_ptr<SessionDisplay>& display = displays_[s.id];
    if (display) {
        // The shell exported another TERM or NO_COLOR: give the line back
        // and start again with the new terminal description.
        SessionTerminal now = reported_terminal(display->terminal(), s.vars, s.reported);
        if (now.term != display->terminal().term || now.no_color != display->terminal().no_color) {
            display->on_exit();
            display.reset();
        }
    }
    if (!display) {
        SessionTerminal terminal =
            reported_terminal(session_terminal(s.pid, s.tty, s.tmux, s.tmux_pane), s.vars, s.reported);
        display = std::make_unique<SessionDisplay>(std::move(terminal), e.settings, tmux_);
        if (std::string notice = display->take_notice(); !notice.empty())
            log("session " + std::to_string(s.id) + ": " + notice.substr(0, notice.size() - 1));
    }
    Display content = e.display;
    if (!s.changed_from.empty()) content.note = "changed from " + s.changed_from;
    if (prompt) display->at_prompt(content);
    else display->on_change(content, s.idle);
}

void Agent::update_watches() {
    std::set<EvalKey> in_use;
    for (auto& [id, s] : sessions_)
        if (s.reported) in_use.insert(EvalKey{s.vars, s.cwd});
    cache_.retain(in_use);
    watcher_.watch(cache_.files());
}

void Agent::handle(Client& c, const Frame& f) {
    const std::string& verb = f[0];
    if (!c.hello) {
        if (verb != "HELLO" || f.size() < 2) return fail(c, "hello", "say HELLO first");
        if (f[1] != std::to_string(kProtocolVersion))
            return fail(c, "version", "this agent speaks protocol " + std::to_string(kProtocolVersion));
        c.hello = true;
        return send(c, {"HELLO", std::to_string(kProtocolVersion), "sentinel-agent 0.1.0", instance_});
    }
    if (verb == "PING") return send(c, {"PONG", f.size() > 1 ? f[1] : ""});
    if (verb == "EVAL") {
        std::vector<std::string> command;
        std::size_t end = 0;
        if (f.size() < 3 || !command_of(f, 2, command, end)) return send(c, {"VERDICT", "ask", Tier::unknown().name()});
        auto [answer, tier] =
            verdict(f[1], command, parse_report({f.begin() + static_cast<long>(end), f.end()}), "guard");
        return send(c, {"VERDICT", answer, tier.name()});
    }
    if (verb == "REGISTER") {
        if (c.session || f.size() < 7) return fail(c, "register", "REGISTER pid shell tty tmux pane cwd, once");
        Session s;
        s.id = next_session_++;
        s.pid = std::strtol(f[1].c_str(), nullptr, 10);
        s.shell = shell_from_name(f[2]);
        s.tty = f[3];
        s.tmux = f[4];
        s.tmux_pane = f[5];
        s.cwd = f[6];
        c.session = s.id;
        sessions_[s.id] = std::move(s);
        log("session " + std::to_string(c.session) + " registered (pid " + f[1] + ", " + f[2] + ")");
        send(c, {"REGISTERED", std::to_string(c.session)});
        return publish(sessions_[c.session]);
    }
    if (verb == "SUBSCRIBE") {
        c.subscriber = true;
        send(c, {"OK", "SUBSCRIBE"});
        for (auto& [id, s] : sessions_) send(c, session_frame(instance_, s));
        return;
    }
    if (verb == "LIST") {
        for (auto& [id, s] : sessions_) send(c, session_frame(instance_, s));
        return send(c, {"END"});
    }
    if (verb != "REPORT" && verb != "PROMPT" && verb != "BUSY" && verb != "GUARD") return fail(c, "verb", "unknown verb");
    auto it = sessions_.find(c.session);
    if (it == sessions_.end()) return fail(c, "register", "REGISTER first");
    Session& s = it->second;
    if (verb == "REPORT") {
        if (f.size() < 2) return fail(c, "report", "REPORT cwd NAME=VALUE...");
        std::uint64_t gen = s.gen;
        if (apply_report(s, absolute_paths(parse_report({f.begin() + 2, f.end()}), f[1]), f[1])) {
            evaluate_session(s);
            update_watches();
        }
        if (gen != s.gen) publish(s);
        return;
    }
    if (verb == "PROMPT") {
        if (f.size() < 3) return fail(c, "prompt", "PROMPT seq known-gen");
        if (!s.reported) {
            apply_report(s, {}, s.cwd);
            evaluate_session(s);
            update_watches();
        }
        std::uint64_t gen = s.gen;
        bool was_idle = s.idle;
        on_prompt(s);
        show(s, true);  // before the reply: the shell prints its prompt after it
        send(c, state_frame(f[1], f[2], instance_, s, s.names));
        if (gen != s.gen || !was_idle) publish(s);
        return;
    }
    if (verb == "GUARD") {
        if (f.size() < 3) return fail(c, "guard", "GUARD seq argc arg...");
        std::vector<std::string> command;
        std::size_t end = 0;
        if (!s.reported || !command_of(f, 2, command, end)) return send(c, {"GUARDED", f[1], "ask", Tier::unknown().name()});
        auto [answer, tier] = verdict(s.cwd, command, s.vars, "session " + std::to_string(s.id) + ": shell guard");
        return send(c, {"GUARDED", f[1], answer, tier.name()});
    }
    if (verb == "BUSY") {
        if (s.idle) {
            s.idle = false;
            publish(s);
        }
    }
}

void Agent::on_files_changed(const std::set<std::string>& paths) {
    if (!cache_.invalidate(paths)) return;
    std::size_t changed = 0;
    for (auto& [id, s] : sessions_) {
        if (!s.reported || !cache_.depends(s.vars, paths, s.cwd)) continue;
        const Evaluation& e = cache_.get(s.vars, s.cwd);
        s.names = e.names;
        if (apply_view(s, e.view)) {
            ++changed;
            show(s, false);
            publish(s);
        }
    }
    update_watches();
    log(std::to_string(paths.size()) + " file(s) changed; " + std::to_string(changed) + " session(s) changed");
}

void Agent::drop(int fd) {
    auto it = clients_.find(fd);
    if (it == clients_.end()) return;
    if (it->second.session) {
        std::uint64_t id = it->second.session;
        if (auto d = displays_.find(id); d != displays_.end()) {
            d->second->on_exit();
            displays_.erase(d);
        }
        sessions_.erase(id);
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

void Agent::arm_idle_timer(bool on) {
    if (timer_fd_ < 0 || opt_.idle_exit_seconds <= 0 || on == timer_armed_) return;
    itimerspec spec{};
    if (on) spec.it_value.tv_sec = opt_.idle_exit_seconds;
    ::timerfd_settime(timer_fd_, 0, &spec, nullptr);
    timer_armed_ = on;
}

int Agent::run() {
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
        for (std::size_t i = 4; i < fds.size(); ++i) {
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
    }
    // Remove the socket only while it is still ours (we hold the lock, so it is).
    ::unlink(opt_.socket_path.c_str());
    ::close(listen_fd_);
    for (auto& [fd, c] : clients_) ::close(fd);
    clients_.clear();
    log("stopped");
    return 0;
}

}  // namespace

int run_agent(const AgentOptions& options, int listen_fd) {
    Agent agent(options, listen_fd);
    return agent.run();
}

}  // namespace sentinel
