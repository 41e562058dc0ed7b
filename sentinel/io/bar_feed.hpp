#pragma once
// Where `sentinel bar` gets the line it draws: a source that is polled for
// readability (never on a timer) and, when readable, says what to show.

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "sentinel/io/inotify.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/core/display/statusline.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// A source of status line content.
class BarFeed {
public:
    virtual ~BarFeed() = default;
    /// The descriptor to poll for input; -1 when the content never changes.
    virtual int fd() const = 0;
    /// Called once at the start and whenever fd() is readable: the content
    /// to show now, or nullopt when it did not change.
    virtual std::optional<Display> next() = 0;
    /// False once the source has ended (the agent went away); the bar exits.
    virtual bool alive() const { return true; }
};

/// The bar on its own: evaluates this process's environment in-process
/// (the same evaluate() as `sentinel status`) and re-evaluates when a file
/// it read may have changed (every file the core read through the
/// FileReader, kubeconfigs and config files included, plus the pg service
/// files libpq reads, service_files(), core/pg/service_file.hpp), watched with the agent's
/// FileWatcher.
class LocalFeed : public BarFeed {
public:
    explicit LocalFeed(Vars vars);
    int fd() const override { return watcher_.fd(); }
    std::optional<Display> next() override;

    /// The paths watched after the latest evaluation (tests).
    const std::set<std::string>& watched() const { return watched_; }

private:
    Vars vars_;
    FileWatcher watcher_;
    SystemListeners listeners_;  // loopback targets traced (core/reach/trace.hpp), listeners remembered
    std::set<std::string> watched_;
    std::optional<Display> shown_;
};

}  // namespace sentinel
