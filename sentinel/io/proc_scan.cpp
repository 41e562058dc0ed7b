#include "sentinel/io/proc_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sentinel {
namespace {

constexpr std::size_t kMaxProcFile = 1u << 20;  // cmdline, environ: a bound

// Reads a /proc file whole (at most kMaxProcFile bytes); nullopt when it
// cannot be opened.
std::optional<std::string> read_proc(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string data;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > kMaxProcFile) break;
    }
    ::close(fd);
    return data;
}

std::vector<std::string> split_nul(const std::string& data) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < data.size()) {
        std::size_t end = data.find('\0', start);
        if (end == std::string::npos) end = data.size();
        out.push_back(data.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// getdents64 entries of an open directory, calling f(name) for each.
template <class F>
void each_entry(int dirfd, F&& f) {
    alignas(8) char buf[16384];
    for (;;) {
        long n = ::syscall(SYS_getdents64, dirfd, buf, sizeof buf);
        if (n <= 0) return;
        for (long off = 0; off < n;) {
            auto* d = reinterpret_cast<struct dirent64*>(buf + off);
            off += d->d_reclen;
            if (d->d_name[0] != '.' && !f(d->d_name)) return;
        }
    }
}

}  // namespace

std::vector<long> list_pids() {
    std::vector<long> pids;
    int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return pids;
    each_entry(dir, [&](const char* name) {
        if (name[0] >= '1' && name[0] <= '9') pids.push_back(std::strtol(name, nullptr, 10));
        return true;
    });
    ::close(dir);
    long last = 0;
    if (auto loadavg = read_proc("/proc/loadavg"))
        if (auto space = loadavg->find_last_of(' '); space != std::string::npos)
            last = std::strtol(loadavg->c_str() + space + 1, nullptr, 10);
    std::sort(pids.begin(), pids.end(), [last](long a, long b) {
        bool a_new = a <= last, b_new = b <= last;
        if (a_new != b_new) return a_new;
        return a > b;
    });
    return pids;
}

HolderSearch find_socket_holder(std::uint64_t inode, const std::vector<long>& pids, SocketIndex* index) {
    HolderSearch out;
    char want[48];
    int want_len = std::snprintf(want, sizeof want, "socket:[%llu]", static_cast<unsigned long long>(inode));
    int proc = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0) {
        out.some_hidden = true;
        return out;
    }
    char path[48];
    for (long pid : pids) {
        std::snprintf(path, sizeof path, "%ld/fd", pid);
        int fds = ::openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fds < 0) {
            if (errno == EACCES || errno == EPERM) out.some_hidden = true;
            continue;
        }
        out.scanned.push_back(pid);
        each_entry(fds, [&](const char* name) {
            char link[64];
            ssize_t n = ::readlinkat(fds, name, link, sizeof link);
            if (n == want_len && std::memcmp(link, want, static_cast<std::size_t>(n)) == 0) {
                out.holder = SocketHolder{pid, name};
                return false;
            }
            if (index && n > 9 && std::memcmp(link, "socket:[", 8) == 0)
                index->emplace(std::strtoull(link + 8, nullptr, 10), SocketHolder{pid, name});
            return true;
        });
        ::close(fds);
        if (out.holder) break;
    }
    ::close(proc);
    return out;
}

bool still_holds(const SocketHolder& holder, std::uint64_t inode) {
    std::string path = "/proc/" + std::to_string(holder.pid) + "/fd/" + holder.fd;
    char link[64];
    ssize_t n = ::readlink(path.c_str(), link, sizeof link - 1);
    if (n <= 0) return false;
    return std::string(link, static_cast<std::size_t>(n)) == "socket:[" + std::to_string(inode) + "]";
}

std::uint64_t process_start_time(long pid) {
    auto stat = read_proc("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return 0;
    // Fields after the command name, which is in parentheses and may hold
    // spaces or parentheses itself: count from the last ')'.
    std::size_t close = stat->rfind(')');
    if (close == std::string::npos) return 0;
    std::size_t pos = close + 2;  // field 3
    for (int field = 3; field < 22 && pos < stat->size(); ++field) {
        pos = stat->find(' ', pos);
        if (pos == std::string::npos) return 0;
        ++pos;
    }
    return std::strtoull(stat->c_str() + pos, nullptr, 10);
}

void read_process(long pid, Listener& l) {
    std::string base = "/proc/" + std::to_string(pid);
    l.seen = Listener::Seen::process;
    l.pid = pid;
    l.start_time = process_start_time(pid);
    if (auto cmdline = read_proc(base + "/cmdline")) l.argv = split_nul(*cmdline);
    if (auto environ = read_proc(base + "/environ")) {
        l.env_known = true;
        for (const std::string& entry : split_nul(*environ)) {
            std::size_t eq = entry.find('=');
            if (eq == std::string::npos) continue;
            std::string name = entry.substr(0, eq);
            for (const std::string& wanted : listener_env_names())
                if (name == wanted) l.env[name] = entry.substr(eq + 1);
        }
    }
    char cwd[4096];
    ssize_t n = ::readlink((base + "/cwd").c_str(), cwd, sizeof cwd - 1);
    if (n > 0) l.cwd.assign(cwd, static_cast<std::size_t>(n));
}

std::vector<ProcessCommand> processes_of_uid(long uid, std::size_t limit, bool& complete) {
    std::vector<ProcessCommand> out;
    complete = true;
    for (long pid : list_pids()) {
        struct stat st;
        std::string base = "/proc/" + std::to_string(pid);
        if (::stat(base.c_str(), &st) != 0 || static_cast<long>(st.st_uid) != uid) continue;
        if (out.size() >= limit) {
            complete = false;
            break;
        }
        auto cmdline = read_proc(base + "/cmdline");
        if (!cmdline) {
            complete = false;
            continue;
        }
        if (cmdline->empty()) continue;  // a kernel thread or a zombie: holds no socket
        out.push_back({pid, split_nul(*cmdline)});
    }
    return out;
}

}  // namespace sentinel
