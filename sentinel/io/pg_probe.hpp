#pragma once
// Asking a PostgreSQL server who it is (`sentinel probe`, the guard): one
// libpq connection, one read-only statement (core/reach/server_word.hpp).

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/reach/server_word.hpp"

namespace sentinel {

/// How long a probe waits for the server to accept, seconds (libpq
/// connect_timeout), and for its one statement (statement_timeout).
inline constexpr int kProbeTimeoutSeconds = 3;

/// Connects with `connection` (settled and pinned as the guard pins psql:
/// io/exec_pg.hpp), with connect_timeout 3 s and application_name
/// "sentinel-probe", runs kPgProbeQuery in a read-only transaction with a
/// 3 s statement_timeout (also through pgbouncer, which refuses startup
/// `options`) and closes.
/// Authenticates with the password the person supplied (conninfo, service,
/// PGPASSWORD) or else libpq's own ~/.pgpass; libpq never asks on the
/// terminal, so a server that wants another password is an error. Sets
/// `probed_at`. Errors: libpq's message with quoted text removed (it may
/// quote a value from the person's configuration).
Result<ServerWord> probe_pg(const PinnedConnection& connection);

/// The time now as RFC 3339 UTC ("2026-01-02T03:04:05Z").
std::string utc_now();

}  // namespace sentinel
