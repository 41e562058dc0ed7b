#pragma once
// Putting an undo copy back (`sentinel undo restore`): rows through libpq in
// one transaction (core/undo/restore.hpp), a dropped table through psql
// running pg_dump's script in one transaction.

#include <string>

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/undo/manifest.hpp"

namespace sentinel {

/// What a restore did.
struct RestoreReport {
    int exit_code = 0;         ///< 0 all put back; 1 conflicts left rows out, a part refused, or an error
    std::string text;          ///< lines for the person (sanitized)
};

/// Restores `manifest` from `dir` on `connection`. With `dry_run` the
/// transaction is rolled back after counting (a dropped table is only
/// checked). `psql` runs a DROP TABLE part's dump.
RestoreReport restore_undo(const Manifest& manifest, const std::string& dir, const PinnedConnection& connection,
                           const std::string& conninfo, bool force, bool dry_run, const std::string& psql);

}  // namespace sentinel
