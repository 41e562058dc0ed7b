#include "sentinel/core/undo/plan.hpp"

#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

bool copyable_kind(StatementKind k) {
    return k == StatementKind::delete_rows || k == StatementKind::update_rows || k == StatementKind::truncate ||
           k == StatementKind::drop_table;
}

// Why the whole command cannot be copied, or "".
std::string command_problem(const UndoInputs& in) {
    std::size_t sql = 0;
    for (const SqlStatement& s : in.statements) {
        if (!s.kind.empty() && s.kind[0] == '\\') return "the command holds psql meta-commands";
        if (s.kind == "unparsable SQL") return "part of the SQL does not parse";
        if (s.kind == "TRANSACTION") return "the SQL controls its own transactions";
        ++sql;
    }
    if (sql > 1 && !in.one_transaction)
        return "psql runs each statement in its own transaction (run it with -1, --single-transaction, to have "
               "them copied)";
    return "";
}

std::string statement_why_not(const UndoInputs& in, const PlannedStatement& p,
                              const std::optional<StatementPreview>& pv) {
    const DerivedStatement& d = p.derived;
    bool locked = d.kind == StatementKind::update_rows || (d.kind == StatementKind::delete_rows && d.has_returning);
    if (locked && (!pv || !pv->volatile_calls)) return "its WHERE could not be checked for volatile functions";
    if (locked && *pv->volatile_calls)
        return "its WHERE calls a volatile function, so the rows cannot be read beforehand";
    if (d.kind == StatementKind::drop_table && !in.pg_dump_available) return "pg_dump is not installed beside psql";
    if (d.relations.empty()) return "it names no table";
    if (pv && pv->copy_bytes && *pv->copy_bytes > in.max_bytes)
        return "the copy would take about " + format_bytes(*pv->copy_bytes) + ", above undo_max_bytes (" +
               format_bytes(in.max_bytes) + ")";
    return "";
}

// "DELETE on public.users": the preview's resolved names when it has them.
std::string label(const PlannedStatement& p, const std::optional<StatementPreview>& pv) {
    std::string names;
    for (const RelationName& r : p.derived.relations) names += (names.empty() ? "" : ", ") + r.display();
    if (pv && !pv->target.empty()) names = pv->target;
    return p.derived.verb +
           (p.derived.kind == StatementKind::delete_rows || p.derived.kind == StatementKind::update_rows ? " on "
                                                                                                         : " ") +
           names;
}

void add_parts(UndoPlan& plan, std::size_t index) {
    PlannedStatement& p = plan.statements[index];
    const DerivedStatement& d = p.derived;
    if (d.kind == StatementKind::drop_table) {
        for (const RelationName& r : d.relations) plan.parts.push_back({index, r, UndoPart::Kind::dump, ""});
        return;
    }
    if (d.kind == StatementKind::truncate) {
        for (std::size_t i = 0; i < d.relations.size(); ++i)
            plan.parts.push_back({index, d.relations[i], UndoPart::Kind::rows, d.copy_sql[i]});
        return;
    }
    bool locked = d.kind == StatementKind::update_rows || d.has_returning;
    p.returning_form = !locked;
    if (locked) plan.repeatable_read = true;
    plan.parts.push_back({index, d.relations[0], UndoPart::Kind::rows,
                          locked && d.kind == StatementKind::delete_rows ? d.locked_copy_sql : d.copy_sql[0]});
}

std::string kept_note(const PlannedStatement& p, const std::optional<StatementPreview>& pv) {
    std::string what = p.derived.kind == StatementKind::delete_rows   ? "the rows it deletes"
                       : p.derived.kind == StatementKind::update_rows ? "the rows it changes, as they are now"
                       : p.derived.kind == StatementKind::truncate    ? "the rows it removes"
                                                                      : "the table's definition and rows";
    std::string size = pv && pv->copy_bytes ? " (about " + format_bytes(*pv->copy_bytes) + ")" : "";
    return label(p, pv) + ": a copy of " + what + " is kept" + size + "; sentinel undo restore puts it back";
}

}  // namespace

