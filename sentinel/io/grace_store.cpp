#include "sentinel/io/grace_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cstdio>
#include <ctime>

#include "sentinel/core/guard/grace.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/fs.hpp"

namespace sentinel {
namespace {

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

}  // namespace

std::string grace_store_path(const Vars& vars) {
    auto runtime = get(vars, "XDG_RUNTIME_DIR");
    if (runtime && !runtime->empty() && (*runtime)[0] == '/') return *runtime + "/sentinel/grace";
    std::string audit = audit_path(vars);
    auto slash = audit.rfind('/');
    return slash == std::string::npos ? "" : audit.substr(0, slash) + "/grace";
}

std::string grace_digest_here(const std::string& target) {
    GraceKey key;
    key.uid = static_cast<long>(getuid());
    key.tty = proc_stat_field(static_cast<long>(getpid()), 7);  // tty_nr: the controlling terminal
    key.session = static_cast<long>(getsid(0));
    key.session_start = proc_stat_field(key.session, 22);        // the session leader's start time
    key.target = target;
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

}  // namespace sentinel
