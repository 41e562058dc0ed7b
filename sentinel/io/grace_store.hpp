#pragma once
// Where the guard remembers recent confirmations for a tier's grace period
// (`[tiers.NAME] grace`): a small file of digests (core/guard/grace.hpp),
// bound to this uid, terminal, session and the exact target.

#include <cstdint>
#include <string>

#include "sentinel/core/vars.hpp"

namespace sentinel {

/// `$XDG_RUNTIME_DIR/sentinel/grace` when XDG_RUNTIME_DIR is absolute, else
/// `grace` next to the audit log (io/audit.hpp); "" when neither is known.
std::string grace_store_path(const Vars& vars);

/// The grace digest of a confirmation of `target` (any string that changes
/// with what was confirmed) made here: this process's uid, controlling
/// terminal (/proc/self/stat tty_nr), session id and the session leader's
/// start time, so that another terminal, a new login on the same tty or
/// another target never matches (BAD_INPUTS.md row 27).
std::string grace_digest_here(const std::string& target);

/// True when the store of `vars` holds `digest` from less than `seconds`
/// ago (and not from the future: a clock moved back asks again). False when
/// `seconds` is 0 or the store cannot be read.
bool within_grace(const Vars& vars, const std::string& digest, std::int64_t seconds);

/// Adds `digest` now to the store of `vars`, dropping entries older than
/// `max_age` seconds. Written whole to a temporary file (0600, the
/// directory 0700) renamed over the store; a failure is silent (the next
/// command asks again).
void remember_grace(const Vars& vars, const std::string& digest, std::int64_t max_age);

}  // namespace sentinel