UndoPlan plan_undo(const UndoInputs& in) {
    UndoPlan plan;
    for (const SqlStatement& s : in.statements) {
        PlannedStatement p;
        p.text = s.text;
        p.kind = s.kind;
        if (s.kind.empty() || s.kind[0] != '\\') {
            auto d = derive_statement(s.text);
            if (d) p.derived = std::move(d.value());
        }
        p.copyable = copyable_kind(p.derived.kind);
        plan.statements.push_back(std::move(p));
    }
    if (in.mode == UndoMode::off) {
        for (const PlannedStatement& p : plan.statements)
            if (p.copyable) plan.notes.push_back(label(p, std::nullopt) + ": no copy (undo = \"off\")");
        return plan;
    }
    std::string problem = command_problem(in);
    for (std::size_t i = 0; i < plan.statements.size(); ++i) {
        PlannedStatement& p = plan.statements[i];
        if (!p.copyable) continue;
        const std::optional<StatementPreview>& pv = i < in.previews.size() ? in.previews[i] : std::nullopt;
        p.why_not = problem.empty() ? statement_why_not(in, p, pv) : problem;
        if (!p.why_not.empty()) {
            plan.ask_again = true;
            std::string where = plan.statements.size() > 1 ? "statement " + std::to_string(i + 1) + ", " : "";
            plan.notes.push_back(where + label(p, pv) + ": no copy will be kept: " + p.why_not);
            continue;
        }
        p.copied = true;
        add_parts(plan, i);
        plan.notes.push_back(kept_note(p, pv));
    }
    plan.rewrite = !plan.parts.empty();
    return plan;
}

std::string undo_meta_sql(const RelationName& relation) {
    const std::string reg = relation.regclass_literal() + "::pg_catalog.regclass";
    return "SELECT pg_catalog.json_build_object("
           "'relation', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
           "'schema', n.nspname, 'table', c.relname, "
           "'relkind', c.relkind, 'xid', pg_catalog.pg_current_xact_id()::text, "
           "'columns', (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', a.attname, 'type', "
           "pg_catalog.format_type(a.atttypid, a.atttypmod), 'generated', a.attgenerated::text, 'identity', "
           "a.attidentity::text, 'not_null', a.attnotnull) ORDER BY a.attnum) FROM pg_catalog.pg_attribute a "
           "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), "
           "'key', COALESCE((SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) FROM pg_catalog.pg_index i, "
           "unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord), pg_catalog.pg_attribute a WHERE i.indrelid = c.oid "
           "AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum), (SELECT "
           "pg_catalog.json_agg(a.attname ORDER BY k.ord) FROM pg_catalog.pg_index i, unnest(i.indkey) WITH "
           "ORDINALITY AS k(attnum, ord), pg_catalog.pg_attribute a WHERE i.indrelid = c.oid AND i.indisreplident "
           "AND c.relreplident = 'i' AND a.attrelid = c.oid AND a.attnum = k.attnum)), "
           "'key_kind', CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND "
           "i.indisprimary) THEN 'primary key' WHEN c.relreplident = 'i' AND EXISTS (SELECT FROM pg_catalog.pg_index "
           "i WHERE i.indrelid = c.oid AND i.indisreplident) THEN 'replica identity' ELSE '' END)::text "
           "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " +
           reg;
}

std::vector<std::string> undo_psql_args(const UndoPlan& plan, bool quiet, const std::string& program) {
    std::vector<std::string> a = {"-v", "ON_ERROR_STOP=1", "-c", "\\set QUIET on"};
    auto c = [&](const std::string& step) { a.insert(a.end(), {"-c", step}); };
    auto sink = [&](const std::string& sql, const char* kind, std::size_t part) {
        c("\\copy (" + sql + ") to program '" + program + " " + kind + " " + std::to_string(part) + "'");
    };
    auto statement = [&](const std::string& text) {
        if (!quiet) c("\\set QUIET off");
        c(text);
        if (!quiet) c("\\set QUIET on");
    };
    c(plan.repeatable_read ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN");
    std::string locks;
    for (const UndoPart& part : plan.parts) {
        StatementKind k = plan.statements[part.statement].derived.kind;
        if (k != StatementKind::truncate && k != StatementKind::drop_table) continue;
        const RelationName& r = part.relation;
        locks += (locks.empty() ? "" : ", ") + std::string(r.only ? "ONLY " : "") +
                 (r.schema.empty() ? quote_ident(r.name) : quote_ident(r.schema) + "." + quote_ident(r.name));
    }
    if (!locks.empty()) c("LOCK TABLE " + locks + " IN SHARE MODE");
    for (std::size_t i = 0; i < plan.statements.size(); ++i) {
        const PlannedStatement& p = plan.statements[i];
        for (std::size_t k = 0; k < plan.parts.size(); ++k) {
            const UndoPart& part = plan.parts[k];
            if (part.statement != i) continue;
            sink(undo_meta_sql(part.relation), "meta", k);
            if (part.kind == UndoPart::Kind::dump)
                sink("SELECT pg_catalog.pg_export_snapshot()", "dump", k);
            else
                sink(part.copy_sql, "rows", k);
        }
        if (p.returning_form) {
            if (!quiet) c("\\qecho DELETE :ROW_COUNT");
        } else {
            statement(p.text);
        }
    }
    c("COMMIT");
    return a;
}

}  // namespace sentinel
