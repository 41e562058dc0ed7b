#include "sentinel/io/audit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "sentinel/io/tty.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

constexpr off_t kTailBytes = 4 << 20;

// mkdir -p with mode 0700 for the directories it creates.
bool make_dirs(const std::string& dir) {
    if (dir.empty()) return false;
    struct stat st;
    if (stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
    auto slash = dir.rfind('/');
    if (slash != std::string::npos && slash > 0 && !make_dirs(dir.substr(0, slash))) return false;
    return mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

}  // namespace

std::string audit_path(const Vars& vars) {
    auto state = get(vars, "XDG_STATE_HOME");
    if (state && !state->empty() && (*state)[0] == '/') return *state + "/sentinel/audit.jsonl";
    auto home = get(vars, "HOME");
    if (home && !home->empty()) return *home + "/.local/state/sentinel/audit.jsonl";
    return "";
}

std::optional<std::string> append_audit(const std::string& path, const std::string& line) {
    if (path.empty()) return std::string("audit log: neither XDG_STATE_HOME nor HOME is set");
    auto slash = path.rfind('/');
    if (slash != std::string::npos && !make_dirs(path.substr(0, slash)))
        return "audit log " + path + ": cannot create its directory: " + std::strerror(errno);
    // O_NONBLOCK: opening a FIFO for writing would wait for a reader
    // forever; it fails at once (ENXIO) or opens, and fstat then refuses it.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0600);
    if (fd < 0 && errno == ENXIO) return "audit log " + path + ": not a regular file";
    if (fd < 0) return "audit log " + path + ": " + std::strerror(errno);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return "audit log " + path + ": not a regular file";
    }
    ssize_t n;
    do {
        n = ::write(fd, line.data(), line.size());
    } while (n < 0 && errno == EINTR);
    int err = errno;
    std::optional<std::string> result;
    if (n < 0) {
        result = "audit log " + path + ": " + std::strerror(err);
    } else if (static_cast<std::size_t>(n) != line.size()) {
        // Take the partial record back out: the file offset is its end.
        off_t end = lseek(fd, 0, SEEK_CUR);
        if (end >= n && ftruncate(fd, end - n) != 0) { /* nothing more can be done */ }
        result = "audit log " + path + ": short write (disk full?)";
    } else if (fsync(fd) != 0 && errno != EINVAL) {
        result = "audit log " + path + ": " + std::strerror(errno);
    }
    ::close(fd);
    return result;
}

std::vector<std::string> read_audit_tail(const std::string& path, std::size_t count) {
    std::vector<std::string> lines;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return lines;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return lines;
    }
    off_t start = st.st_size > kTailBytes ? st.st_size - kTailBytes : 0;
    std::string data;
    data.resize(static_cast<std::size_t>(st.st_size - start));
    ssize_t got = pread(fd, data.data(), data.size(), start);
    ::close(fd);
    if (got < 0) return lines;
    data.resize(static_cast<std::size_t>(got));
    std::size_t pos = 0;
    if (start > 0) pos = data.find('\n') == std::string::npos ? data.size() : data.find('\n') + 1;
    while (pos < data.size()) {
        std::size_t nl = data.find('\n', pos);
        std::string line = data.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (!line.empty()) lines.push_back(std::move(line));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<long>(count));
    return lines;
}

AuditRecord audit_context() {
    AuditRecord r;
    r.time = static_cast<std::int64_t>(std::time(nullptr));
    r.uid = static_cast<long>(getuid());
    r.pid = static_cast<long>(getpid());
    if (const passwd* pw = getpwuid(getuid())) r.user = pw->pw_name;
    r.tty = controlling_tty_name();
    return r;
}

bool write_audit(const Vars& vars, const AuditRecord& record, bool required) {
    auto error = append_audit(audit_path(vars), format_audit_record(record));
    if (!error) return true;
    std::fprintf(stderr, "sentinel: warning: audit record not written: %s%s\n", sanitize(*error).c_str(),
                 required ? " (audit = \"required\" in config.toml: refusing)" : "");
    return !required;
}

}  // namespace sentinel
