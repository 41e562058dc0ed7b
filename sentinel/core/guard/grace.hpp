#pragma once
// The optional grace period: after a confirmation, the same person in the
// same terminal session acting on the exact same target is not asked again
// for a while (issue 5 item 2; BAD_INPUTS.md row 27). The length is the
// tier's `grace` in config.toml: 0 by default, so off for production.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// What a grace entry is bound to: the uid, the terminal, the session (its
/// id and its leader's start time, so a new login on the same tty differs)
/// and the exact target (fingerprint() of the snapshot plus the pin).
struct GraceKey {
    long uid = -1;
    std::string tty;
    long session = -1;
    std::string session_start;
    std::string target;
};

/// A stable 64-bit FNV-1a digest of every part of `key`, as 16 hex digits,
/// so the store holds no target names.
std::string grace_digest(const GraceKey& key);

/// One stored confirmation: digest and the Unix time it was given.
struct GraceEntry {
    std::string digest;
    std::int64_t confirmed_at = 0;
};

/// True when `entries` hold `digest` confirmed at most `seconds` ago at
/// `now`. An entry from the future (the clock moved back) does not count;
/// `seconds` <= 0 never allows.
bool grace_allows(const std::vector<GraceEntry>& entries, const std::string& digest, std::int64_t now,
                  std::int64_t seconds);

/// Parses the store ("DIGEST TIME" lines; malformed lines skipped).
std::vector<GraceEntry> parse_grace_store(std::string_view text);

/// The store after recording `digest` at `now`: entries older than
/// `max_age` seconds or from the future dropped, an older entry of the
/// same digest replaced.
std::string format_grace_store(const std::vector<GraceEntry>& entries, const std::string& digest, std::int64_t now,
                               std::int64_t max_age);

}  // namespace sentinel
