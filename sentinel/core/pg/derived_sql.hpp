#pragma once
// The queries the guard derives from one destructive statement, with
// libpg_query (parse tree in, deparsed SQL out; the statement's text is never
// pasted): the preview's count and estimate, and the undo copy's query.
// Pure.

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// What a statement does, for the preview and the undo copy.
enum class StatementKind {
    delete_rows,    ///< DELETE
    update_rows,    ///< UPDATE
    truncate,       ///< TRUNCATE
    drop_table,     ///< DROP TABLE
    drop_schema,    ///< DROP SCHEMA
    drop_database,  ///< DROP DATABASE
    other,          ///< anything else: no preview, no copy
};

/// A relation as the statement names it.
struct RelationName {
    std::string schema;  ///< "" when the statement does not qualify it (search_path decides)
    std::string name;
    bool only = false;   ///< ONLY: inheritance children are left alone

    /// `schema.name` or `name`, raw (sanitize to show).
    std::string display() const;
    /// The name as a regclass literal: E'"schema"."name"' (or E'"name"').
    std::string regclass_literal() const;
};

/// The derived queries of one statement.
struct DerivedStatement {
    StatementKind kind = StatementKind::other;
    std::string verb;                     ///< "DELETE", "UPDATE", "TRUNCATE", "DROP TABLE", "DROP SCHEMA", "DROP DATABASE"
    std::vector<RelationName> relations;  ///< the tables it changes (DELETE/UPDATE: one)
    std::vector<std::string> schemas;     ///< DROP SCHEMA: the schemas
    std::string database;                 ///< DROP DATABASE: the database
    bool cascade = false;                 ///< CASCADE
    bool has_where = false;               ///< DELETE/UPDATE: a WHERE clause (else every row)
    bool has_returning = false;           ///< DELETE/UPDATE: a RETURNING clause of its own
    bool has_join = false;                ///< DELETE ... USING / UPDATE ... FROM

    /// DELETE/UPDATE: one row `(touched, total)`: the rows the statement
    /// would touch (same relation, USING/FROM, WHERE and WITH; rows joined
    /// several times count once) and the table's rows. TRUNCATE/DROP TABLE:
    /// one row with each relation's row count. Empty when none can be
    /// derived (`count_problem` says why).
    std::string count_sql;
    std::string count_problem;
    /// DELETE/UPDATE: `SELECT FROM ... WHERE ...`, the rows the WHERE
    /// selects, to EXPLAIN for an estimate (never run).
    std::string estimate_sql;
    /// `SELECT FROM relation` per relation, to EXPLAIN for the table's
    /// estimated rows (never run).
    std::vector<std::string> table_estimate_sql;
    /// The undo copy's query per relation: DELETE: the statement with
    /// `RETURNING ref.*` (the deleted rows, read in the same step); UPDATE:
    /// `SELECT ref.* ... FOR UPDATE OF ref` (the rows it will update, locked;
    /// with USING/FROM through `(tableoid, ctid) IN (...)` so that each row
    /// comes once); TRUNCATE: `SELECT * FROM relation`. DROP TABLE: none
    /// (pg_dump copies it).
    std::vector<std::string> copy_sql;
    /// DELETE: the UPDATE-style copy (`SELECT ... FOR UPDATE OF ref`), used
    /// when the statement has a RETURNING of its own that psql must show.
    std::string locked_copy_sql;
    /// Every function and operator name the count query calls (qualified
    /// names as written: "public.f", "random", "<"), for the volatility check.
    std::vector<std::string> functions;
    std::vector<std::string> operators;
    /// Every relation the count query reads (the target, USING/FROM,
    /// subqueries; not WITH queries), so that a view, a foreign table or
    /// row security, which may call anything, is never counted.
    std::vector<RelationName> reads;
};

/// Derives the queries for `sql`, exactly one statement. A statement of
/// another kind gives kind `other` and nothing derived. Errors: the SQL does
/// not parse, holds several statements, libpg_query cannot deparse, or it is
/// nested too deeply (the parse runs on run_with_parse_stack,
/// core/pg/parse_stack.hpp).
Result<DerivedStatement> derive_statement(std::string_view sql);

/// The function and operator names `sql` calls and the relations it reads
/// (see DerivedStatement), from libpg_query's parse tree; nothing when it
/// does not parse. Recurses per level of nesting: call it on
/// run_with_parse_stack (derive_statement does).
void called_names(std::string_view sql, std::vector<std::string>& functions, std::vector<std::string>& operators,
                  std::vector<RelationName>& reads);

}  // namespace sentinel
