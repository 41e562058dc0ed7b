#include "sentinel/io/agent_relay.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "sentinel/io/fs.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/display/prompt.hpp"

namespace sentinel {
namespace {

constexpr char kSep = '\x1f';
constexpr std::size_t kMaxReplyBody = 3000;
constexpr std::size_t kMaxAgentBacklog = 256 * 1024;

std::int64_t now_ms() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

std::string clean_field(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != 0x1b && u != 0x01 && u != 0x02) || u == 0x7f) c = '?';
    }
    return out;
}

std::string read_link(const std::string& path) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

class Relay {
public:
    explicit Relay(const RelayOptions& o) : opt_(o) {}
    int run();

private:
    void reply(const std::string& seq, const std::string& status, const std::vector<std::string>& fields = {}) {
        std::string r = shell_reply(opt_.shell == "bash", seq, status, fields);
        if (opt_.shell != "bash") r += '\n';
        shell_out_ += r;
        if (!write_some(STDOUT_FILENO, shell_out_)) shell_gone_ = true;
        if (shell_out_.size() > 65536) shell_out_.clear();
    }
    void to_shell(const std::string& line) {
        shell_out_ += line;
        shell_out_ += '\n';
        if (!write_some(STDOUT_FILENO, shell_out_)) shell_gone_ = true;
        if (shell_out_.size() > 65536) shell_out_.clear();  // the shell stopped reading
    }
    void from_shell(const std::string& line, bool cut);
    void legacy_from_shell(const Frame& f);
    int open_line();
    void from_agent(const std::string& line, bool cut);
    void from_shell_cut(Frame& f);
    bool connect_agent(std::string& why);
    void disconnect(const std::string& why);
    void spawn_agent();
    void answer_timeout();
    void send_agent(Frame f) {
        if (agent_fd_ < 0) return;
        if (!fit_frame(f)) return disconnect("a frame too long for the agent");
        agent_out_ += encode_frame(f);
        if (agent_out_.size() > kMaxAgentBacklog) return disconnect("agent not reading");
        if (!flush_some(agent_fd_, agent_out_)) disconnect("agent connection lost");
    }

    RelayOptions opt_;
    std::string socket_path_;
    std::string fifo_path_;
    std::string self_;
    int fifo_fd_ = -1;
    int pid_fd_ = -1;
    int agent_fd_ = -1;
    // Both cut an oversized frame instead of ending the stream: it is
    // answered with unknown (never "same").
    FrameBuffer agent_in_{true};
    FrameBuffer shell_in_{true};
    std::string names_;  // the variables to report, from the agent's last full STATE
    std::string agent_out_;
    std::string shell_out_;
    std::optional<Frame> last_report_;
    std::string down_reason_ = "not connected";
    // The prompt waiting for the agent: its seq and deadline.
    std::string waiting_seq_;
    std::int64_t deadline_ = 0;
    // A PROMPT the agent has not answered yet (it may be stopped).
    bool outstanding_ = false;
    std::int64_t outstanding_since_ = 0;
    std::int64_t last_spawn_ = -100000;
    bool shell_gone_ = false;
    bool legacy_ = false;  // a version 1 shell: it only gets the restart mark
};

void Relay::disconnect(const std::string& why) {
    if (agent_fd_ >= 0) ::close(agent_fd_);
    agent_fd_ = -1;
    agent_out_.clear();
    agent_in_ = FrameBuffer(true);
    outstanding_ = false;
    down_reason_ = why;
    if (!waiting_seq_.empty()) {
        reply(waiting_seq_, "down", {why});
        waiting_seq_.clear();
    }
}

void Relay::spawn_agent() {
    if (!opt_.autostart || now_ms() - last_spawn_ < 2000 || self_.empty()) return;
    last_spawn_ = now_ms();
    pid_t pid = ::fork();
    if (pid != 0) return;  // SIGCHLD is ignored: the child is reaped by the kernel
    ::setsid();
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
    ::close_range(3, ~0u, 0);
    ::signal(SIGCHLD, SIG_DFL);
    char* argv[] = {const_cast<char*>("sentinel"), const_cast<char*>("agent"), nullptr};
    ::execv(self_.c_str(), argv);
    _exit(127);
}

