#pragma once
// The PostgreSQL service files libpq reads, and what sentinel checks before
// it lets libpq read them. libpq opens them itself with fopen and reads
// until end of file: a FIFO blocked `sentinel status` and `guard -- psql`
// forever, /dev/zero made them spin. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/pg/conn_params.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The service files libpq may read for `vars`, in its order: PGSERVICEFILE
/// or ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf or the Debian
/// default /etc/postgresql-common/pg_service.conf.
std::vector<std::string> service_files(const Vars& vars);

/// True when libpq would read a service file for `params` under `vars`: a
/// service is named by PGSERVICE, a `service` parameter, or a conninfo
/// string or URI in a dbname parameter that mentions one.
bool reads_service_file(const Vars& vars, const ConnParams& params);

/// Checks one service file's contents before libpq reads it: a NUL byte
/// (libpq would silently cut the line there) is `path:line: NUL byte: not
/// a text file`. nullopt when it is fine.
std::optional<Error> screen_service_file(std::string_view data, const std::string& path);

/// Reads every existing file of service_files(vars) through `files` (which
/// opens without blocking and refuses what is not a regular file or is too
/// large) and screens it; a directory is let through, as libpq reads it as
/// an empty file. Returns the first problem as `path: reason` or
/// `path:line: message`, and the total size of the files in `bytes`.
std::optional<std::string> check_service_files(const Vars& vars, const FileReader& files, std::size_t& bytes);

}  // namespace sentinel
