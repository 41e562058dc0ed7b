#pragma once
// Running a confirmed psql command with its undo copy (core/undo/plan.hpp):
// the copy's directory, psql as a child with the sinks' environment, and,
// once psql has exited, the manifest, the one line naming the copy and the
// audit record. psql's own output, row counts and exit status reach the
// person unchanged; only a copy that could not be written changes the exit
// status (77, nothing was changed).

#include <string>
#include <vector>

#include "sentinel/core/config/undo.hpp"
#include "sentinel/core/guard/audit.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/undo/manifest.hpp"
#include "sentinel/core/undo/plan.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Everything the run needs besides the plan.
struct UndoRun {
    PinnedCommand psql;           ///< pin_psql of the command without its SQL arguments
    PinnedCommand original;       ///< the confirmed command as it is, run when best-effort keeps no copy
    std::size_t insert_at = 0;    ///< where undo_psql_args go in psql.argv (before the pinned -d)
    bool quiet = false;           ///< psql -q
    UndoMode mode = UndoMode::required;
    std::int64_t max_bytes = 1LL << 30;
    int keep_days = 30;
    std::string conninfo;         ///< the pinned -d conninfo (no password), for pg_dump
    std::string pg_dump;          ///< pg_dump beside psql, "" when none
    std::int64_t estimated_bytes = 0;  ///< the preview's estimate of the copy (0: unknown); checked against free space
    Manifest manifest;            ///< time, user, tty, tier, target, connection, statements filled in
    AuditRecord audit;            ///< the confirmation's record, reused for the copy's
    bool audit_required = false;
    Vars vars;
};

/// Runs psql with the plan's copies. Returns psql's exit code, or 77 when
/// a copy could not be written under undo = "required" (the statement did
/// not run), or when the copy's directory cannot be made.
int run_with_undo(const UndoPlan& plan, UndoRun run);

}  // namespace sentinel
