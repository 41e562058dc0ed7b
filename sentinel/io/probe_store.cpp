#include "sentinel/io/probe_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/reach/probe_cache.hpp"
#include "sentinel/io/fs.hpp"

namespace sentinel {
namespace {

std::string parent_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

// mkdir -p for the last two components (".../sentinel" under a cache or
// config home that may not exist yet), the last one 0700.
bool make_dirs(const std::string& dir) {
    std::string up = parent_of(dir);
    if (!up.empty() && ::mkdir(up.c_str(), 0700) != 0 && errno != EEXIST) return false;
    return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Result<std::string> remember_probes(const Vars& vars, const std::vector<std::pair<std::string, ServerWord>>& answers) {
    std::string path = probe_cache_path(vars);
    if (path.empty()) return Error{"", 0, 0, "no cache directory (set HOME or XDG_CACHE_HOME)"};
    if (!make_dirs(parent_of(path))) return Error{parent_of(path), 0, 0, std::strerror(errno)};
    FileRead current = PosixFileReader().read(path);
    auto entries = current.status == FileRead::Status::ok ? parse_probe_cache(current.data)
                                                           : std::map<std::string, ProbeEntry>{};
    for (const auto& [key, word] : answers) {
        if (key.empty()) continue;
        ProbeEntry e;
        e.word = word;
        e.word.pinned_tier.clear();
        e.word.pin_origin.clear();
        e.time = static_cast<std::int64_t>(std::time(nullptr));
        entries[key] = std::move(e);
    }
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Error{tmp, 0, 0, std::strerror(errno)};
    bool ok = write_all(fd, format_probe_cache(entries));
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        return Error{path, 0, 0, std::strerror(saved)};
    }
    return path;
}

Result<std::string> append_identity(const Vars& vars, const std::string& entry) {
    std::string path = config_paths(vars).user;
    if (path.empty()) return Error{"", 0, 0, "no config file location (set HOME or XDG_CONFIG_HOME)"};
    if (!make_dirs(parent_of(path))) return Error{parent_of(path), 0, 0, std::strerror(errno)};
    FileRead before = PosixFileReader().read(path);
    if (before.status == FileRead::Status::error) return Error{path, 0, 0, before.reason};
    if (before.status == FileRead::Status::ok) {
        auto parsed = parse_config(before.data, path, false);
        if (!parsed) return Error{"", 0, 0, parsed.error().to_string() + " (fix it before pinning)"};
    }
    std::string text = entry;
    if (!before.data.empty() && before.data.back() != '\n') text = "\n" + text;
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Error{path, 0, 0, std::strerror(errno)};
    bool ok = write_all(fd, text);
    if (ok) {
        FileRead after = PosixFileReader().read(path);
        auto parsed = after.status == FileRead::Status::ok ? parse_config(after.data, path, false)
                                                           : Result<ConfigFile>(Error{path, 0, 0, after.reason});
        if (!parsed) {
            (void)!::ftruncate(fd, static_cast<off_t>(before.data.size()));
            ::close(fd);
            return Error{"", 0, 0, parsed.error().to_string() + " (the entry was not kept)"};
        }
    }
    int saved = errno;
    if (::close(fd) != 0 || !ok) return Error{path, 0, 0, std::strerror(ok ? errno : saved)};
    return path;
}

}  // namespace sentinel
