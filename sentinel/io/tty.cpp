#include "sentinel/io/tty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <ctime>
#include <cstdio>
#include <cstdlib>

#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/guard/grace.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

volatile sig_atomic_t g_interrupted = 0;

void on_signal(int) { g_interrupted = 1; }

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Installs on_signal without SA_RESTART (so poll and read return EINTR),
// restores the old handlers when destroyed.
class SignalScope {
public:
    SignalScope() {
        g_interrupted = 0;
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &sa, &old_[i]);
    }
    ~SignalScope() {
        for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &old_[i], nullptr);
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;

private:
    struct sigaction old_[std::size(kSignals)];
};

long long now_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

const char* answer_status_name(TtyAnswer::Status status) {
    switch (status) {
        case TtyAnswer::Status::line: return "answered";
        case TtyAnswer::Status::end_of_input: return "end of input";
        case TtyAnswer::Status::timeout: return "timeout";
        case TtyAnswer::Status::interrupted: return "interrupted";
        case TtyAnswer::Status::error: return "read error";
    }
    return "?";
}

std::optional<Tty> Tty::open() {
    int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    return Tty(fd);
}

Tty::Tty(Tty&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

Tty::~Tty() {
    if (fd_ >= 0) ::close(fd_);
}

bool Tty::write(const std::string& text) const {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string Tty::name() const {
    const char* n = ttyname(fd_);
    return n ? n : "";
}

TtyAnswer Tty::ask(const std::string& prompt, int timeout_seconds) const {
    TtyAnswer answer;
    SignalScope signals;
    termios saved{};
    bool have_modes = tcgetattr(fd_, &saved) == 0;
    if (have_modes) {
        termios t = saved;
        t.c_lflag |= ICANON | ECHO | ISIG;
        t.c_iflag |= ICRNL;
        tcsetattr(fd_, TCSANOW, &t);
        tcflush(fd_, TCIFLUSH);  // typeahead does not answer a question not yet asked
    }
    if (!write(prompt)) {
        if (have_modes) tcsetattr(fd_, TCSANOW, &saved);
        return answer;
    }
    long long deadline = now_ms() + static_cast<long long>(timeout_seconds) * 1000;
    std::string line;
    for (;;) {
        if (g_interrupted) {
            answer.status = TtyAnswer::Status::interrupted;
            break;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            answer.status = TtyAnswer::Status::timeout;
            break;
        }
        pollfd p{fd_, POLLIN, 0};
        int r = poll(&p, 1, static_cast<int>(left > 1000000 ? 1000000 : left));
        if (r < 0) {
            if (errno == EINTR) continue;
            answer.status = TtyAnswer::Status::error;
            break;
        }
        if (r == 0) continue;
        char buf[512];
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            answer.status = errno == EIO ? TtyAnswer::Status::end_of_input : TtyAnswer::Status::error;
            break;
        }
        if (n == 0) {
            answer.status = TtyAnswer::Status::end_of_input;
            break;
        }
        line.append(buf, static_cast<std::size_t>(n));
        if (auto nl = line.find('\n'); nl != std::string::npos) {
            line.resize(nl);
            answer.status = TtyAnswer::Status::line;
            answer.line = std::move(line);
            break;
        }
        if (line.size() > 4096) {
            answer.status = TtyAnswer::Status::error;
            break;
        }
    }
    if (answer.status != TtyAnswer::Status::line) write("\n");
    if (have_modes) tcsetattr(fd_, TCSANOW, &saved);
    return answer;
}

std::string controlling_tty_name() {
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
        if (const char* n = ttyname(fd)) return n;
    if (auto tty = Tty::open()) return tty->name();
    return "";
}

bool stdin_is_tty() { return isatty(STDIN_FILENO) == 1; }

}  // namespace sentinel

