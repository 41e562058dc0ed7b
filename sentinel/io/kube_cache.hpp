#pragma once
// A disk cache of parsed kubeconfigs, so that `sentinel status` on a large
// kubeconfig (5,000 contexts, 9 MB) does not parse it again while it is
// unchanged.

#include <string>

#include "sentinel/core/kube/kubeconfig.hpp"

namespace sentinel {

/// Loads kubeconfigs through a cache keyed by the file's identity: path,
/// device, inode, size, mtime and ctime (nanoseconds), as git's index keys
/// its stat data. A file changed less than 2 seconds ago is parsed but not
/// cached, because a rewrite within the file system's timestamp granularity
/// could keep its identity. Entries hold only what parse_kubeconfig keeps
/// (names, servers, positions), never credentials. Errors are not cached.
/// Every cache problem (unwritable directory, corrupt entry) falls back to
/// parsing silently.
class CachingKubeconfigLoader : public KubeconfigLoader {
public:
    /// `dir` is the cache directory (created 0700 if missing); an empty
    /// `dir`, or one not owned by the user or open to others, disables the
    /// cache.
    CachingKubeconfigLoader(const FileReader& files, std::string dir);
    LoadedKubeconfig load(const std::string& path) const override;

private:
    ParsingKubeconfigLoader parsing_;
    const FileReader& files_;
    std::string dir_;
};

/// The cache directory for `vars`: `$XDG_CACHE_HOME/sentinel`, else
/// `$HOME/.cache/sentinel` (XDG Base Directory Specification); "" when
/// neither is set to an absolute path.
std::string kube_cache_dir(const Vars& vars);

}  // namespace sentinel
