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

#include "sentinel/io/clock.hpp"
#include "sentinel/io/agent_cache.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/fish_relay.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/io/terminfo_tty.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/agent/shell_reply.hpp"
#include "sentinel/core/display/prompt.hpp"

namespace sentinel {
namespace {

constexpr char kSep = kShellSep;
constexpr std::size_t kMaxAgentBacklog = 256 * 1024;

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
    int serve();  // the loop, once the shell's channel is open
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
    bool answer_ahead(const Frame& f, long timeout);
    std::vector<std::string> with_stale_fields(std::vector<std::string> fields) const;
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
    // State pushed ahead by an agent that said `ahead` (AHEAD frames): what
    // the next prompt shows, answered here without a round trip while it is
    // fresh (answer_ahead).
    bool agent_ahead_ = false;
    std::optional<Ahead> ahead_;
    bool ahead_used_ = false;        // a once-only AHEAD has answered its prompt
    std::uint64_t reports_sent_ = 0; // REPORT frames the agent has been sent on this connection
    int tty_fd_ = -1;                // the shell's terminal, to write AHEAD bytes on
    bool busy_since_shown_ = true;   // a BUSY went to the agent since the last SHOWN (or none was sent)
    std::string shown_token_;        // the token of the last SHOWN
    std::optional<FishChannel> fish_;  // a fish shell's FIFOs (io/fish_relay.hpp)
    FishRelayFds fish_fds_;
};

// How long the agent may leave a request unanswered before the state it
// pushed is no longer trusted. Longer than a prompt's timeout: on a loaded
// machine the agent may take a few ms to run, while what a pushed state
// depends on is checked here at every prompt (files by identity, the
// terminal's size, this shell's own reports); only a stopped or hung agent
// gets this far.
constexpr long kAgentLagMs = 1000;

// The shell's reply fields: STATE's, then the stale fields of the state
// pushed ahead (empty from an agent that pushes nothing: the shell then
// shows its built-in unknown).
std::vector<std::string> Relay::with_stale_fields(std::vector<std::string> fields) const {
    std::size_t n = state_fields().size();
    fields.resize(n);
    for (std::size_t i = 0; i < stale_fields().size(); ++i)
        fields.push_back(ahead_ && ahead_->fields.size() > n + i ? ahead_->fields[n + i] : std::string());
    return fields;
}

// Answers PROMPT `f` from the state the agent pushed ahead, when it is
// fresh: the agent keeps up (it acknowledged what it was sent, or did so
// within `timeout` ms), it has applied every REPORT this shell made (its
// own change is answered by the agent, for this prompt), it did not say to
// ask (an evaluation is under way), a once-only state was not used yet,
// the terminal has the size its bytes were made for, and every file it
// depends on has the identity it was read with. Anything else: false, and
// the prompt asks the agent as before.
bool Relay::answer_ahead(const Frame& f, long timeout) {
    if (!agent_ahead_ || agent_fd_ < 0 || !ahead_ || ahead_->ask || ahead_->reports != reports_sent_) return false;
    if ((ahead_->once && ahead_used_) || !waiting_seq_.empty()) return false;
    if (outstanding_ && monotonic_ms() - outstanding_since_ > std::max(timeout, kAgentLagMs)) return false;
    ScreenSize size;
    if (tty_fd_ >= 0)
        if (auto s = terminal_size(tty_fd_)) size = *s;
    if (size.rows != ahead_->rows || size.cols != ahead_->cols) return false;
    for (const auto& [path, identity] : ahead_->files)
        if (identity_text(identify(path)) != identity) return false;
    if (tty_fd_ >= 0 && !ahead_->bytes.empty()) {
        // Never blocks: a full terminal buffer drops the rest, as the agent does.
        std::size_t done = 0;
        while (done < ahead_->bytes.size()) {
            ssize_t n = ::write(tty_fd_, ahead_->bytes.data() + done, ahead_->bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
    }
    if (f[2] == ahead_->token) reply(f[1], "same");
    else reply(f[1], "new", ahead_->fields);
    ahead_used_ = true;
    // The agent learns of the prompt (the session is idle again, a "changed
    // from" mark was shown) unless it changes nothing there: no command ran
    // since the last SHOWN and the same state was shown again.
    if (!busy_since_shown_ && !ahead_->once && shown_token_ == ahead_->token) return true;
    send_agent({"SHOWN", f[1], ahead_->token, std::to_string(ahead_->rows), std::to_string(ahead_->cols)});
    busy_since_shown_ = false;
    shown_token_ = ahead_->token;
    if (!outstanding_) outstanding_since_ = monotonic_ms();
    outstanding_ = true;
    return true;
}

void Relay::disconnect(const std::string& why) {
    if (agent_fd_ >= 0) ::close(agent_fd_);
    agent_fd_ = -1;
    agent_out_.clear();
    agent_in_ = FrameBuffer(true);
    outstanding_ = false;
    agent_ahead_ = false;
    ahead_.reset();
    busy_since_shown_ = true;
    shown_token_.clear();
    down_reason_ = why;
    if (!waiting_seq_.empty()) {
        reply(waiting_seq_, "down", {why});
        waiting_seq_.clear();
    }
}

void Relay::spawn_agent() {
    if (!opt_.autostart || monotonic_ms() - last_spawn_ < 2000 || self_.empty()) return;
    last_spawn_ = monotonic_ms();
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
    send_agent({"HELLO", std::to_string(kProtocolVersion), "sentinel-relay", std::string(kAheadCapability)});
    send_agent({"REGISTER", std::to_string(opt_.shell_pid), opt_.shell, tty, tmux ? tmux : "", pane ? pane : "", cwd});
    reports_sent_ = 0;
    if (last_report_) {
        send_agent(*last_report_);
        ++reports_sent_;
    }
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
        if (agent_fd_ >= 0) ++reports_sent_;  // as any REPORT: the agent answers the next prompt
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
        if (agent_fd_ >= 0) ++reports_sent_;
        send_agent(f);
    } else if (f[0] == "BUSY" || f[0] == "DRAWN") {
        if (f[0] == "BUSY") busy_since_shown_ = true;
        send_agent(f);
    } else if ((f[0] == "PROMPT" && f.size() >= 4) || (f[0] == "GUARD" && f.size() >= 4)) {
        bool prompt = f[0] == "PROMPT";
        long timeout = std::clamp(std::strtol(f[prompt ? 3 : 2].c_str(), nullptr, 10), 1L, 5000L);
        if (prompt && answer_ahead(f, timeout)) return;
        if (!waiting_seq_.empty()) reply(waiting_seq_, "stale");
        waiting_seq_ = f[1];
        deadline_ = monotonic_ms() + timeout;
        if (agent_fd_ < 0) {
            std::string why;
            // At shell start the first prompt may wait for a new agent.
            while (!connect_agent(why) && timeout >= 100 && monotonic_ms() < deadline_) ::usleep(5000);
            if (agent_fd_ < 0) {
                down_reason_ = why;
                reply(waiting_seq_, "down", {why});
                waiting_seq_.clear();
                return;
            }
        }
        if (outstanding_ && monotonic_ms() - outstanding_since_ > timeout) {
            // The agent has not answered an earlier prompt: do not pile up more.
            reply(waiting_seq_, "stale");
            waiting_seq_.clear();
            return;
        }
        if (prompt) {
            send_agent({"PROMPT", f[1], f[2], std::to_string(deadline_)});
        } else {
            Frame guard = {"GUARD", f[1]};
            guard.insert(guard.end(), f.begin() + 3, f.end());
            send_agent(guard);
        }
        if (!outstanding_) outstanding_since_ = monotonic_ms();
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
    if (f[0] == "HELLO") {
        for (std::size_t i = 4; i < f.size(); ++i) agent_ahead_ = agent_ahead_ || f[i] == kAheadCapability;
        return;
    }
    if (f[0] == "AHEAD") {
        auto ahead = decode_ahead(f);
        if (!ahead) return disconnect("bad AHEAD frame from agent");
        if (!ahead_ || ahead_->token != ahead->token) ahead_used_ = false;
        ahead_ = std::move(ahead.value());
        return;
    }
    if (f[0] == "SHOWN") {
        outstanding_ = false;
        return;
    }
    if ((f[0] != "STATE" && f[0] != "GUARDED") || f.size() < 3) return;
    outstanding_ = false;
    if (f[1] != waiting_seq_) return;  // a late answer to a request already given up on
    waiting_seq_.clear();
    if (f[0] == "GUARDED") return reply(f[1], f[2] == "run" ? "run" : "ask", {f.size() > 3 ? f[3] : ""});
    if (f.size() == 3) return reply(f[1], "same");
    reply(f[1], "new", with_stale_fields({f.begin() + 2, f.end()}));
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
    if (opt_.shell == "fish") {
        // fish reaches its relay through two FIFOs of fixed names; replies go
        // to the second one, in place of standard output.
        fish_ = fish_channel(*dir, opt_.shell_pid);
        auto opened = open_fish_relay(*fish_);
        if (!opened || !*opened) return opened ? 0 : 1;  // another relay serves this shell, or none can
        fish_fds_ = **opened;
        fifo_fd_ = fish_fds_.in;
        ::dup2(fish_fds_.out, STDOUT_FILENO);
        return -1;
    }
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
    // bash and zsh start the relay themselves; a fish shell's relay is
    // started by a short-lived asker and follows the shell through its pidfd.
    if (opt_.shell != "fish") ::prctl(PR_SET_PDEATHSIG, SIGTERM);
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
    // The relay writes the status line's bytes before a prompt it answers
    // itself; in bash it shares the shell's process group, which is in the
    // background while a command runs: a terminal with `tostop` must not
    // stop it for writing.
    ::signal(SIGTTOU, SIG_IGN);
    std::string tty = read_link("/proc/" + std::to_string(opt_.shell_pid) + "/fd/0");
    if (tty.rfind("/dev/", 0) == 0)
        if (auto fd = open_tty_for_paint(tty)) tty_fd_ = *fd;

    if (int code = open_line(); code >= 0) return code;
    return serve();
}

int Relay::serve() {
    while (!shell_gone_) {
        pollfd fds[4] = {{fifo_fd_, POLLIN, 0}, {agent_fd_, POLLIN, 0}, {pid_fd_, POLLIN, 0}, {STDOUT_FILENO, 0, 0}};
        if (agent_fd_ >= 0 && !agent_out_.empty()) fds[1].events |= POLLOUT;
        if (!shell_out_.empty()) fds[3].events |= POLLOUT;
        int timeout = -1;
        if (!waiting_seq_.empty()) timeout = static_cast<int>(std::max<std::int64_t>(0, deadline_ - monotonic_ms()));
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
        if (!waiting_seq_.empty() && monotonic_ms() >= deadline_) {
            reply(waiting_seq_, "stale");
            waiting_seq_.clear();
        }
    }
    if (!fifo_path_.empty()) ::unlink(fifo_path_.c_str());
    if (fish_) close_fish_relay(*fish_, fish_fds_);
    return 0;
}

}  // namespace

int run_relay(const RelayOptions& options) {
    Relay relay(options);
    return relay.run();
}

}  // namespace sentinel