bool Relay::connect_agent(std::string& why) {
    int err = 0;
    auto fd = connect_unix(socket_path_, &err);
    if (!fd) {
        why = err == ENOENT ? "no agent" : err == ECONNREFUSED ? "agent not running (stale socket)"
                                                               : "agent unreachable: " + fd.error().message;
        if (err == ENOENT || err == ECONNREFUSED) spawn_agent();
        return false;
    }
    agent_fd_ = *fd;
    last_spawn_ = -100000;  // an agent answered: a later loss may start one at once
    std::string tty = read_link("/proc/" + std::to_string(opt_.shell_pid) + "/fd/0");
    if (tty.rfind("/dev/", 0) != 0) tty.clear();
    std::string cwd = read_link("/proc/" + std::to_string(opt_.shell_pid) + "/cwd");
    const char* tmux = std::getenv("TMUX");
    const char* pane = std::getenv("TMUX_PANE");
    send_agent({"HELLO", std::to_string(kProtocolVersion), "sentinel-relay"});
    send_agent({"REGISTER", std::to_string(opt_.shell_pid), opt_.shell, tty, tmux ? tmux : "", pane ? pane : "", cwd});
    if (last_report_) send_agent(*last_report_);
    return agent_fd_ >= 0;
}

// A frame from the shell longer than kMaxFrame, cut: a REPORT goes on with
// its whole variables and, in place of the one that was cut (and those after
// it), that variable's name without '=' (parse_report then makes the
// session unknown); a GUARD is answered "ask" (the guard looks itself).
void Relay::from_shell_cut(Frame& f) {
    if (f[0] == "REPORT") {
        std::string last = f.back();
        if (f.size() > 2) f.pop_back();
        else last = "(the working directory)";
        std::string name = last.substr(0, last.find('='));
        f.push_back(name.empty() ? "(a variable)" : name);
        last_report_ = f;
        send_agent(f);
    } else if (f[0] == "GUARD" && f.size() >= 2) {
        if (f[1] == waiting_seq_) waiting_seq_.clear();
        reply(f[1], "ask", {"unknown"});
    }
}

void Relay::from_shell(const std::string& line, bool cut) {
    if (!fifo_path_.empty()) {
        ::unlink(fifo_path_.c_str());  // the shell has it open now
        fifo_path_.clear();
    }
    auto frame = cut ? decode_cut_frame(line) : decode_frame(line);
    if (!frame) return;
    Frame& f = *frame;
    if (legacy_) return legacy_from_shell(f);
    if (cut) return from_shell_cut(f);
    if (f[0] == "REPORT") {
        last_report_ = f;
        send_agent(f);
    } else if (f[0] == "BUSY") {
        send_agent(f);
    } else if ((f[0] == "PROMPT" && f.size() >= 4) || (f[0] == "GUARD" && f.size() >= 4)) {
        bool prompt = f[0] == "PROMPT";
        long timeout = std::clamp(std::strtol(f[prompt ? 3 : 2].c_str(), nullptr, 10), 1L, 5000L);
        if (!waiting_seq_.empty()) reply(waiting_seq_, "stale");
        waiting_seq_ = f[1];
        deadline_ = now_ms() + timeout;
        if (agent_fd_ < 0) {
            std::string why;
            // At shell start the first prompt may wait for a new agent.
            while (!connect_agent(why) && timeout >= 100 && now_ms() < deadline_) ::usleep(5000);
            if (agent_fd_ < 0) {
                down_reason_ = why;
                reply(waiting_seq_, "down", {why});
                waiting_seq_.clear();
                return;
            }
        }
        if (outstanding_ && now_ms() - outstanding_since_ > timeout) {
            // The agent has not answered an earlier prompt: do not pile up more.
            reply(waiting_seq_, "stale");
            waiting_seq_.clear();
            return;
        }
        if (prompt) {
            send_agent({"PROMPT", f[1], f[2]});
        } else {
            Frame guard = {"GUARD", f[1]};
            guard.insert(guard.end(), f.begin() + 3, f.end());
            send_agent(guard);
        }
        if (!outstanding_) outstanding_since_ = now_ms();
        outstanding_ = true;
    }
}

