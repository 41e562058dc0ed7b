#include "sentinel/io/bar_feed.hpp"

#include "sentinel/core/pg/service_file.hpp"

#include "sentinel/io/agent_cache.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

LocalFeed::LocalFeed(Vars vars) : vars_(std::move(vars)) {}

std::optional<Display> LocalFeed::next() {
    bool first = !shown_.has_value();
    if (!first && watcher_.read_changes().empty()) return std::nullopt;
    std::set<std::string> paths;
    RecordingFileReader files(paths);
    Snapshot s = evaluate(vars_, files, {}, nullptr, current_directory(), &listeners_);
    for (const std::string& f : service_files(vars_)) paths.insert(f);
    if (paths != watched_) {
        watcher_.watch(paths);
        watched_ = std::move(paths);
    }
    Display content = make_display(s);
    if (shown_ && *shown_ == content) return std::nullopt;
    shown_ = content;
    return content;
}

}  // namespace sentinel
