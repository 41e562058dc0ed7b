#pragma once
// The connection psql is about to make, settled by libpq in this process's
// environment, to pin it (core/guard/pin.hpp).

#include <string>

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/pg/resolve.hpp"

namespace sentinel {

/// libpq's settled options for `params` (psql_params of the command line)
/// in the real environment: services, PG* variables, defaults. Two passes
/// through PQconnectStartParams, each stopped before any network or socket
/// activity by an invalid value libpq checks only after everything else is
/// settled (sslmode, then target_session_attrs), so that each pass reports
/// the option the other sacrifices. The first pass carries a placeholder
/// password so that libpq does not read ~/.pgpass (BAD_INPUTS.md row 20);
/// the second, with an empty passfile, yields a password the user supplied
/// in a conninfo, a service or PGPASSWORD. Returns false with `error`
/// (libpq's message, quoted text removed) when libpq cannot settle, or when
/// the two passes disagree (a file changed in between).
bool settle_pg_connection(const ConnParams& params, PinnedConnection& out, std::string& error);

}  // namespace sentinel
