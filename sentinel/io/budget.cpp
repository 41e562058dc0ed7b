#include "sentinel/io/budget.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

#include "sentinel/io/clock.hpp"

namespace sentinel {
namespace {

// This process's address space, bytes (/proc/self/statm, first field).
std::size_t address_space() {
    std::FILE* f = std::fopen("/proc/self/statm", "re");
    if (!f) return 0;
    unsigned long pages = 0;
    if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
    std::fclose(f);
    return pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

void write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

// The child's side: limits, work, then on `fd` one of: "O<length>\n<text>",
// "E<what>" (an exception), "M" (out of memory).
[[noreturn]] void child(int fd, const std::function<std::string()>& work, const Budget& budget, std::size_t base) {
    ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
    ::close_range(static_cast<unsigned>(fd) + 1, ~0u, 0);
    rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    rlim_t cpu = static_cast<rlim_t>(budget.cpu_seconds);
    rlimit cpu_limit{cpu, cpu + 1};
    ::setrlimit(RLIMIT_CPU, &cpu_limit);
    if (kBudgetLimitsMemory && base) {
        rlimit as{base + budget.memory_bytes, base + budget.memory_bytes};
        ::setrlimit(RLIMIT_AS, &as);
    }
    std::string out;
    try {
        std::string result = work();
        out = "O" + std::to_string(result.size()) + "\n" + result;  // the length shows a complete answer
    } catch (const std::bad_alloc&) {
        out = "M";
    } catch (const std::exception& e) {
        out = std::string("E") + e.what();
    } catch (...) {
        out = "Eunknown exception";
    }
    write_all(fd, out);
    ::_exit(0);
}

}  // namespace

Budget parse_budget(std::size_t input_bytes) {
    Budget b;
    b.cpu_seconds = 2 + static_cast<int>(input_bytes / (4u << 20));
    b.memory_bytes = (512u << 20) + 16 * input_bytes;
    b.wall_ms = 2000 * b.cpu_seconds + 1000;
    return b;
}

Result<std::string> run_in_child(const std::function<std::string()>& work, const Budget& budget) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{"", 0, 0, std::string("cannot start a parser: ") + std::strerror(errno)};
    std::size_t base = address_space();
    std::fflush(nullptr);  // nothing buffered is written twice
    pid_t pid = ::fork();
    if (pid < 0) {
        int err = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Error{"", 0, 0, std::string("cannot start a parser: ") + std::strerror(err)};
    }
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1], work, budget, base);
    }
    ::close(fds[1]);
    std::string data;
    std::int64_t deadline = monotonic_ms() + budget.wall_ms;
    bool late = false;
    for (;;) {
        std::int64_t left = deadline - monotonic_ms();
        if (left <= 0) {
            late = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc < 0 && errno == EINTR) continue;
        if (rc == 0) continue;  // the loop sees the deadline
        char buf[65536];
        ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (late) ::kill(pid, SIGKILL);
    int status = 0;
    pid_t waited;
    do {
        waited = ::waitpid(pid, &status, 0);
    } while (waited < 0 && errno == EINTR);
    std::string seconds = std::to_string(budget.cpu_seconds) + " s";
    if (late) return Error{"", 0, 0, "could not parse in time (over " + std::to_string(budget.wall_ms / 1000) + " s)"};
    // waitpid fails when SIGCHLD is ignored: the result then speaks alone.
    if (waited == pid && WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU || sig == SIGKILL) return Error{"", 0, 0, "could not parse in time (over " + seconds + " of CPU)"};
        return Error{"", 0, 0, "the parser crashed (signal " + std::to_string(sig) + ")"};
    }
    if (data.empty()) return Error{"", 0, 0, "the parser ended without an answer"};
    if (data[0] == 'M')
        return Error{"", 0, 0, "could not parse within " + std::to_string(budget.memory_bytes >> 20) + " MiB of memory"};
    if (data[0] == 'E') return Error{"", 0, 0, "the parser failed: " + data.substr(1)};
    std::size_t nl = data.find('\n');
    if (data[0] != 'O' || nl == std::string::npos || std::to_string(data.size() - nl - 1) != data.substr(1, nl - 1))
        return Error{"", 0, 0, "the parser ended without a complete answer"};
    return data.substr(nl + 1);
}

}  // namespace sentinel
