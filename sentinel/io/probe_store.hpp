#pragma once
// Writing the probe cache (core/reach/probe_cache.hpp) and pinning a server
// in the user's config.toml (`sentinel probe --pin`).

#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/result.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Adds `answers` (probe_key, what the server said) to the probe cache of
/// `vars` (probe_cache_path), keeping the newest kMaxProbeEntries: read,
/// merge, write to a temporary file (mode 0600) in the same directory
/// (created 0700), rename over. Concurrent writers may lose each other's
/// newest entry, never corrupt the file. Errors: no cache directory, or
/// writing failed.
Result<std::string> remember_probes(const Vars& vars, const std::vector<std::pair<std::string, ServerWord>>& answers);

/// Appends `entry` (identity_entry's text) to the user's config.toml
/// (config_paths().user), creating it (0600, its directory 0700) when missing.
/// Nothing the file holds is rewritten: comments, order and other keys stay
/// byte for byte. Refuses when the file does not parse before (fix it
/// first); when it does not parse after (an inline `identity = [...]`
/// cannot take a table), it is cut back to its former length. Returns the
/// path.
Result<std::string> append_identity(const Vars& vars, const std::string& entry);

}  // namespace sentinel
