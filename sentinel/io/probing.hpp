#pragma once
// Asking the server behind a snapshot's targets and applying the answer:
// shared by `sentinel probe` and the guard.

#include <string>

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// Applies `word` to every target of `kind` in `snapshot`
/// (apply_server_word: tiers raised, never lowered), recomputes the overall
/// tier, and, with `remember`, keeps it in the probe cache under each
/// target's probe_key (a cache that cannot be written adds a warning).
void apply_probe(Snapshot& snapshot, Kind kind, const ServerWord& word, const Vars& vars, bool remember = true);

/// True when a target of `snapshot` wants a probe before the guard decides
/// (wants_probe under its config).
bool any_wants_probe(const Snapshot& snapshot, Kind kind);

}  // namespace sentinel
