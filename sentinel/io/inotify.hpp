#pragma once
// Watching the files sessions depend on, with inotify, event driven.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sentinel {

/// Watches a set of files, including files that do not exist yet and files
/// replaced by rename (`kubectl config use-context`, editors): it watches
/// directories, never files. For each wanted path it watches its parent
/// directory (events filtered by the file's name), the nearest existing
/// ancestor when the parent does not exist yet, and, for a symlink, the
/// directory of its target. Reacts to close-after-write, create, delete,
/// rename and attribute changes (chmod), not to each write().
class FileWatcher {
public:
    FileWatcher();
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    /// The inotify descriptor to poll (-1 when inotify is unavailable).
    int fd() const { return fd_; }

    /// Sets the absolute paths to watch; adds and removes directory watches
    /// to match. Cheap when nothing changed.
    void watch(const std::set<std::string>& paths);

    /// Reads every pending event and returns the wanted paths that may have
    /// changed (all of them after a queue overflow). Re-establishes watches
    /// whose directories appeared, vanished or moved.
    std::set<std::string> read_changes();

    /// Number of directories watched (tests, logs).
    std::size_t watched_dirs() const { return dir_wd_.size(); }

private:
    struct Interest {
        std::string name;  ///< event name that matters; "" for any
        std::string path;  ///< the wanted path it affects
    };
    static std::map<std::string, std::vector<Interest>> interests_for(const std::set<std::string>& paths);

    int fd_ = -1;
    std::set<std::string> wanted_;
    std::map<int, std::string> wd_dir_;
    std::map<std::string, int> dir_wd_;
    std::map<std::string, std::vector<Interest>> interests_;  ///< by directory
};

}  // namespace sentinel
