#pragma once
// A small inotify watcher for `sentinel bar` when it runs on its own (no
// agent): it tells when any of a set of files may have changed, including
// files replaced by rename (`kubectl config use-context`) and files that do
// not exist yet. It watches directories (inotify(7)), never the files.

#include <map>
#include <set>
#include <string>

namespace sentinel {

/// Watches the directories of a set of absolute paths.
class PathWatcher {
public:
    PathWatcher();
    ~PathWatcher();
    PathWatcher(const PathWatcher&) = delete;
    PathWatcher& operator=(const PathWatcher&) = delete;

    /// The inotify descriptor to poll; -1 when inotify is unavailable.
    int fd() const { return fd_; }

    /// Watches `paths`: for each, its parent directory, or the nearest
    /// existing ancestor when the parent does not exist yet. Replaces the
    /// previous set.
    void watch(const std::set<std::string>& paths);

    /// Reads the pending events (never blocks). True when one of them may
    /// concern a watched path (a close after write, create, delete, rename or
    /// chmod of it or of a missing directory on its way; or a queue
    /// overflow).
    bool read_changes();

private:
    int fd_ = -1;
    std::map<int, std::set<std::string>> names_;  ///< watch descriptor → names that matter in it
};

}  // namespace sentinel