// The question loop lives here because it is the terminal conversation;
// the decisions it applies are pure (core/guard/guard.hpp).
namespace sentinel {
namespace {

constexpr int kMaxQuestions = 3;

// Field `n` (1-based) of /proc/PID/stat, after the parenthesised command.
std::string proc_stat_field(long pid, int n) {
    FileRead r = PosixFileReader().read("/proc/" + std::to_string(pid) + "/stat");
    auto close = r.data.rfind(')');
    if (r.status != FileRead::Status::ok || close == std::string::npos) return "";
    int field = 2;
    std::size_t i = close + 1;
    while (i < r.data.size()) {
        while (i < r.data.size() && r.data[i] == ' ') ++i;
        std::size_t end = r.data.find(' ', i);
        if (end == std::string::npos) end = r.data.size();
        if (++field == n) return r.data.substr(i, end - i);
        i = end;
    }
    return "";
}

// The grace store: next to the audit log, or in XDG_RUNTIME_DIR when set.
std::string grace_store_path(const Vars& vars) {
    auto runtime = get(vars, "XDG_RUNTIME_DIR");
    if (runtime && !runtime->empty() && (*runtime)[0] == '/') return *runtime + "/sentinel/grace";
    std::string audit = audit_path(vars);
    auto slash = audit.rfind('/');
    return slash == std::string::npos ? "" : audit.substr(0, slash) + "/grace";
}

std::int64_t grace_seconds(const Config& config, const Tier& tier) {
    const TierSpec* t = config.spec(tier);
    return t ? t->grace : 0;
}

std::string grace_digest_of(const Evaluated& ev) {
    GraceKey key;
    key.uid = static_cast<long>(getuid());
    key.tty = proc_stat_field(static_cast<long>(getpid()), 7);  // tty_nr: the controlling terminal
    key.session = static_cast<long>(getsid(0));
    key.session_start = proc_stat_field(key.session, 22);        // the session leader's start time
    key.target = fingerprint(ev.snapshot) + "\n" + ev.pin;
    return grace_digest(key);
}

void remember_grace(const Vars& vars, const std::string& digest, std::int64_t max_age) {
    std::string path = grace_store_path(vars);
    if (path.empty()) return;
    FileRead old = PosixFileReader().read(path);
    std::string text = format_grace_store(parse_grace_store(old.data), digest, std::time(nullptr), max_age);
    std::string dir = path.substr(0, path.rfind('/'));
    mkdir(dir.c_str(), 0700);
    std::string tmp = path + "." + std::to_string(getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0) unlink(tmp.c_str());
}

bool within_grace(const Vars& vars, const std::string& digest, std::int64_t seconds) {
    if (seconds <= 0) return false;
    FileRead store = PosixFileReader().read(grace_store_path(vars));
    if (store.status != FileRead::Status::ok) return false;
    return grace_allows(parse_grace_store(store.data), digest, std::time(nullptr), seconds);
}

AuditRecord record_for(const Evaluated& ev, const Decision& d, const Action& action, std::string decision,
                       std::string reason) {
    AuditRecord r = audit_context();
    r.tier = d.tier.name();
    if (d.target >= 0) {
        const Target& t = ev.snapshot.targets[static_cast<std::size_t>(d.target)];
        r.kind = std::string(kind_name(t.kind));
        r.target = t.display_name();
        for (const Field& f : t.fields)
            if (!f.value.empty()) r.fields.emplace_back(f.name, f.value);
    }
    r.tool = action.tool;
    r.action = action.verb;
    r.risk = std::string(risk_name(action.risk));
    r.decision = std::move(decision);
    r.reason = std::move(reason);
    return r;
}

// Appends the audit record of a decision; false when it could not be written
// and the configuration requires the audit log.
bool audit(const ConfirmOutcome& out, const ConfirmRequest& req, const Decision& d, std::string decision,
           std::string reason) {
    return write_audit(req.vars, record_for(out.evaluated, d, req.action, std::move(decision), std::move(reason)),
                       out.evaluated.snapshot.config.audit_required);
}

ConfirmOutcome refused(ConfirmOutcome out, const ConfirmRequest& req, const std::string reason, bool print) {
    audit(out, req, out.decision, "refused", reason);
    if (print) {
        Decision d = out.decision;
        d.reason = reason;
        std::fputs(format_refusal(d, req.action).c_str(), stderr);
    }
    out.go = false;
    out.exit_code = 77;
    return out;
}

}  // namespace

ConfirmRequest confirm_request(const Vars& vars) {
    ConfirmRequest req;
    if (auto v = get(vars, kOverrideVariable); v && !v->empty()) req.override_value = v;
    auto no_color = get(vars, "NO_COLOR");
    auto term = get(vars, "TERM");
    req.color = !(no_color && !no_color->empty()) && !(term && *term == "dumb");
    req.vars = vars;
    return req;
}

std::optional<int> question_timeout(const Invocation& inv) {
    if (!inv.has("timeout")) return 60;
    char* end = nullptr;
    long t = std::strtol(inv.options.at("timeout").c_str(), &end, 10);
    if (!end || *end || t < 1 || t > 86400) {
        std::fprintf(stderr, "sentinel: error: --timeout must be 1 to 86400 seconds\n");
        return std::nullopt;
    }
    return static_cast<int>(t);
}

ConfirmOutcome run_confirmation(const ConfirmRequest& req) {
    ConfirmOutcome out;
    std::optional<Tty> tty = Tty::open();
    for (int question = 0; question < kMaxQuestions; ++question) {
        auto ev = req.evaluate();
        if (!ev) {
            std::fprintf(stderr, "sentinel: error: %s\n", sanitize(ev.error().to_string()).c_str());
            out.exit_code = 78;
            return out;
        }
        out.evaluated = std::move(ev.value());
        out.decision = decide(out.evaluated.snapshot, req.action, tty.has_value(), req.override_value);
        const Decision& d = out.decision;
        switch (d.verdict) {
            case Decision::Verdict::run:
                out.go = true;
                out.exit_code = 0;
                return out;
            case Decision::Verdict::refuse: {
                std::string reason = d.reason;  // `d` lives in `out`, which moves
                return refused(std::move(out), req, reason, true);
            }
            case Decision::Verdict::override:
                if (!audit(out, req, d, "override", d.reason))
                    return refused(std::move(out), req, "audit log unwritable", true);
                out.go = true;
                out.exit_code = 0;
                return out;
            case Decision::Verdict::ask: break;
        }
        std::int64_t grace = grace_seconds(out.evaluated.snapshot.config, d.tier);
        if (grace > 0 && within_grace(req.vars, grace_digest_of(out.evaluated), grace)) {
            if (!audit(out, req, d, "confirmed", "grace period"))
                return refused(std::move(out), req, "audit log unwritable", true);
            out.go = true;
            out.exit_code = 0;
            return out;
        }
        tty->write(format_question(out.evaluated.snapshot, make_display(out.evaluated.snapshot), d, req.action, req.color));
        TtyAnswer answer = tty->ask(format_answer_prompt(d), req.timeout_seconds);
        if (answer.status != TtyAnswer::Status::line)
            return refused(std::move(out), req, answer_status_name(answer.status), true);
        if (!answer_accepted(d, answer.line)) return refused(std::move(out), req, "wrong answer", true);

        auto again = req.evaluate();
        if (!again) {
            std::fprintf(stderr, "sentinel: error: %s\n", sanitize(again.error().to_string()).c_str());
            out.exit_code = 78;
            return out;
        }
        if (fingerprint(again->snapshot) != fingerprint(out.evaluated.snapshot) || again->pin != out.evaluated.pin) {
            audit(out, req, d, "refused", "target changed while asking");
            tty->write("sentinel: the target changed while you answered; not confirmed. Asking again.\n");
            continue;
        }
        if (!audit(out, req, d, "confirmed", "answered"))
            return refused(std::move(out), req, "audit log unwritable", true);
        if (grace > 0) remember_grace(req.vars, grace_digest_of(again.value()), grace);
        out.go = true;
        out.exit_code = 0;
        return out;
    }
    return refused(std::move(out), req, "the target kept changing", true);
}

}  // namespace sentinel
