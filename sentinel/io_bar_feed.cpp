#include "sentinel/io_bar_feed.hpp"

#include "sentinel/io_fs.hpp"
#include "sentinel/snapshot.hpp"

namespace sentinel {
namespace {

// Reads through the real file system and remembers every path asked for,
// found or not: the files a snapshot depends on.
class RecordingReader : public FileReader {
public:
    FileRead read(const std::string& path) const override {
        paths.insert(path);
        return disk_.read(path);
    }
    mutable std::set<std::string> paths;

private:
    PosixFileReader disk_;
};

}  // namespace

LocalFeed::LocalFeed(Vars vars) : vars_(std::move(vars)) {}

std::optional<LineContent> LocalFeed::next() {
    bool first = !shown_.has_value();
    if (!first && !watcher_.read_changes()) return std::nullopt;
    RecordingReader files;
    Snapshot s = evaluate(vars_, files, {});
    std::set<std::string> paths = files.paths;
    if (auto f = get(vars_, "PGSERVICEFILE"); f && !f->empty()) paths.insert(*f);
    else if (auto home = get(vars_, "HOME"); home && !home->empty()) paths.insert(*home + "/.pg_service.conf");
    if (auto d = get(vars_, "PGSYSCONFDIR"); d && !d->empty()) paths.insert(*d + "/pg_service.conf");
    if (paths != watched_) {
        watcher_.watch(paths);
        watched_ = std::move(paths);
    }
    LineContent content = line_content(s);
    if (shown_ && *shown_ == content) return std::nullopt;
    shown_ = content;
    return content;
}

}  // namespace sentinel
