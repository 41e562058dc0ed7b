#pragma once
// `sentinel undo sink KIND PART`: the program psql's `\copy ... to program`
// runs inside the guarded transaction (core/undo/plan.hpp). It writes what
// psql hands it into the undo directory and exits 0 only once the file is
// durable (fsync); any other exit makes psql's \copy fail, and
// ON_ERROR_STOP then stops the statement from running.
//
// Environment (set by the guard on psql, inherited through psql's shell):
// SENTINEL_UNDO_DIR, SENTINEL_UNDO_MAX_BYTES, SENTINEL_UNDO_MODE
// ("required" or "best-effort": a failure drains the input and exits 0),
// SENTINEL_UNDO_STATUS_FD (a pipe to the guard: one line per part,
// "ok PART ROWS BYTES SHA256", "fail PART REASON" or "skip PART REASON"),
// and for KIND dump SENTINEL_UNDO_PG_DUMP and SENTINEL_UNDO_CONNINFO.

#include <string>

namespace sentinel {

/// Runs the sink for `kind` ("meta", "rows" or "dump") and `part` (its
/// number). Returns the exit code.
int run_undo_sink(const std::string& kind, const std::string& part);

}  // namespace sentinel