// A shell integration of protocol version 1 runs in a shell started before
// an upgrade: its prompt shows the restart mark, its wrapped tools go
// through `sentinel guard`. The fields are version 1's STATE layout.
void Relay::legacy_from_shell(const Frame& f) {
    if (f[0] == "GUARD" && f.size() >= 2) return reply(f[1], "ask", {Tier::unknown().name()});
    if (f[0] != "PROMPT" || f.size() < 3) return;
    if (f[2] == "restart") return reply(f[1], "same");
    Shell shell = shell_from_name(opt_.shell);
    reply(f[1], "new", {"restart", Tier::unknown().name(), "UNKNOWN", restart_mark(shell), "", "", "", "", "", ""});
}

void Relay::from_agent(const std::string& line, bool cut) {
    if (cut) {
        // An answer too long to read: unknown for the prompt that waits for
        // it, never the previous state.
        auto start = decode_cut_frame(line);
        if (!start || start->size() < 2 || (*start)[0] != "STATE") return;
        outstanding_ = false;
        if ((*start)[1] != waiting_seq_) return;
        waiting_seq_.clear();
        return reply((*start)[1], "new",
                     unknown_state(shell_from_name(opt_.shell), "the agent's answer was too long", names_));
    }
    auto frame = decode_frame(line);
    if (!frame) return disconnect("bad frame from agent");
    const Frame& f = *frame;
    if (f[0] == "STATE" && f.size() == 2 + state_fields().size()) names_ = f.back();
    if (f[0] == "ERROR") return disconnect("agent refused: " + (f.size() > 2 ? f[2] : std::string("error")));
    if (f[0] == "HELLO" && (f.size() < 2 || f[1] != std::to_string(kProtocolVersion)))
        return disconnect("agent speaks another protocol version");
    if ((f[0] != "STATE" && f[0] != "GUARDED") || f.size() < 3) return;
    outstanding_ = false;
    if (f[1] != waiting_seq_) return;  // a late answer to a request already given up on
    waiting_seq_.clear();
    if (f[0] == "GUARDED") return reply(f[1], f[2] == "run" ? "run" : "ask", {f.size() > 3 ? f[3] : ""});
    if (f.size() == 3) return reply(f[1], "same");
    reply(f[1], "new", {f.begin() + 2, f.end()});
}

