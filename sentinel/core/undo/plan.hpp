#pragma once
// Which statements of a confirmed psql command get an undo copy, and the
// psql command line that makes it: psql itself runs the person's
// statements, in one transaction, and before each copied statement a
// `\copy (...) to program` hands the prior state of what it changes to
// `sentinel undo sink`, which writes it to disk and exits 0 only once it is
// durable; psql's ON_ERROR_STOP makes a failed copy stop everything before
// the statement runs. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/config/undo.hpp"
#include "sentinel/core/guard/preview.hpp"
#include "sentinel/core/pg/derived_sql.hpp"
#include "sentinel/core/pg/sql_classify.hpp"

namespace sentinel {

/// One relation's copy inside an undo copy.
struct UndoPart {
    enum class Kind {
        rows,  ///< the rows, in COPY text format, from `copy_sql`
        dump,  ///< the table's definition and data, by pg_dump under the transaction's snapshot
    };
    std::size_t statement = 0;  ///< index into UndoPlan::statements
    RelationName relation;
    Kind kind = Kind::rows;
    std::string copy_sql;       ///< rows: the query whose result is the copy
};

/// One statement of the command, in order.
struct PlannedStatement {
    std::string text;           ///< as the person wrote it (run by psql unchanged, except DELETE below)
    std::string kind;           ///< classify_sql's kind
    DerivedStatement derived;
    bool copyable = false;      ///< DELETE, UPDATE, TRUNCATE or DROP TABLE
    bool copied = false;
    bool returning_form = false;  ///< DELETE run as `\copy (DELETE ... RETURNING ref.*)`: psql prints its tag with \qecho
    std::string why_not;        ///< copyable but not copied: why (shown in the question)
};

/// The inputs the plan depends on.
struct UndoInputs {
    std::vector<SqlStatement> statements;  ///< every statement or meta-command, in order
    std::vector<std::optional<StatementPreview>> previews;  ///< parallel to statements (nullopt: none)
    bool one_transaction = false;  ///< psql runs them in one transaction (-1, or a single -c)
    UndoMode mode = UndoMode::required;
    std::int64_t max_bytes = 1LL << 30;
    bool pg_dump_available = false;
};

/// The plan.
struct UndoPlan {
    std::vector<PlannedStatement> statements;
    std::vector<UndoPart> parts;
    bool rewrite = false;          ///< psql runs the command line of undo_psql_args
    bool ask_again = false;        ///< a copyable statement gets no copy: the person confirms again
    bool repeatable_read = false;  ///< a copy is read before its statement runs (UPDATE, DELETE ... RETURNING)
    std::vector<std::string> notes;  ///< the question's "undo" lines, raw
};

/// Decides, for each DELETE, UPDATE, TRUNCATE and DROP TABLE, whether it is
/// copied. No copy (and ask_again) when: undo is off (no question then);
/// the command holds meta-commands, SQL that does not parse or transaction
/// control; several statements not in one transaction; an UPDATE (or a
/// DELETE with RETURNING) whose WHERE calls a volatile function or could
/// not be checked; DROP TABLE without pg_dump beside psql; the estimated
/// copy above max_bytes.
UndoPlan plan_undo(const UndoInputs& inputs);

/// The SQL that describes a copied relation as one JSON text: relation,
/// schema, table, relkind, xid (pg_current_xact_id), columns (name, type,
/// generated, identity, not_null), key and key_kind ("primary key",
/// "replica identity" or "").
std::string undo_meta_sql(const RelationName& relation);

/// psql arguments that run the plan: `-v ON_ERROR_STOP=1`, then `-c` for
/// each step: QUIET on, BEGIN (REPEATABLE READ when needed), LOCK ... IN
/// SHARE MODE for truncated and dropped tables, and per statement its
/// `\copy ... to program` steps and the statement itself (QUIET restored
/// unless `quiet`), then COMMIT. `program` is the shell command psql runs
/// for a sink, followed by " KIND PART" (meta, rows, dump).
std::vector<std::string> undo_psql_args(const UndoPlan& plan, bool quiet, const std::string& program);

}  // namespace sentinel
