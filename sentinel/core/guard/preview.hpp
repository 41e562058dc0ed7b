#pragma once
// The preview of what a destructive statement will touch, as the question
// shows it: the catalog queries it asks, how their answers become a
// statement's preview, and the banner's lines. Pure: the connection is
// io/preview.hpp's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/pg/derived_sql.hpp"

namespace sentinel {

/// What the preview learnt about one statement.
struct StatementPreview {
    enum class Status {
        counted,    ///< exact counts, read in a READ ONLY transaction
        estimated,  ///< EXPLAIN's estimate or the catalog's (shown as "about"); `note` says why
        failed,     ///< nothing known; `note` says why
    };
    std::string verb;                     ///< "DELETE", "TRUNCATE", ...
    std::string target;                   ///< "public.users", "schema s", "database orders" (raw)
    Status status = Status::failed;
    std::optional<double> touched;        ///< DELETE/UPDATE: rows it touches
    std::optional<double> total;          ///< the table's rows (TRUNCATE/DROP TABLE: all tables' rows)
    std::optional<std::int64_t> bytes;    ///< TRUNCATE/DROP: total size on disk (tables, indexes, TOAST)
    std::optional<std::int64_t> tables;   ///< DROP SCHEMA/DATABASE: how many tables go with it
    std::optional<std::int64_t> copy_bytes;  ///< what an undo copy of the changed rows would take, estimated
    std::optional<bool> volatile_calls;      ///< DELETE/UPDATE: the WHERE calls a volatile function (nullopt: unknown)
    bool cascade = false;
    std::string note;                     ///< "random() is volatile", "the count took longer than 2 s", ...
};

/// `n` rounded to a whole number with thousands separators: "12,000".
std::string format_rows(double n);

/// `bytes` in binary units with one decimal: "512 bytes", "1.2 MiB", "3.0 GiB".
std::string format_bytes(std::int64_t bytes);

/// The banner line of one preview, for example
/// `DELETE on public.users: 12,000 of 12,000 rows (every row)`,
/// `DELETE on public.users: about 6,000 of about 12,000 rows (estimate: random() is volatile, not run)`,
/// `TRUNCATE public.users: 12,000 rows, 1.2 MiB`,
/// `DROP SCHEMA s CASCADE: 3 tables, 5.1 MiB go with it`,
/// `DELETE on users: no preview (could not connect: ...)`. Raw: the banner sanitizes.
std::string preview_line(const StatementPreview& preview);

/// The query that describes the relations `derived` names, one row each:
/// schema-qualified name (quote_ident), relkind, reltuples,
/// pg_total_relation_size, relrowsecurity; a relation that does not exist
/// gives no row. DROP SCHEMA: one row (tables, total size); DROP DATABASE:
/// one row (pg_database_size). Names reach it as escaped literals.
std::string relation_query(const DerivedStatement& derived);

/// The query that describes every relation `derived` reads (its `reads`):
/// one row each, (name as written, relkind, relrowsecurity); a name that
/// does not exist gives no row.
std::string reads_query(const DerivedStatement& derived);

/// Why the count may not run given reads_query's rows (name, relkind,
/// relrowsecurity), or "": a view, foreign table or other non-table, or a
/// table with row security, may call anything.
std::string reads_problem(const std::vector<std::vector<std::optional<std::string>>>& rows);

/// "Plan Rows" of the top plan node of EXPLAIN (FORMAT JSON) output, or
/// nullopt when it cannot be read.
std::optional<double> explain_rows(const std::string& explain_json);

/// True when a count query over a relation of this pg_class.relkind may
/// run: ordinary, partitioned tables and materialized views. Views, foreign
/// tables and the rest are estimated (a view may call anything).
bool countable_relkind(const std::string& relkind);

}  // namespace sentinel
