#pragma once
// What SQL given to psql would do, decided by PostgreSQL's own parser
// (libpg_query, PostgreSQL 15 grammar).

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/guard/action.hpp"

namespace sentinel {

/// One statement or psql meta-command and its risk.
struct SqlStatement {
    Risk risk = Risk::read;
    std::string kind;  ///< "SELECT", "DELETE", "DELETE without WHERE", "DROP TABLE", "\\i", "unparsable SQL"
    std::string text;  ///< its source text, raw (may hold literals: sanitize to show, never audit)
};

/// The statements of one input and their overall risk.
struct SqlVerdict {
    Risk risk = Risk::read;  ///< the highest risk of `statements`; read when there are none
    std::vector<SqlStatement> statements;

    /// The first statement with risk `risk`, or nullptr when there are none.
    const SqlStatement* worst() const;
    /// Appends `more`'s statements, raising `risk`.
    void merge(const SqlVerdict& more);
};

/// Classifies SQL text (one or more statements separated by `;`):
/// - read: SELECT (without INTO, FOR UPDATE/SHARE or a state-changing
///   function such as pg_terminate_backend or setval), SHOW, SET,
///   transaction control, EXPLAIN without ANALYZE, COPY ... TO, cursors,
///   PREPARE, LISTEN;
/// - destructive: DELETE or UPDATE without WHERE (also inside a WITH),
///   DROP (any object, DROP DATABASE, DROP ROLE, DROP OWNED), TRUNCATE,
///   ALTER TABLE ... DROP/DETACH, and anything that does not parse;
/// - write: everything else (INSERT, UPDATE/DELETE with WHERE, CREATE,
///   ALTER, GRANT, COPY ... FROM, CALL, DO, VACUUM, ...).
/// EXPLAIN ANALYZE takes the risk of the statement it runs. Only comments
/// or whitespace: read, no statements.
SqlVerdict classify_sql(std::string_view sql);

/// Classifies one psql meta-command line ("\\dt", "\\copy t from f", "\\i x"):
/// describe, print and variable commands are read; `\\copy ... from` and
/// `\\lo_import` write; commands whose effect cannot be known from the text
/// (`\\i`, `\\ir`, `\\include`, `\\gexec`, `\\!`, `\\c`/`\\connect`, `\\e`, `\\ef`,
/// `\\ev`, `\\lo_unlink`) destructive; any other write. Every `\\name` on the
/// line counts.
SqlVerdict classify_psql_meta(std::string_view line);

/// Classifies the text of `psql -c TEXT`: a meta-command line when it starts
/// with a backslash (psql's rule), SQL otherwise.
SqlVerdict classify_psql_command(std::string_view text);

/// Classifies a psql script (`-f FILE`, SQL piped on stdin): lines whose
/// first non-blank character is a backslash are meta-commands, the rest SQL.
/// psql variables (`:name`) and trailing meta-commands on an SQL line do not
/// parse and so count as destructive.
SqlVerdict classify_psql_script(std::string_view text);

/// The PostgreSQL release whose grammar the linked libpg_query carries
/// ("15.1", its header's PG_VERSION): libpg_query states no version of its own.
std::string_view pg_query_postgres_version();

}  // namespace sentinel
