#include "sentinel/core/pg/derived_sql.hpp"

#include <pg_query.h>

#include <algorithm>
#include <optional>
#include <nlohmann/json.hpp>

#include "sentinel/core/pg/parse_stack.hpp"
#include "sentinel/core/pg/sql_depth.hpp"
#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

using nlohmann::json;

// An alias no statement is likely to use, for the row being copied.
constexpr const char* kRowAlias = "sentinel_undo_row";

std::string str(const char* s) { return s ? s : ""; }

RelationName name_of(const PgQuery__RangeVar* rel) {
    return RelationName{str(rel->schemaname), str(rel->relname), !rel->inh};
}

// The name a statement's target is referred to by: its alias or its name.
std::string ref_of(const PgQuery__RangeVar* rel) {
    return rel->alias && rel->alias->aliasname && *rel->alias->aliasname ? rel->alias->aliasname : str(rel->relname);
}

// A CTE named like an unqualified target would take its place in a SELECT.
bool cte_shadows(const PgQuery__WithClause* with, const PgQuery__RangeVar* rel) {
    if (!with || (rel->schemaname && *rel->schemaname)) return false;
    for (std::size_t i = 0; i < with->n_ctes; ++i) {
        const PgQuery__Node* n = with->ctes[i];
        if (n->node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR && n->common_table_expr->ctename &&
            str(n->common_table_expr->ctename) == str(rel->relname))
            return true;
    }
    return false;
}

std::vector<std::string> names_of_list(const PgQuery__Node* node) {
    std::vector<std::string> out;
    if (node->node_case != PG_QUERY__NODE__NODE_LIST) return out;
    for (std::size_t i = 0; i < node->list->n_items; ++i)
        if (node->list->items[i]->node_case == PG_QUERY__NODE__NODE_STRING)
            out.push_back(str(node->list->items[i]->string->sval));
    return out;
}

// DELETE and UPDATE share their shape: relation, USING/FROM, WHERE, WITH.
struct RowStatement {
    const PgQuery__RangeVar* relation;
    std::vector<PgQuery__Node*> joined;
    PgQuery__Node* where;
    PgQuery__WithClause* with;
};

Result<bool> derive_rows(SqlTree& tree, const RowStatement& st, DerivedStatement& out) {
    const std::string ref = ref_of(st.relation);
    out.relations.push_back(name_of(st.relation));
    out.has_where = st.where != nullptr;
    out.has_join = !st.joined.empty();
    std::vector<PgQuery__Node*> from = {tree.range_var(st.relation)};
    from.insert(from.end(), st.joined.begin(), st.joined.end());
    PgQuery__Node* key = tree.row({tree.column_ref({ref, "tableoid"}), tree.column_ref({ref, "ctid"})});
    PgQuery__Node* touched_count =
        st.joined.empty() ? tree.func_call("count", {}, true) : tree.func_call("count", {key}, false, true);
    PgQuery__Node* touched =
        tree.select(SqlTree::Select().targets({tree.res_target(touched_count)}).from(from).where(st.where));
    PgQuery__Node* total = tree.select(SqlTree::Select()
                                           .targets({tree.res_target(tree.func_call("count", {}, true))})
                                           .from({tree.range_var(st.relation)}));
    if (cte_shadows(st.with, st.relation)) {
        out.count_problem = "a WITH query has the table's name";
    } else {
        auto sql = tree.deparse(tree.select(
            SqlTree::Select()
                .targets({tree.res_target(tree.scalar_subquery(touched)), tree.res_target(tree.scalar_subquery(total))})
                .with(st.with)));
        if (!sql) return sql.error();
        out.count_sql = *sql;
    }
    auto estimate = tree.deparse(tree.select(SqlTree::Select().from(from).where(st.where).with(st.with)));
    if (!estimate) return estimate.error();
    out.estimate_sql = *estimate;
    auto table = tree.deparse(tree.select(SqlTree::Select().from({tree.range_var(st.relation)})));
    if (!table) return table.error();
    out.table_estimate_sql.push_back(*table);
    called_names(out.estimate_sql, out.functions, out.operators, out.reads);
    return true;
}

