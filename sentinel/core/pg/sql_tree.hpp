#pragma once
// One SQL statement as libpg_query's protobuf tree, new nodes built next to
// it, and the result deparsed by libpg_query: how sentinel derives the
// preview's count query and the undo copy's query from a statement without
// ever pasting its text.

#include <pg_query/pg_query.pb-c.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// A parsed statement and an arena for the nodes added to derive others.
/// Derived trees may point into the parsed one (a WHERE clause is reused, not
/// copied); both live as long as the SqlTree. Move-only.
class SqlTree {
public:
    /// Parses `sql`, which must hold exactly one statement (PostgreSQL 15
    /// grammar). Errors: libpg_query's message (it never quotes the input),
    /// "no statement", "more than one statement".
    static Result<SqlTree> parse(std::string_view sql);

    SqlTree(SqlTree&&) noexcept;
    SqlTree& operator=(SqlTree&&) noexcept;
    SqlTree(const SqlTree&) = delete;
    SqlTree& operator=(const SqlTree&) = delete;
    ~SqlTree();

    /// The statement node (node_case tells its kind).
    PgQuery__Node* statement() const;

    /// `text` as a String node (an identifier part or a function name part).
    PgQuery__Node* string(std::string_view text);
    /// A column reference `a.b.c`; with `star`, `a.*` (or `*` when `fields` is empty).
    PgQuery__Node* column_ref(const std::vector<std::string>& fields, bool star = false);
    /// A function call `name(args)`; `star`: `name(*)`; `distinct`: `name(DISTINCT args)`.
    PgQuery__Node* func_call(const std::string& name, const std::vector<PgQuery__Node*>& args, bool star = false,
                             bool distinct = false);
    /// `ROW(args)` written as `(a, b)`.
    PgQuery__Node* row(const std::vector<PgQuery__Node*>& args);
    /// A target list entry holding `value`.
    PgQuery__Node* res_target(PgQuery__Node* value);
    /// `relation` wrapped as a node, with another alias when `alias` is not empty.
    PgQuery__Node* range_var(const PgQuery__RangeVar* relation, const std::string& alias = "");
    /// `(SELECT ...)` as an expression (EXPR sublink).
    PgQuery__Node* scalar_subquery(PgQuery__Node* select);
    /// `test IN (SELECT ...)`.
    PgQuery__Node* in_subquery(PgQuery__Node* test, PgQuery__Node* select);
    /// `FOR UPDATE OF name` as a locking clause node.
    PgQuery__Node* for_update_of(const std::string& name);

    /// A copy of `stmt` whose RETURNING list is `ref.*` alone.
    PgQuery__Node* delete_returning(const PgQuery__DeleteStmt* stmt, const std::string& ref);
    /// A relation named by `names` (`[schema,] name`), `only` for ONLY.
    PgQuery__RangeVar* relation(const std::vector<std::string>& names, bool only = false);

    /// A SELECT with these parts (any may be empty or null); the parts are
    /// referenced, not copied.
    struct Select {
        std::vector<PgQuery__Node*> targets_, from_, locking_;
        PgQuery__Node* where_ = nullptr;
        PgQuery__WithClause* with_ = nullptr;

        Select& targets(std::vector<PgQuery__Node*> v) { targets_ = std::move(v); return *this; }
        Select& from(std::vector<PgQuery__Node*> v) { from_ = std::move(v); return *this; }
        Select& where(PgQuery__Node* v) { where_ = v; return *this; }
        Select& with(PgQuery__WithClause* v) { with_ = v; return *this; }
        Select& locking(std::vector<PgQuery__Node*> v) { locking_ = std::move(v); return *this; }
    };
    PgQuery__Node* select(const Select& parts);

    /// `node` (a statement) as SQL text, deparsed by libpg_query. Errors:
    /// libpg_query's message.
    Result<std::string> deparse(PgQuery__Node* node) const;

private:
    SqlTree() = default;
    struct Arena;
    PgQuery__ParseResult* parsed_ = nullptr;
    std::unique_ptr<Arena> arena_;
    int version_ = 0;
};

/// `name` quoted as an SQL identifier: always in double quotes, inner
/// double quotes doubled ("my ""table""").
std::string quote_ident(std::string_view name);

/// `text` as an SQL string literal that means the same whatever
/// standard_conforming_strings says: E'...' with `\` and `'` escaped.
std::string quote_literal(std::string_view text);

}  // namespace sentinel
