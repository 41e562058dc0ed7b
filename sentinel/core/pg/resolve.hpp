#pragma once
// Which PostgreSQL server, database and user libpq would connect to.
// libpq itself decides: services, PG* variables, conninfo strings and URIs,
// defaults. Passwords never enter a Target.

#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/pg/settle.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// A libpq host, hostaddr or port list split at commas, keeping empty
/// entries ("a,,b" is three; "" is one empty entry). Source: libpq docs,
/// "Specifying Multiple Hosts".
std::vector<std::string> split_conn_list(const std::string& list);

/// The PG* variables that choose a server, database or user. PGPASSWORD is
/// deliberately absent.
const std::vector<std::string>& pg_connection_variables();

/// Resolves `params` as libpq would in an environment holding exactly
/// `vars` (libpq reads PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR, HOME and the
/// PG* variables itself). Returns one target per host of a `host=a,b` list,
/// with fields service, host, hostaddr, port, dbname, user. `source` names
/// what asked ("psql", "DATABASE_URL", "environment") and `flags` the
/// options that took part; both are recorded in Target::sources.
/// libpq's own errors (service not found, bad service file, malformed
/// conninfo) give a single target with a problem (tier unknown) and a
/// warning; quoted text that could be a secret is removed from them.
/// How: settle_all (core/pg/settle.hpp), stopped by an invalid sslmode.
/// With `files`, a service file libpq would read must be a regular file
/// (a FIFO, a device, a file over the size limit is a problem: unknown) and
/// libpq runs under `files`' budget (FileReader::run_bounded), so that it
/// cannot hang the caller. Not thread-safe: it swaps `environ` for the
/// duration of the call.
std::vector<Target> resolve_pg(const Vars& vars, const ConnParams& params, const std::string& source,
                               const std::vector<std::string>& flags, std::vector<std::string>& warnings,
                               const FileReader* files = nullptr);

/// The parameters psql builds from its command line (startup.c): host, port,
/// user, dbname, with dbname "postgres" for `psql -l`.
ConnParams psql_params(const PsqlConnArgs& args);

/// True when `vars` sets any of pg_connection_variables() or PGSERVICE, so
/// that a terminal has a pg target even before a command is typed.
bool has_pg_environment(const Vars& vars);

}  // namespace sentinel
