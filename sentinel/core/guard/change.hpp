#pragma once
// What changed between the target a person confirmed and the target found
// once they had answered: the guard refuses such an answer and says what
// moved, from what to what, so the person runs the command again knowing
// where it goes now (BAD_INPUTS.md row 34). Pure.

#include <string>

#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// The differences between `before` (asked about) and `after` (evaluated
/// again after the answer), in words, sanitized, on one line: for each kind,
/// the i-th target of that kind in `before` is compared with the i-th in
/// `after`; each differing field as `kube context "prod-eu" → "kind-dev"`
/// (a missing value shown as `(none)`, each value elided to 60 columns), a
/// differing tier as `tier production → local`, a target only on one side
/// as `pg target "orders@db1" is gone` or `... appeared`; parts joined by
/// "; ". When no target differs: `tier A → B` for the overall tier, else
/// "the connection settings changed" (the settled options or password of a
/// psql connection: their values are never shown).
std::string describe_change(const Snapshot& before, const Snapshot& after);

}  // namespace sentinel
