#pragma once
// libpq, loaded on first use. Linking it would make every sentinel process
// pay for relocating libpq's dependencies (OpenSSL, Kerberos, LDAP, GnuTLS:
// about 4 ms at start-up), even a prompt that never looks at PostgreSQL.

#include <libpq-fe.h>

#include <string>

namespace sentinel {

/// The libpq entry points sentinel uses, with their libpq-fe.h signatures.
struct Libpq {
    decltype(&::PQconnectStartParams) connect_start_params;
    decltype(&::PQstatus) status;
    decltype(&::PQerrorMessage) error_message;
    decltype(&::PQconninfo) conninfo;
    decltype(&::PQconninfoParse) conninfo_parse;
    decltype(&::PQconninfoFree) conninfo_free;
    decltype(&::PQhost) host;
    decltype(&::PQfinish) finish;
    // `sentinel probe` and the guard's probe (io/pg_probe.hpp): one
    // connection, one statement.
    decltype(&::PQconnectdbParams) connectdb_params;
    decltype(&::PQexec) exec;
    decltype(&::PQresultStatus) result_status;
    decltype(&::PQntuples) ntuples;
    decltype(&::PQnfields) nfields;
    decltype(&::PQgetvalue) getvalue;
    decltype(&::PQgetisnull) getisnull;
    decltype(&::PQclear) clear;
};

/// Loads libpq.so.5 (the soname of every libpq since PostgreSQL 8.x) once and
/// returns its entry points, or nullptr when it cannot be loaded; `error`
/// then holds dlerror()'s text. Not thread-safe on first call.
const Libpq* libpq(std::string* error = nullptr);

}  // namespace sentinel
