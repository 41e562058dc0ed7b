#pragma once
// libpq's own option processing, stopped before any connection: what a
// client such as psql would connect to, settled by the libpq in use
// (services, PG* variables, conninfo strings and URIs, defaults). One pass
// serves both resolution (core/pg/resolve.hpp) and the guard's pinning
// (settle_connection), with one scrubber for libpq's messages.
//
// How: PQconnectStartParams runs libpq's option processing and is stopped by
// an invalid value of an option libpq checks only after everything else is
// settled (sslmode, target_session_attrs); PQconninfo then reports what
// libpq settled on. Not thread-safe: the environment is swapped for the
// call (libpq reads it itself).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sentinel/core/pg/conn_params.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// A password given to libpq so that it never reads the password file
/// (~/.pgpass, PGPASSFILE) while settling: resolution must not touch secrets.
inline constexpr const char* kPlaceholderPassword = "sentinel-placeholder";

/// One settling pass.
struct SettlePass {
    ConnParams before;           ///< keywords given before the caller's (the caller's override them)
    ConnParams after;            ///< keywords given after the caller's (they override the caller's)
    std::string_view stop_key;   ///< "sslmode" or "target_session_attrs": set to an invalid value, last
};

/// What libpq settled on.
struct Settled {
    std::map<std::string, std::string> options;  ///< every option PQconninfo reports with a value (empty ones too)
    std::string first_host;                       ///< PQhost(): the default socket directory when no host is set
};

/// Runs libpq's option processing on `pass.before`, `params`, `pass.after`
/// and the stop key, in an environment holding exactly `vars`. Errors:
/// libpq cannot be loaded, or libpq's own message (a service not found, a
/// bad service file, a malformed conninfo), raw: it may quote a secret,
/// scrub it (scrub_libpq_message) before it goes anywhere.
Result<Settled> settle_options(const Vars& vars, const ConnParams& params, const SettlePass& pass);

/// One call of settle_options.
struct SettleCall {
    Vars vars;
    ConnParams params;
    SettlePass pass;
};

/// Runs each of `calls` as settle_options does, in order. When libpq would
/// read a service file for one of them (reads_service_file,
/// core/pg/service_file.hpp) and `files` is given, every service file is
/// first read through `files`, which never blocks and refuses what is not a
/// regular file (a FIFO, /dev/zero) or too large, and the calls then run
/// under `files`' budget (FileReader::run_bounded: a child process with CPU,
/// memory and time limits for files on disk), so that a service file cannot
/// hang the caller. Errors, in sentinel's words (no libpq text, nothing
/// secret): "service file PATH: not a regular file", "service file
/// PATH:LINE: NUL byte: not a text file", "libpq on the service files:
/// could not parse in time (...)".
Result<std::vector<Result<Settled>>> settle_all(const std::vector<SettleCall>& calls, const FileReader* files);

/// The keywords a conninfo string or URI sets, with their values, as libpq
/// parses it (PQconninfoParse); empty when it does not parse or libpq
/// cannot be loaded.
std::map<std::string, std::string> conninfo_keywords(const std::string& conninfo);

/// libpq's `message` made safe to show: its first line, trailing spaces
/// removed, every quoted text replaced by "…" unless it is one of `safe`
/// (a service name, a file path: known not to be secret). libpq quotes what
/// it did not like, which could be a password in a malformed URI.
std::string scrub_libpq_message(std::string message, const std::vector<std::string>& safe);

/// The names libpq may quote that are not secret, for scrub_libpq_message:
/// the service names (PGSERVICE, a `service` in `params` or in a conninfo
/// `dbname`) and the service files (PGSERVICEFILE, PGSYSCONFDIR,
/// ~/.pg_service.conf). `status` shows them: redact secrets, not names.
std::vector<std::string> libpq_safe_names(const Vars& vars, const ConnParams& params);

/// The connection libpq settled on, as keyword/value pairs, ready to pin.
/// `password` is kept apart so that it goes to the environment, never argv.
struct PinnedConnection {
    ConnParams params;                    ///< every non-empty option except service, password and options
    std::string options;                  ///< the settled `options` (PGOPTIONS) value
    std::optional<std::string> password;  ///< one the user supplied (conninfo, service, PGPASSWORD)
};

/// What psql would connect to for `params` (psql_params of its command
/// line) in the environment `vars` (the guard's whole environment), ready
/// to pin. Two passes, stopped by sslmode then by target_session_attrs, so
/// that each reports the option the other sacrifices. The first carries a
/// placeholder password so that libpq does not read ~/.pgpass (BAD_INPUTS.md
/// row 20); the second, with an empty passfile, yields a password the user
/// supplied in a conninfo, a service or PGPASSWORD. Errors: libpq's message,
/// scrubbed (libpq_safe_names kept), or "the connection changed while it was being resolved" when
/// the two passes disagree (a file changed in between). With `files`, the
/// passes run as settle_all runs them (service files checked, libpq under a
/// budget).
Result<PinnedConnection> settle_connection(const Vars& vars, const ConnParams& params,
                                           const FileReader* files = nullptr);

}  // namespace sentinel