Result<bool> derive_update_copy(SqlTree& tree, const RowStatement& st, DerivedStatement& out) {
    const std::string ref = ref_of(st.relation);
    PgQuery__Node* copy = nullptr;
    if (st.joined.empty()) {
        copy = tree.select(SqlTree::Select()
                               .targets({tree.res_target(tree.column_ref({ref}, true))})
                               .from({tree.range_var(st.relation)})
                               .where(st.where)
                               .with(st.with)
                               .locking({tree.for_update_of(ref)}));
    } else {
        std::vector<PgQuery__Node*> from = {tree.range_var(st.relation)};
        from.insert(from.end(), st.joined.begin(), st.joined.end());
        PgQuery__Node* keys = tree.select(SqlTree::Select()
                                              .targets({tree.res_target(tree.column_ref({ref, "tableoid"})),
                                                        tree.res_target(tree.column_ref({ref, "ctid"}))})
                                              .from(from)
                                              .where(st.where));
        PgQuery__Node* mine =
            tree.row({tree.column_ref({kRowAlias, "tableoid"}), tree.column_ref({kRowAlias, "ctid"})});
        copy = tree.select(SqlTree::Select()
                               .targets({tree.res_target(tree.column_ref({kRowAlias}, true))})
                               .from({tree.range_var(st.relation, kRowAlias)})
                               .where(tree.in_subquery(mine, keys))
                               .with(st.with)
                               .locking({tree.for_update_of(kRowAlias)}));
    }
    auto sql = tree.deparse(copy);
    if (!sql) return sql.error();
    out.copy_sql.push_back(*sql);
    return true;
}

Result<bool> derive_tables(SqlTree& tree, const std::vector<PgQuery__RangeVar*>& rels, bool copy_rows,
                           DerivedStatement& out) {
    std::vector<PgQuery__Node*> counts;
    for (PgQuery__RangeVar* rel : rels) {
        out.relations.push_back(name_of(rel));
        PgQuery__Node* count = tree.select(SqlTree::Select()
                                               .targets({tree.res_target(tree.func_call("count", {}, true))})
                                               .from({tree.range_var(rel)}));
        counts.push_back(tree.res_target(tree.scalar_subquery(count)));
        auto table = tree.deparse(tree.select(SqlTree::Select().from({tree.range_var(rel)})));
        if (!table) return table.error();
        out.table_estimate_sql.push_back(*table);
        if (copy_rows) {
            auto sql = tree.deparse(tree.select(
                SqlTree::Select().targets({tree.res_target(tree.column_ref({}, true))}).from({tree.range_var(rel)})));
            if (!sql) return sql.error();
            out.copy_sql.push_back(*sql);
        }
    }
    auto sql = tree.deparse(tree.select(SqlTree::Select().targets(counts)));
    if (!sql) return sql.error();
    out.count_sql = *sql;
    return true;
}

Result<bool> derive_delete(SqlTree& tree, const PgQuery__DeleteStmt* d, DerivedStatement& out) {
    out.kind = StatementKind::delete_rows;
    out.verb = "DELETE";
    out.has_returning = d->n_returning_list > 0;
    RowStatement st{
        d->relation, {d->using_clause, d->using_clause + d->n_using_clause}, d->where_clause, d->with_clause};
    auto r = derive_rows(tree, st, out);
    if (!r) return r;
    auto copy = tree.deparse(tree.delete_returning(d, ref_of(d->relation)));
    if (!copy) return copy.error();
    DerivedStatement locked;
    auto l = derive_update_copy(tree, st, locked);
    if (!l) return l;
    out.locked_copy_sql = locked.copy_sql[0];
    out.copy_sql.push_back(*copy);
    return true;
}

Result<bool> derive_update(SqlTree& tree, const PgQuery__UpdateStmt* u, DerivedStatement& out) {
    out.kind = StatementKind::update_rows;
    out.verb = "UPDATE";
    out.has_returning = u->n_returning_list > 0;
    RowStatement st{
        u->relation, {u->from_clause, u->from_clause + u->n_from_clause}, u->where_clause, u->with_clause};
    auto r = derive_rows(tree, st, out);
    if (!r) return r;
    return derive_update_copy(tree, st, out);
}

Result<bool> derive(SqlTree& tree, DerivedStatement& out) {
    PgQuery__Node* stmt = tree.statement();
    switch (stmt->node_case) {
        case PG_QUERY__NODE__NODE_DELETE_STMT: return derive_delete(tree, stmt->delete_stmt, out);
        case PG_QUERY__NODE__NODE_UPDATE_STMT: return derive_update(tree, stmt->update_stmt, out);
        case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
            const PgQuery__TruncateStmt* t = stmt->truncate_stmt;
            out.kind = StatementKind::truncate;
            out.verb = "TRUNCATE";
            out.cascade = t->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
            std::vector<PgQuery__RangeVar*> rels;
            for (std::size_t i = 0; i < t->n_relations; ++i)
                if (t->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
                    rels.push_back(t->relations[i]->range_var);
            return derive_tables(tree, rels, true, out);
        }
        case PG_QUERY__NODE__NODE_DROP_STMT: {
            const PgQuery__DropStmt* d = stmt->drop_stmt;
            out.cascade = d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
            if (d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
                out.kind = StatementKind::drop_table;
                out.verb = "DROP TABLE";
                std::vector<PgQuery__RangeVar*> rels;
                for (std::size_t i = 0; i < d->n_objects; ++i) {
                    std::vector<std::string> names = names_of_list(d->objects[i]);
                    if (!names.empty()) rels.push_back(tree.relation(names));
                }
                return derive_tables(tree, rels, false, out);
            }
            if (d->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) {
                out.kind = StatementKind::drop_schema;
                out.verb = "DROP SCHEMA";
                for (std::size_t i = 0; i < d->n_objects; ++i)
                    if (d->objects[i]->node_case == PG_QUERY__NODE__NODE_STRING)
                        out.schemas.push_back(str(d->objects[i]->string->sval));
            }
            return true;
        }
        case PG_QUERY__NODE__NODE_DROPDB_STMT:
            out.kind = StatementKind::drop_database;
            out.verb = "DROP DATABASE";
            out.database = str(stmt->dropdb_stmt->dbname);
            return true;
        default:
            return true;
    }
}

