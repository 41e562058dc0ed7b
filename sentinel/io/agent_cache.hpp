#pragma once
// The agent's evaluations, cached by the variables that decide them and
// validated by the identity of every file they read, so that a prompt costs
// the same with 3 or 5,000 contexts: a file is parsed again only when it
// changed (inotify) or its identity differs.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/vars.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/statusline.hpp"
#include "sentinel/io/listeners.hpp"

namespace sentinel {

/// What identifies one version of a file: (device, inode, size, mtime,
/// ctime, mode), or its absence.
struct FileIdentity {
    bool exists = false;
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    mode_t mode = 0;
    bool operator==(const FileIdentity&) const = default;
};

/// stat(2) of `path` as a FileIdentity (following symlinks, like the reader).
/// A directory (a repository's `.git`, terraform's data directory) is
/// identified by device, inode and type only: what it holds changes at every
/// git command and does not change what it stands for.
FileIdentity identify(const std::string& path);

/// What an evaluation depends on besides files: the reported variables and
/// the shell's working directory (dotenv files, terraform's directory).
struct EvalKey {
    Vars vars;
    std::string cwd;
    auto operator<=>(const EvalKey&) const = default;
};

/// A FileIdentity as text, equal for equal identities:
/// "dev:ino:size:mtime_ns:ctime_ns:mode" in decimal, "-" for a missing file.
/// AHEAD frames carry it (core/display/prompt.hpp), so that a relay can
/// tell whether a file changed since the state it holds was evaluated.
std::string identity_text(const FileIdentity& identity);

/// One evaluation: what it shows, which variables shells must report under
/// its config, and the files and listeners it depends on with their
/// identities.
struct Evaluation {
    Display display;                              ///< make_display(): what every sink draws (core/display/model.hpp)
    View view;                                    ///< the prompt's variables, drawn from `display`
    std::vector<std::string> names;               ///< reported_names(config)
    DisplaySettings settings;                     ///< `[display]` of the same config (Config::display)
    std::map<std::string, FileIdentity> files;    ///< every file read or looked for
    std::vector<std::pair<Endpoint, std::string>> listeners;  ///< every endpoint traced, with lookup_fingerprint() of what listened
    /// With `probe_background = true`: a psql command line (`psql -d
    /// CONNINFO`) for each pg target the guard would probe (wants_probe)
    /// whose answer is not remembered yet, keyed by its probe_key.
    std::vector<std::pair<std::string, std::vector<std::string>>> probe_wishes;
    std::string error;                            ///< why it failed (failed_evaluation); never cached
};

/// The evaluation of a session whose evaluation threw (`what`, an
/// allocation failure): tier unknown under the built-in configuration,
/// with `what` as a warning. Not cached: the next prompt evaluates again.
Evaluation failed_evaluation(const std::string& what);

/// Evaluates `key` (a session's variables and working directory) on the
/// real file system: evaluate() (core/snapshot.hpp) with the identity-keyed
/// kubeconfig cache, tracing loopback targets through `listeners` (owned by
/// the calling thread), then the display model, the prompt's view and the
/// files read with their identities. The identities of `known_files` (the
/// previous evaluation's) are taken before reading, so that a change during
/// the read shows as a different identity afterwards. Runs on the agent's
/// worker thread (io/eval_worker.hpp); touches no agent state.
Evaluation evaluate_session_vars(const EvalKey& key, const std::set<std::string>& known_files,
                                 const SystemListeners& listeners);

/// Evaluations keyed by the reported variables and the working directory.
class EvalCache {
public:
    /// The cached evaluation for `key` when it was not invalidated, every
    /// file still has the same identity and every traced endpoint the same
    /// listeners (a netlink dump and a readlink per listener); nullptr otherwise (evaluate again,
    /// off the loop: io/eval_worker.hpp).
    std::shared_ptr<const Evaluation> find(const EvalKey& key);

    /// Stores a new evaluation of `key` and returns it.
    std::shared_ptr<const Evaluation> store(const EvalKey& key, Evaluation evaluation);

    /// The files of the cached evaluation of `key` (known_files of
    /// evaluate_session_vars), none when there is none.
    std::set<std::string> files_of(const EvalKey& key) const;

    /// find(), else evaluate_session_vars() here and store(): for callers
    /// that may block (tests, `sentinel bar`). Valid until the next call
    /// that modifies the cache.
    const Evaluation& get(const Vars& vars, const std::string& cwd = {});

    /// Marks every evaluation depending on one of `paths` stale; returns
    /// true when one was.
    bool invalidate(const std::set<std::string>& paths);

    /// True when the evaluation of `vars` in `cwd` is cached and depends on
    /// a path of `paths`.
    bool depends(const Vars& vars, const std::set<std::string>& paths, const std::string& cwd = {}) const;

    /// Drops evaluations whose key is not in `in_use`, keeping at most
    /// `keep` unused ones (the most recently evaluated are kept).
    void retain(const std::set<EvalKey>& in_use, std::size_t keep = 16);

    /// Every file any cached evaluation depends on (to watch).
    std::set<std::string> files() const;

    /// Number of evaluations stored so far (tests, logs).
    std::uint64_t evaluations() const { return evaluations_; }

    /// The listener source every evaluation of the agent shares (its
    /// per-socket memory makes an unchanged listener cheap).
    const SystemListeners& listeners() const { return listeners_; }

private:
    struct Entry {
        std::shared_ptr<const Evaluation> eval;
        std::uint64_t used = 0;
        bool stale = false;  ///< a watched file changed
    };
    std::map<EvalKey, Entry> entries_;
    SystemListeners listeners_;
    std::uint64_t clock_ = 0;
    std::uint64_t evaluations_ = 0;
};

}  // namespace sentinel
