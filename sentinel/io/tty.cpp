#include "sentinel/io/tty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "sentinel/io/clock.hpp"


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
    long long deadline = monotonic_ms() + static_cast<long long>(timeout_seconds) * 1000;
    std::string line;
    for (;;) {
        if (g_interrupted) {
            answer.status = TtyAnswer::Status::interrupted;
            break;
        }
        long long left = deadline - monotonic_ms();
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