std::string joined_names(const json& list) {
    std::string out;
    if (!list.is_array()) return out;
    for (const json& part : list) {
        std::string s = part.contains("String") ? part["String"].value("sval", "") : "";
        out += (out.empty() ? "" : ".") + s;
    }
    return out;
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

struct Names {
    std::vector<std::string>& functions;
    std::vector<std::string>& operators;
    std::vector<RelationName> relations;
    std::vector<std::string> ctes;
};

void walk_names(const json& value, Names& n) {
    std::vector<std::string>& functions = n.functions;
    std::vector<std::string>& operators = n.operators;
    if (value.is_array()) {
        for (const json& v : value) walk_names(v, n);
        return;
    }
    if (!value.is_object()) return;
    for (const auto& [key, child] : value.items()) {
        if (key == "RangeVar" && child.is_object()) {
            // libpg_query leaves out false booleans: no "inh" means ONLY.
            RelationName r{child.value("schemaname", ""), child.value("relname", ""), !child.value("inh", false)};
            bool seen = false;
            for (const RelationName& x : n.relations) seen = seen || (x.schema == r.schema && x.name == r.name);
            if (!seen) n.relations.push_back(r);
        } else if (key == "CommonTableExpr" && child.is_object()) {
            add_unique(n.ctes, child.value("ctename", ""));
        } else if (key == "FuncCall" && child.is_object()) {
            add_unique(functions, joined_names(child.value("funcname", json::array())));
        } else if (key == "A_Expr" && child.is_object()) {
            std::string op = joined_names(child.value("name", json::array()));
            // BETWEEN and its variants name a keyword; they compare with <= and >=.
            if (!op.empty() && std::isalpha(static_cast<unsigned char>(op[0]))) {
                add_unique(operators, "<=");
                add_unique(operators, ">=");
            } else {
                add_unique(operators, op);
            }
            if (child.value("kind", "") == "AEXPR_SIMILAR") add_unique(functions, "similar_to_escape");
        } else if (key == "SubLink" && child.is_object()) {
            add_unique(operators, joined_names(child.value("operName", json::array())));
        }
        walk_names(child, n);
    }
}

}  // namespace

std::string RelationName::display() const { return schema.empty() ? name : schema + "." + name; }

std::string RelationName::regclass_literal() const {
    return quote_literal(schema.empty() ? quote_ident(name) : quote_ident(schema) + "." + quote_ident(name));
}

void called_names(std::string_view sql, std::vector<std::string>& functions, std::vector<std::string>& operators,
                  std::vector<RelationName>& reads) {
    std::string text(sql);
    PgQueryParseResult parsed = pg_query_parse(text.c_str());
    if (!parsed.error) {
        json tree = json::parse(parsed.parse_tree, nullptr, false);
        Names n{functions, operators, {}, {}};
        if (!tree.is_discarded()) walk_names(tree, n);
        for (RelationName& r : n.relations) {
            bool cte = r.schema.empty() && std::find(n.ctes.begin(), n.ctes.end(), r.name) != n.ctes.end();
            if (!cte) reads.push_back(std::move(r));
        }
    }
    pg_query_free_parse_result(parsed);
}

Result<DerivedStatement> derive_statement(std::string_view sql) {
    // The parse, its protobuf tree and the walks recurse per level of
    // nesting: on a stack of their own (20,000 unions overflowed the guard's).
    std::optional<Result<DerivedStatement>> result;
    bool ran = run_with_parse_stack(sql_nesting_bound(sql), [&] {
        auto tree = SqlTree::parse(sql);
        DerivedStatement out;
        if (!tree) {
            result.emplace(tree.error());
        } else if (auto r = derive(*tree, out); !r) {
            result.emplace(r.error());
        } else {
            result.emplace(std::move(out));
        }
    });
    if (!ran || !result) return Error{"", 0, 0, "SQL nested too deeply to derive a preview"};
    return std::move(*result);
}

}  // namespace sentinel
