#include "sentinel/io_bar_watch.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace sentinel {
namespace {

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |
                             IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool is_dir(const std::string& path) {
    struct stat st{};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

PathWatcher::PathWatcher() : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

PathWatcher::~PathWatcher() {
    if (fd_ >= 0) ::close(fd_);
}

void PathWatcher::watch(const std::set<std::string>& paths) {
    if (fd_ < 0) return;
    for (const auto& [wd, names] : names_) inotify_rm_watch(fd_, wd);
    names_.clear();
    for (const std::string& path : paths) {
        if (path.empty() || path[0] != '/') continue;
        // Climb to the nearest existing directory; the name that matters in
        // it is the next component of the path.
        std::size_t end = path.rfind('/');
        std::string name = path.substr(end + 1);
        while (end > 0 && !is_dir(path.substr(0, end))) {
            std::size_t up = path.rfind('/', end - 1);
            name = path.substr(up + 1, end - up - 1);
            end = up;
        }
        const std::string dir = end == 0 ? std::string("/") : path.substr(0, end);
        int wd = inotify_add_watch(fd_, dir.c_str(), kEvents);
        if (wd < 0) continue;
        names_[wd].insert(name);
    }
}

bool PathWatcher::read_changes() {
    if (fd_ < 0) return false;
    bool changed = false;
    alignas(struct inotify_event) char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<struct inotify_event*>(p);
            p += sizeof(struct inotify_event) + ev->len;
            if (ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                changed = true;
                continue;
            }
            auto it = names_.find(ev->wd);
            if (it != names_.end() && ev->len > 0 && it->second.count(ev->name)) changed = true;
        }
    }
    return changed;
}

}  // namespace sentinel
