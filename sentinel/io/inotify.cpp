#include "sentinel/io/inotify.hpp"

#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sentinel {
namespace {

constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |
                           IN_DELETE_SELF | IN_MOVE_SELF;

std::pair<std::string, std::string> split(const std::string& path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return {".", path};
    if (slash == 0) return {"/", path.substr(1)};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

bool is_dir(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

FileWatcher::FileWatcher() { fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

FileWatcher::~FileWatcher() {
    if (fd_ >= 0) ::close(fd_);
}

std::map<std::string, std::vector<FileWatcher::Interest>> FileWatcher::interests_for(
    const std::set<std::string>& paths) {
    std::map<std::string, std::vector<Interest>> out;
    for (const std::string& path : paths) {
        if (path.empty() || path[0] != '/') continue;
        auto [dir, name] = split(path);
        if (is_dir(dir)) {
            out[dir].push_back({name, path});
        } else {
            // Walk up to the nearest existing ancestor; any entry appearing
            // there may be the start of the path.
            std::string up = dir;
            while (!is_dir(up) && up != "/") up = split(up).first;
            out[up].push_back({"", path});
        }
        char real[PATH_MAX];
        if (::realpath(path.c_str(), real) && path != real) {
            auto [rdir, rname] = split(real);
            out[rdir].push_back({rname, path});
        }
    }
    return out;
}

void FileWatcher::watch(const std::set<std::string>& paths) {
    wanted_ = paths;
    // A directory created between choosing what to watch and adding the
    // watch would go unseen: choose again until the choice is stable.
    for (int round = 0; round < 8; ++round) {
        interests_ = interests_for(paths);
        if (fd_ < 0) return;
        for (auto it = dir_wd_.begin(); it != dir_wd_.end();) {
            if (interests_.count(it->first)) {
                ++it;
                continue;
            }
            ::inotify_rm_watch(fd_, it->second);
            wd_dir_.erase(it->second);
            it = dir_wd_.erase(it);
        }
        for (const auto& [dir, list] : interests_) {
            int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask | IN_ONLYDIR);
            if (wd < 0) continue;
            auto old = dir_wd_.find(dir);
            if (old != dir_wd_.end() && old->second != wd) wd_dir_.erase(old->second);
            dir_wd_[dir] = wd;
            wd_dir_[wd] = dir;
        }
        auto again = interests_for(paths);
        bool same = again.size() == interests_.size();
        for (auto a = again.begin(), b = interests_.begin(); same && a != again.end(); ++a, ++b)
            same = a->first == b->first && a->second.size() == b->second.size();
        if (same) return;
    }
}

std::set<std::string> FileWatcher::read_changes() {
    std::set<std::string> changed;
    if (fd_ < 0) return changed;
    bool rewatch = false;
    alignas(inotify_event) char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                changed.insert(wanted_.begin(), wanted_.end());
                rewatch = true;
                continue;
            }
            if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) rewatch = true;
            auto dir = wd_dir_.find(ev->wd);
            if (dir == wd_dir_.end()) continue;
            std::string name = ev->len ? std::string(ev->name) : std::string();
            if (ev->mask & IN_ISDIR) rewatch = true;
            auto it = interests_.find(dir->second);
            if (it == interests_.end()) continue;
            for (const Interest& interest : it->second) {
                if (interest.name.empty() || interest.name == name || name.empty()) {
                    changed.insert(interest.path);
                    // A symlink or a missing directory may have changed shape.
                    if (interest.name.empty() || (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE))) rewatch = true;
                }
            }
        }
    }
    if (rewatch || !changed.empty()) watch(wanted_);
    return changed;
}

}  // namespace sentinel