// The relay's opening line (see the header): creates the FIFO and says
// where it is, with the protocol version the shell speaks. Returns the exit
// code when the relay has nothing to serve, -1 when it goes on.
int Relay::open_line() {
    auto dir = runtime_dir(environment_vars());
    if (!dir) {
        to_shell(std::string("ERROR") + kSep + clean_field(dir.error().to_string()));
        return 1;
    }
    if (opt_.protocol != 1 && opt_.protocol != kShellProtocolVersion) {
        // A shell integration of another version: say ours, serve nothing.
        to_shell(std::string("HELLO") + kSep + std::to_string(kShellProtocolVersion));
        return 0;
    }
    legacy_ = opt_.protocol == 1;
    socket_path_ = *dir + "/agent.sock";
    fifo_path_ = *dir + "/relay." + std::to_string(::getpid()) + ".fifo";
    ::unlink(fifo_path_.c_str());
    if (::mkfifo(fifo_path_.c_str(), 0600) != 0 ||
        (fifo_fd_ = ::open(fifo_path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
        to_shell(std::string("ERROR") + kSep + "cannot create " + clean_field(fifo_path_) + ": " + std::strerror(errno));
        ::unlink(fifo_path_.c_str());
        return 1;
    }
    if (legacy_) to_shell(std::string("FIFO") + kSep + clean_field(fifo_path_));
    else to_shell(std::string("HELLO") + kSep + std::to_string(kShellProtocolVersion) + kSep + clean_field(fifo_path_));
    return -1;
}

int Relay::run() {
    ::signal(SIGCHLD, SIG_IGN);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);   // Ctrl-C at the prompt reaches the process group
    ::signal(SIGTSTP, SIG_IGN);
    ::signal(SIGQUIT, SIG_IGN);  // Ctrl-\ at bash's prompt reaches its process group too
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // Descriptors the shell had open (its other pipes, a previous relay's)
    // must not be held for the shell's lifetime.
    ::close_range(3, ~0u, 0);
    if (::getppid() != opt_.shell_pid && opt_.shell_pid > 0 && ::kill(static_cast<pid_t>(opt_.shell_pid), 0) != 0)
        return 0;
    make_nonblocking(STDOUT_FILENO);
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) self_.assign(exe, static_cast<std::size_t>(n));
    pid_fd_ = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(opt_.shell_pid), 0));

    if (int code = open_line(); code >= 0) return code;

    while (!shell_gone_) {
        pollfd fds[4] = {{fifo_fd_, POLLIN, 0}, {agent_fd_, POLLIN, 0}, {pid_fd_, POLLIN, 0}, {STDOUT_FILENO, 0, 0}};
        if (agent_fd_ >= 0 && !agent_out_.empty()) fds[1].events |= POLLOUT;
        if (!shell_out_.empty()) fds[3].events |= POLLOUT;
        int timeout = -1;
        if (!waiting_seq_.empty()) timeout = static_cast<int>(std::max<std::int64_t>(0, deadline_ - now_ms()));
        int rc = ::poll(fds, 4, timeout);
        if (rc < 0 && errno != EINTR) break;
        if (fds[2].revents) break;                                 // the shell exited
        if (fds[3].revents & (POLLERR | POLLHUP)) break;           // nobody reads our answers
        if (fds[3].revents & POLLOUT) write_some(STDOUT_FILENO, shell_out_);
        if (fds[0].revents & POLLIN) {
            char buf[8192];
            ssize_t got;
            // A short read has emptied the FIFO; poll reports what comes later.
            while ((got = ::read(fifo_fd_, buf, sizeof buf)) > 0) {
                shell_in_.feed({buf, static_cast<std::size_t>(got)});
                if (static_cast<std::size_t>(got) < sizeof buf) break;
            }
            std::string line;
            while (shell_in_.next(line)) from_shell(line, shell_in_.cut());
        }
        if (agent_fd_ >= 0 && (fds[1].revents & POLLOUT) && !flush_some(agent_fd_, agent_out_))
            disconnect("agent connection lost");
        if (agent_fd_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buf[16384];
            for (;;) {
                ssize_t got = ::recv(agent_fd_, buf, sizeof buf, MSG_DONTWAIT);
                if (got < 0 && errno == EINTR) continue;
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                if (got <= 0) {
                    disconnect("agent gone");
                    break;
                }
                agent_in_.feed({buf, static_cast<std::size_t>(got)});
                std::string line;
                while (agent_fd_ >= 0 && agent_in_.next(line)) from_agent(line, agent_in_.cut());
                if (agent_fd_ < 0 || static_cast<std::size_t>(got) < sizeof buf) break;
            }
        }
        if (!waiting_seq_.empty() && now_ms() >= deadline_) {
            reply(waiting_seq_, "stale");
            waiting_seq_.clear();
        }
    }
    if (!fifo_path_.empty()) ::unlink(fifo_path_.c_str());
    return 0;
}

}  // namespace

std::string shell_reply(bool bash, const std::string& seq, const std::string& status,
                        const std::vector<std::string>& fields) {
    // Under PIPE_BUF in one write: long fields are shortened in their
    // middle, never dropped (the last one tells the shell what to report).
    Frame cleaned;
    for (const std::string& f : fields) cleaned.push_back(clean_field(f));
    fit_frame(cleaned, kMaxReplyBody);
    std::string body;
    for (std::size_t i = 0; i < cleaned.size(); ++i) {
        if (i || !bash) body += kSep;
        body += cleaned[i];
    }
    if (body.size() > kMaxReplyBody) body.resize(kMaxReplyBody);  // only with thousands of fields
    if (!bash) return clean_field(seq) + kSep + status + body;
    char head[32];
    char code = status == "same"    ? '='
                : status == "new"   ? 'N'
                : status == "stale" ? 'S'
                : status == "run"   ? 'R'
                : status == "ask"   ? 'A'
                                    : 'D';
    std::snprintf(head, sizeof head, "%c%07lu%08zu", code, std::strtoul(seq.c_str(), nullptr, 10) % 10000000ul,
                  body.size());
    return head + body;
}

int run_relay(const RelayOptions& options) {
    Relay relay(options);
    return relay.run();
}

}  // namespace sentinel
