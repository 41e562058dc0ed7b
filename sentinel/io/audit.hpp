#pragma once
// The audit log on disk: $XDG_STATE_HOME/sentinel/audit.jsonl.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/guard/audit.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// `$XDG_STATE_HOME/sentinel/audit.jsonl`, XDG_STATE_HOME defaulting to
/// `$HOME/.local/state`; "" when neither is set.
std::string audit_path(const Vars& vars);

/// Appends `line` (one record ending in "\n") to `path` with a single
/// write(2) on an O_APPEND descriptor, creating the directory (0700) and
/// the file (0600) when missing; never follows a symlink for the file and
/// refuses, without waiting, anything but a regular file (a FIFO). A
/// short write is truncated away, so the log never holds a partial record.
/// Returns an error message ("audit log /x: No space left on device"), or
/// nullopt on success.
std::optional<std::string> append_audit(const std::string& path, const std::string& line);

/// The last `count` lines of the log (oldest first); empty when it is
/// missing. Reads at most the last 4 MiB.
std::vector<std::string> read_audit_tail(const std::string& path, std::size_t count);

/// A record with the time, user, uid, pid and terminal of this process
/// filled in; the caller adds target, action and decision.
AuditRecord audit_context();

/// Formats and appends `record` to the log of `vars`. On failure prints
/// `sentinel: warning: audit record not written: ...` to stderr and
/// returns false when `required` (config.toml `audit = "required"`: the
/// caller refuses, BAD_INPUTS.md row 30), true otherwise (best-effort: warn
/// loudly and go ahead).
bool write_audit(const Vars& vars, const AuditRecord& record, bool required);

}  // namespace sentinel
