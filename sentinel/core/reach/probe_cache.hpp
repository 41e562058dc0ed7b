#pragma once
// What probed servers said, remembered per route, so that `sentinel status`,
// the prompt and the status line show it without asking again (a prompt
// never waits for a probe). The file is written by io/probe_cache.hpp; the
// core only reads its text. Pure.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// How many routes the cache keeps (the most recently asked).
inline constexpr std::size_t kMaxProbeEntries = 256;

/// One remembered answer.
struct ProbeEntry {
    ServerWord word;          ///< without pinned_tier (pins are matched again against the current config)
    std::int64_t time = 0;    ///< when it was asked, seconds since the epoch
};

/// The cache file: `$XDG_CACHE_HOME/sentinel/probes.json`, else
/// `$HOME/.cache/sentinel/probes.json`; "" when neither is absolute.
std::string probe_cache_path(const Vars& vars);

/// The route of `target` that an answer is remembered under: for pg the
/// host, hostaddr, port, dbname and user (`ALTER DATABASE` and `ALTER ROLE`
/// settings differ by them), for kube the API server; plus, for a traced
/// target, the identity of the listener at its address (a restarted
/// forwarder may lead elsewhere: its old answer no longer counts). "" for
/// env targets and targets with problems.
std::string probe_key(const Target& target);

/// Parses the cache file's text (JSON: {"version":1,"entries":{KEY:{...}}});
/// anything malformed gives an empty map (the cache is advisory).
std::map<std::string, ProbeEntry> parse_probe_cache(std::string_view text);

/// The text of a cache holding `entries` (at most kMaxProbeEntries, the
/// newest kept), ASCII JSON, one line.
std::string format_probe_cache(const std::map<std::string, ProbeEntry>& entries);

/// Applies the remembered answers to `targets`: each one whose probe_key
/// has an entry gets it through apply_server_word (tier raised, never
/// lowered; warnings added to `warnings`). The caller recomputes any
/// overall tier.
void apply_probe_cache(std::vector<Target>& targets, const Config& config,
                       const std::map<std::string, ProbeEntry>& entries, std::vector<std::string>& warnings);

}  // namespace sentinel
